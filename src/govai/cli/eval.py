"""``govai eval ...``: each evaluation suite adds its command to this group."""

import typer

eval_app = typer.Typer(help="Run an evaluation set and write predictions.", no_args_is_help=True)

# Suites register their commands on import.
from govai.cli import eval_qa  # noqa: E402,F401
from govai.cli import pii  # noqa: E402,F401
from govai.cli import guard  # noqa: E402,F401
from govai.cli import assure  # noqa: E402,F401  (run, gate, report, runs)
