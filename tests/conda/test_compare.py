"""Two solutions of one platform compared (the logic behind `--solver both`), and the table
cli/ prints from it: pure data, so these run where libmambapy is absent too."""

from __future__ import annotations

import io

from rich.console import Console

from hybrid.cli.comparison import print_comparisons
from hybrid.conda.compare import SolverComparison, SolverRun, details, diff_solutions, summary
from tests.conda.helpers import package, solution


def test_identical_solutions() -> None:
    left = solution("linux-64", package("python", "3.11.9", "h1"), package("numpy", "2.1.1", "h2"))
    right = solution("linux-64", package("numpy", "2.1.1", "h2"), package("python", "3.11.9", "h1"))
    diff = diff_solutions(left, right)
    assert diff.identical and diff.same == 2
    assert summary(diff) == "identical"


def test_added_removed_and_changed_packages() -> None:
    left = solution(
        "linux-64",
        package("python", "3.11.9", "h1"),
        package("blas", "1.0", "mkl"),
        package("libffi", "3.5.2", "hcf2aa1b_0"),
    )
    right = solution(
        "linux-64",
        package("python", "3.11.9", "h1"),
        package("blas", "2.116", "mkl"),
        package("libffi", "3.5.2", "he5f378a_0"),
        package("libopenblas", "0.3.34", "pthreads_0"),
    )
    diff = diff_solutions(left, right)
    assert not diff.identical
    assert diff.same == 1
    assert [(c.name, c.left, c.right) for c in diff.changed] == [
        ("blas", "1.0 mkl", "2.116 mkl"),
        ("libffi", "3.5.2 hcf2aa1b_0", "3.5.2 he5f378a_0"),
    ]
    assert diff.only_left == ()
    assert diff.only_right == ("libopenblas 0.3.34 pthreads_0",)
    assert summary(diff) == "2 changed, 1 only right"
    assert details(diff, ("rattler", "libmamba")) == [
        "blas: rattler 1.0 mkl, libmamba 2.116 mkl",
        "libffi: rattler 3.5.2 hcf2aa1b_0, libmamba 3.5.2 he5f378a_0",
        "only libmamba: libopenblas 0.3.34 pthreads_0",
    ]
    assert diff.to_dict()["only_right"] == ["libopenblas 0.3.34 pthreads_0"]


def test_the_table_names_times_verification_and_differences() -> None:
    left = solution("win-64", package("python", "3.11.9", "h1"), package("tk", "8.6.13", "ha"))
    right = solution("win-64", package("python", "3.11.9", "h1"), package("tk", "8.6.13", "hb"))
    comparisons = [
        SolverComparison(
            platform="win-64",
            label="",
            left=SolverRun(solver="rattler", seconds=0.25, packages=2),
            right=SolverRun(solver="libmamba", seconds=0.125, packages=2, unmet=("x needs y",)),
            diff=diff_solutions(left, right),
        ),
        SolverComparison(
            platform="linux-64",
            label="cuda-12.6",
            left=SolverRun(solver="rattler", seconds=0.5, packages=3),
            right=SolverRun(solver="libmamba", seconds=0.75, error="nothing provides __cuda"),
        ),
    ]
    stream = io.StringIO()
    print_comparisons(Console(file=stream, width=200), comparisons)
    text = stream.getvalue()
    assert "conda solvers side by side (the lock is rattler's)" in text
    assert "0.25" in text and "0.12" in text
    assert "yes/NO" in text and "1 changed" in text
    assert "linux-64 (cuda-12.6)" in text and "nothing provides __cuda" in text
    assert "win-64: tk: rattler 8.6.13 ha, libmamba 8.6.13 hb" in text
    assert "libmamba unmet: x needs y" in text
    assert comparisons[1].to_dict()["right"]["verified"] is False
