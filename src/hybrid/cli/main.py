"""The `hybrid` command: the one error boundary, mapping errors to exit codes."""

from __future__ import annotations

import logging
import sys
import traceback

import click
from rich.markup import escape

from hybrid import __version__
from hybrid.cli.commands import LazyGroup
from hybrid.cli.console import err_console
from hybrid.errors import HybridError


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="hybrid")
@click.option("-v", "--verbose", count=True, help="More logging; tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """One spec in, a conda-first / pip-last environment for every platform out."""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI: every error becomes a message and an exit code; tracebacks only with -v."""
    verbose = any(
        a in ("-v", "-vv", "--verbose") for a in (argv if argv is not None else sys.argv[1:])
    )
    try:
        code = cli.main(args=argv, prog_name="hybrid", standalone_mode=False)
    except HybridError as exc:
        if verbose:
            traceback.print_exc()
        err_console().print(f"[bold red]error:[/] {escape(str(exc))}")
        return exc.exit_code
    except click.exceptions.Abort:
        err_console().print("aborted")
        return 130
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the boundary: nothing unexpected reaches a user as a traceback
        if verbose:
            traceback.print_exc()
        err_console().print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))}\n"
            "This is a bug in hybrid; run again with -v for the traceback and report it."
        )
        return 1
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
