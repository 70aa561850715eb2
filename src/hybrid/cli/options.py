"""Options shared by the commands that solve (solve, update), handed to the command as one
typed `SolveOptions` (parameter `options`) instead of loose strings."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast, get_args

import click

from hybrid.cache import cache_dir
from hybrid.cli.session import json_option
from hybrid.conda.solver import DEFAULT_SOLVER, SolverChoice
from hybrid.errors import UsageError
from hybrid.pipeline.options import SolveOptions
from hybrid.pypi.resolver import DEFAULT_RESOLVER, ResolverName
from hybrid.spec.channels import parse_mirrors
from hybrid.spec.fingerprint import DEFAULT_HASH_KIND, HASH_KINDS, HashKind
from hybrid.spec.normalize import parse_instant

F = TypeVar("F", bound=Callable[..., Any])


def solve_options(func: F) -> F:
    """Add the solve options (and --json) to a command; it receives `options: SolveOptions`."""

    @functools.wraps(func)
    def command(
        *args: Any,
        solver: str,
        mirrors: tuple[str, ...],
        offline: bool,
        pip_resolver: str,
        pypi_mapping: str | None,
        snapshot: str | None,
        snapshot_strict: bool,
        hash_kind: str,
        require_cuda: bool,
        **kwargs: Any,
    ) -> Any:
        options = SolveOptions(
            solver=cast(SolverChoice, solver),  # click.Choice checked it
            cache_dir=cache_dir(),
            offline=offline,
            mirrors=parse_mirrors(mirrors, base_dir=Path.cwd()),
            hash_kind=cast(HashKind, hash_kind),
            snapshot=_snapshot(snapshot),
            snapshot_strict=snapshot_strict,
            require_cuda=require_cuda,
            pip_resolver=cast(ResolverName, pip_resolver),
            pypi_mapping=pypi_mapping,
        )
        return func(*args, options=options, **kwargs)

    decorators = [
        click.option(
            "--solver",
            type=click.Choice(get_args(SolverChoice)),
            default=DEFAULT_SOLVER,
            show_default=True,
            help="Conda solver: auto (the spec's `solver:`, else rattler), rattler, libmamba "
            "(needs libmambapy), or both (lock rattler's answer, report where libmamba's differs "
            "and each one's time).",
        ),
        click.option(
            "--mirror",
            "mirrors",
            multiple=True,
            metavar="NAME=URL",
            help="Read channel NAME from URL (a mirror); outputs keep NAME's canonical URLs.",
        ),
        click.option(
            "--offline", is_flag=True,
            help="Use only cached data (repodata, mapping, uv's cache); no network.",
        ),
        click.option(
            "--pip-resolver", type=click.Choice(get_args(ResolverName)), default=DEFAULT_RESOLVER,
            show_default=True,
            help="Pip-layer compiler: uv (any platform) or pip-tools (native platform only).",
        ),
        click.option(
            "--pypi-mapping", metavar="FILE|URL",
            help="conda -> PyPI name mapping (parselmouth compressed format) to use instead "
            "of the published one.",
        ),
        click.option(
            "--snapshot",
            metavar="DATE",
            help="Ignore everything published after DATE (overrides the spec's `snapshot`).",
        ),
        click.option(
            "--snapshot-strict", is_flag=True,
            help="Under a snapshot, also leave out conda records without a timestamp "
            "(kept by default: they cannot be dated; a notice names those in the lock).",
        ),
        click.option(
            "--hash", "hash_kind", type=click.Choice(HASH_KINDS), default=DEFAULT_HASH_KIND,
            show_default=True,
            help="Hash in explicit files; sha256 needs conda >= 24.9 or mamba >= 2.1 to install.",
        ),
        click.option(
            "--require-cuda", is_flag=True,
            help="Fail instead of using CPU builds where a CUDA variant meets a platform "
            "without CUDA.",
        ),
        json_option(),
    ]
    wrapped: Any = command
    for decorator in reversed(decorators):
        wrapped = decorator(wrapped)
    return cast(F, wrapped)


def _snapshot(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise UsageError(f"--snapshot {value!r}: not a date or RFC 3339 instant ({exc})") from None
