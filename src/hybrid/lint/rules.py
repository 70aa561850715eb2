"""The lint rules: a code, what it finds, how to fix it; and one finding of a rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hybrid.spec.location import Location, printable


@dataclass(frozen=True, kw_only=True, slots=True)
class Rule:
    code: str
    title: str
    fix: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            code="H000",
            title="the file cannot be parsed",
            fix="correct the syntax at the position given",
        ),
        Rule(
            code="H001",
            title="a `pip:` section before conda items",
            fix="move the `- pip:` block to the end of `dependencies`",
        ),
        Rule(
            code="H002",
            title="a `pip:` section without `pip` among the conda dependencies",
            fix="add `- pip` to `dependencies`",
        ),
        Rule(
            code="H003",
            title="the same package in the conda and the pip layer",
            fix="keep it in one layer: conda (for its builds) or pip (for a PyPI-only version)",
        ),
        Rule(
            code="H004",
            title="several `pip:` blocks",
            fix="merge them into one `- pip:` block at the end of `dependencies`",
        ),
        Rule(
            code="H005",
            title="`==` with a partial version in a conda spec",
            fix="write `name 1.2.*` for any 1.2.x, or the full version `name ==1.2.3`",
        ),
        Rule(
            code="H006",
            title="an entry not pinned exactly in a file that claims to be a lock",
            fix="pin it exactly (`==1.2.3`, with its hashes) or regenerate the lock",
        ),
        Rule(
            code="H007",
            title="CUDA pins that contradict each other",
            fix="pin one CUDA version everywhere",
        ),
        Rule(
            code="H008",
            title="torch from PyPI's default index in a CUDA environment",
            fix="add `--extra-index-url https://download.pytorch.org/whl/cuXYZ`, or take "
            "pytorch from conda",
        ),
        Rule(
            code="H009",
            title="an absolute `prefix:` path",
            fix="delete the `prefix:` line; `conda env create -n NAME` (or -p) chooses where",
        ),
        Rule(
            code="H010",
            title="a channel-qualified spec whose channel is not in `channels:`",
            fix="add the channel to `channels:`",
        ),
        Rule(
            code="H011",
            title="a duplicated entry",
            fix="keep one entry (merge the constraints into it)",
        ),
        Rule(
            code="H012",
            title="a PyPI build coupled to a conda package's ABI (PyPI torchvision next to "
            "conda pytorch)",
            fix="take it from conda too, so conda solves a build matching its base package",
        ),
        Rule(
            code="H013",
            title="NVIDIA CUDA wheels from pip next to conda CUDA libraries",
            fix="take the CUDA libraries from one layer: add their conda packages and drop "
            "the wheels (or the CUDA extra)",
        ),
    )
}


@dataclass(frozen=True, kw_only=True, slots=True)
class LintFinding:
    """One rule firing at one place."""

    location: Location
    code: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message} (fix: {self.fix})"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        where = self.location
        return (where.file, where.line, where.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "code": self.code,
            "message": self.message,
            "fix": self.fix,
        }


def finding(code: str, location: Location, message: str, fix: str | None = None) -> LintFinding:
    """A finding of rule `code`; `fix` defaults to the rule's own. Message and fix are one
    printable line: what they quote from a file (a line break, ESC) is escaped."""
    return LintFinding(
        location=location,
        code=code,
        message=printable(message),
        fix=printable(fix if fix is not None else RULES[code].fix),
    )
