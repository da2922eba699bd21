"""Shared CLI plumbing: results to stdout, diagnostics to stderr, clear errors, JSON output."""

from __future__ import annotations

import functools
import json
import re
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from govai.errors import GovAIError

console = Console(stderr=True)  # human messages and progress go to stderr
results = Console(soft_wrap=True)  # tables and other results go to stdout
MAX_STDIN_BYTES = 8 * 1024 * 1024
_SURROGATE = re.compile(r"[\ud800-\udfff]")

F = TypeVar("F", bound=Callable[..., Any])


class Options:
    """Global options, set by the ``govai`` callback."""

    debug = False


def handle_errors(fn: F) -> F:
    """A GovAI error is a one-line message and exit code 1, never a traceback; an unexpected
    error says so in one line too. ``govai --debug`` shows the traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except GovAIError as exc:
            _report(f"[bold red]Error:[/] {_escape(str(exc))}")
        except Exception as exc:  # a bug, not a user error: still no traceback unless asked for
            _report(f"[bold red]Unexpected error:[/] {type(exc).__name__}: {_escape(str(exc))[:500]} "
                    "(run with govai --debug for the traceback)")
        raise typer.Exit(1)

    return wrapper  # type: ignore[return-value]


def _report(message: str) -> None:
    if Options.debug:
        console.print(_escape(traceback.format_exc()), highlight=False, markup=False)
    console.print(message, highlight=False, soft_wrap=True)


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


def print_json(data: Any) -> None:
    """One JSON document on stdout. Text with lone surrogates (broken Unicode) is written with
    escapes, so it is still valid JSON and never an encoding error."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    if _SURROGATE.search(text):
        text = json.dumps(data, ensure_ascii=True, default=str)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def print_out(text: str = "") -> None:
    """A line of results on stdout (broken Unicode replaced, never an encoding error)."""
    sys.stdout.write(safe_text(text) + "\n")
    sys.stdout.flush()


def safe_text(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def read_text(value: str | None, what: str = "text") -> str:
    """The argument itself, or standard input when it is '-' (or missing and input is piped)."""
    if value is not None and value != "-":
        return value
    if value is None and sys.stdin.isatty():
        raise GovAIError(f"give the {what} as an argument, or '-' to read it from standard input")
    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise GovAIError(f"standard input is over {MAX_STDIN_BYTES // 2**20} MiB")
    return data.decode("utf-8", errors="replace")
