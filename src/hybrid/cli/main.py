"""The `hybrid` command: the one error boundary, mapping errors to exit codes (`ExitCode`)."""

from __future__ import annotations

import errno
import io
import sys
import traceback

import click
from rich.markup import escape

from hybrid import __version__
from hybrid.cli.commands import LazyGroup
from hybrid.cli.console import err_console
from hybrid.cli.failure import print_error_document
from hybrid.cli.io_failure import io_failure
from hybrid.cli.session import Session, configure_logging, session, with_global_options
from hybrid.cli.signals import Terminated, raising_on_signals
from hybrid.errors import ExitCode, HybridError
from hybrid.redact import redact


@with_global_options
@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="hybrid")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """One spec in, a conda-first / pip-last environment for every platform out."""
    configure_logging(session(ctx).verbose)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI: every error becomes a message and an exit code; tracebacks only with -v;
    with --json, a JSON error object on stdout too. An exception that is no `HybridError`,
    or one whose class says `ExitCode.INTERNAL`, is a bug: exit 70 and say so. SIGINT exits
    130 and SIGTERM 143, each after every `finally` ran (hybrid.cli.signals)."""
    with raising_on_signals():
        try:
            return _run(argv)
        except KeyboardInterrupt:  # a second signal, while the first failure was reported
            return int(ExitCode.INTERRUPTED)
        except Terminated:
            return int(ExitCode.TERMINATED)


def _run(argv: list[str] | None) -> int:
    args = list(argv) if argv is not None else sys.argv[1:]
    state = Session()
    try:
        code = cli.main(args=args, prog_name="hybrid", standalone_mode=False, obj=state)
    except HybridError as exc:
        _traceback(state)
        if exc.exit_code == ExitCode.INTERNAL:
            _bug(str(exc))
        else:
            err_console().print(f"[bold red]error:[/] {escape(redact(str(exc)))}")
        return _failed(state, exc, exc.exit_code)
    except click.exceptions.Abort as exc:
        err_console().print("aborted")
        return _failed(state, exc, ExitCode.INTERRUPTED, kind="aborted")
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        _show(exc)
        state.json = state.json or _asks_for_json(args)
        return _failed(state, exc, ExitCode.USAGE, kind="usage")
    except KeyboardInterrupt as exc:
        return _failed(state, exc, ExitCode.INTERRUPTED, kind="aborted")
    except Terminated as exc:
        err_console().print("terminated")
        return _failed(state, exc, ExitCode.TERMINATED, kind="terminated")
    except Exception as exc:  # the boundary: nothing unexpected reaches a user as a traceback
        failure = io_failure(exc)
        if failure is not None:  # a full disk or a closed stdout is no bug
            _traceback(state)
            err_console().print(f"[bold red]error:[/] {escape(str(failure))}")
            return _failed(state, failure, failure.exit_code)
        _traceback(state)
        _bug(f"{type(exc).__name__}: {exc}")
        return _failed(state, exc, ExitCode.INTERNAL)
    return int(code or ExitCode.OK)


def _traceback(state: Session) -> None:
    if state.verbose:
        sys.stderr.write(redact(traceback.format_exc()))


def _show(exc: click.ClickException) -> None:
    """click's own usage message (it may quote an argument, a credentialed URL too)."""
    text = io.StringIO()
    exc.show(file=text)
    sys.stderr.write(redact(text.getvalue()))


def _bug(text: str) -> None:
    err_console().print(
        f"[bold red]internal error:[/] {escape(redact(text))}\n"
        "This is a bug in hybrid; run again with -v for the traceback and report it."
    )


def _failed(
    state: Session, exc: BaseException, code: ExitCode, *, kind: str | None = None
) -> int:
    """Exit `code`; with --json, the error object on stdout unless a result is already there."""
    if state.json and not state.json_printed:
        try:
            print_error_document(exc, code, kind=kind)
        except OSError:  # stdout is what failed; the message on stderr says so
            io_failure(OSError(errno.EIO, "standard output"))
    return int(code)


def _asks_for_json(args: list[str]) -> bool:
    """--json among the options, for a usage error found before the option was processed."""
    options = args[: args.index("--")] if "--" in args else args
    return "--json" in options


if __name__ == "__main__":
    sys.exit(main())
