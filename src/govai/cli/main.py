"""``govai``: every capability is a command, with ``--json`` where output is data."""

from __future__ import annotations

import logging
import os

import typer

from govai.cli import ask, assure, audit, db, demo, guard, kb, pii, plugins, policy, providers, review, serve, tenants
from govai.cli.common import Options
from govai.cli.eval import eval_app
from govai.web import cli as web_cli

# Quiet third-party progress bars and hub look-ups: GovAI runs offline.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

app = typer.Typer(
    name="govai",
    help="GovAI: grounded, guarded, sovereign AI assistants for UK public services.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(kb.app, name="kb")
app.add_typer(eval_app, name="eval")
app.add_typer(providers.app, name="providers")
app.add_typer(policy.app, name="policy")
app.add_typer(pii.app, name="pii")
app.add_typer(guard.app, name="guard")
app.add_typer(db.app, name="db")
app.add_typer(audit.app, name="audit")
app.command("ask")(ask.ask)
app.command("demo")(demo.demo)
app.command("plugins")(plugins.plugins)
app.command("serve")(serve.serve)
app.add_typer(tenants.tenants_app, name="tenants")
app.add_typer(tenants.keys_app, name="keys")
app.add_typer(review.app, name="review")
app.add_typer(web_cli.app, name="web")
app.command("atrs")(assure.atrs)
app.add_typer(assure.app, name="assurance")


@app.callback()
def main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what each step does (to stderr)."),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of an error, and debug logs."),
) -> None:
    Options.debug = debug
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
