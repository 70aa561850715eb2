"""`hybrid lint`: run every rule over environment, requirements, explicit and spec files.

Offline by design: the conda -> PyPI names come from the built-in table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from hybrid.envfiles.inventory import Inventory
from hybrid.envfiles.read import read_inventory
from hybrid.errors import UsageError
from hybrid.lint import layout, pins
from hybrid.lint.rules import RULES, LintFinding
from hybrid.mapping import CondaPypiMapping, builtin_mapping

Check = Callable[[Inventory], Iterable[LintFinding]]

_CHECKS: tuple[Check, ...] = (
    layout.parse_errors,
    layout.pip_blocks,
    pins.conda_double_equals,
    pins.lock_pins,
    pins.cuda_contradictions,
    pins.torch_index,
    pins.abi_coupled,
    pins.cuda_wheels,
    layout.prefix,
    layout.unlisted_channels,
    layout.duplicates,
)


def lint_inventory(inv: Inventory, mapping: CondaPypiMapping) -> Iterator[LintFinding]:
    """Every finding of every rule for one file, unsorted."""
    for check in _CHECKS:
        yield from check(inv)
    yield from pins.both_layers(inv, mapping)


def lint_files(
    paths: Sequence[Path],
    *,
    select: frozenset[str] | None = None,
    ignore: frozenset[str] = frozenset(),
) -> list[LintFinding]:
    """The findings for `paths`, sorted by file, line, column and code.

    `select` keeps only those codes, `ignore` drops codes; a missing file is a `UsageError`.
    """
    mapping = builtin_mapping()
    found: dict[tuple[str, int, int, str, str], LintFinding] = {}
    for path in paths:
        for item in lint_inventory(read_inventory(path), mapping):
            if (select is None or item.code in select) and item.code not in ignore:
                found.setdefault(item.sort_key(), item)
    return [found[key] for key in sorted(found)]


def parse_codes(values: Iterable[str], *, option: str) -> frozenset[str]:
    """`H001,H003` (possibly given several times) -> the codes; unknown codes are errors."""
    codes = {code.strip().upper() for value in values for code in value.split(",")}
    codes.discard("")
    unknown = sorted(codes - set(RULES))
    if unknown:
        raise UsageError(
            f"{option}: unknown rule code(s) {', '.join(unknown)}",
            hint=f"the codes are {', '.join(RULES)}",
        )
    return frozenset(codes)
