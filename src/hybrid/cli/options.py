"""Options shared by the commands that solve (solve, update)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from hybrid.cli.session import json_option
from hybrid.conda.solver import DEFAULT_SOLVER, SOLVERS
from hybrid.pypi.resolver import DEFAULT_RESOLVER, RESOLVERS

F = TypeVar("F", bound=Callable[..., Any])

def solve_options(func: F) -> F:
    decorators = [
        click.option(
            "--solver",
            type=click.Choice(sorted(SOLVERS)),
            default=DEFAULT_SOLVER,
            show_default=True,
            help="Conda solver backend.",
        ),
        click.option(
            "--mirror",
            "mirrors",
            multiple=True,
            metavar="NAME=URL",
            help="Read channel NAME from URL (a mirror); outputs keep NAME's canonical URLs.",
        ),
        click.option("--offline", is_flag=True, help="Use only cached repodata; no network."),
        click.option(
            "--pip-resolver", type=click.Choice(sorted(RESOLVERS)), default=DEFAULT_RESOLVER,
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
            "--hash", "hash_kind", type=click.Choice(["md5", "sha256"]), default="md5",
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
    for decorator in reversed(decorators):
        func = decorator(func)
    return func
