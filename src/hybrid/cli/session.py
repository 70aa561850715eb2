"""What one run of `hybrid` knows across the group and its command: verbosity, whether the
user asked for JSON, and whether a JSON document is already on stdout.

`-v` is a global option that every command accepts too, so `hybrid -v solve spec.yaml` and
`hybrid solve spec.yaml -v` mean the same (the counts add up: `hybrid -v solve -v` is -vv).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from hybrid.redact import RedactingFilter, redact_data

F = TypeVar("F", bound=Callable[..., Any])

_VERBOSE_HELP = "More logging; tracebacks on errors (also accepted after the command)."


@dataclass(kw_only=True, slots=True)
class Session:
    """The run's state: the click context object, read by the error boundary after a failure."""

    verbose: int = 0
    json: bool = False
    json_printed: bool = False


def session(ctx: click.Context | None = None) -> Session:
    """The run's Session (created on the root context when `cli` runs outside `main`)."""
    context = ctx if ctx is not None else click.get_current_context()
    return context.find_root().ensure_object(Session)


def configure_logging(verbose: int) -> None:
    """Log at the level `-v` asks for; every root handler redacts credentials from records."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def _add_verbosity(ctx: click.Context, _: click.Parameter, value: int) -> int:
    state = session(ctx)
    state.verbose += value
    if value:
        configure_logging(state.verbose)
    return value


def verbose_option() -> click.Option:
    """A fresh `-v/--verbose` option (one instance per command)."""
    return click.Option(
        ["-v", "--verbose"],
        count=True,
        expose_value=False,
        callback=_add_verbosity,
        help=_VERBOSE_HELP,
    )


def with_global_options(command: click.Command) -> click.Command:
    """`command` accepting the global options after its name too (idempotent)."""
    if not any(param.name == "verbose" for param in command.params):
        command.params.append(verbose_option())
    return command


def _remember_json(ctx: click.Context, _: click.Parameter, value: bool) -> bool:
    if value:
        session(ctx).json = True
    return value


def json_option(help_text: str = "Print a machine-readable result.") -> Callable[[F], F]:
    """`--json` (as `as_json`): also makes a failure print a JSON error object on stdout."""
    return click.option(
        "--json", "as_json", is_flag=True, callback=_remember_json, help=help_text
    )


def echo_json(document: Any) -> None:
    """Print the command's one JSON document on stdout (sorted keys, indented), every string
    in it without credentials."""
    click.echo(json.dumps(redact_data(document), indent=2, sort_keys=True))
    session().json_printed = True
