"""What `hybrid doctor` tells the user to do: every fix text in one place, and one rule set
that keeps the advice of a report from contradicting itself.

Two findings can be about the same package and come from different checks: numpy installed
by pip over conda's numpy is `pip-over-conda` (keep numpy in the conda layer) and, with
`--lock`, also `pip-not-in-lock` (whose usual advice is to add it to the spec's `pip:`).
`reconcile` settles such cases: what conda provides is only ever fixed on the conda side, and
a `pip check` failure in an environment that is damaged or differs from its lock is not a
reason to change the spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from packaging.utils import NormalizedName, canonicalize_name

from hybrid.doctor.model import (
    DUPLICATE,
    PIP_CHECK,
    PIP_DIFFERS,
    PIP_MISSING,
    PIP_NOT_IN_LOCK,
    PIP_OVER_CONDA,
    Finding,
)

RECREATE = "re-create the environment with `hybrid install`"
RECREATE_FROM_LOCK = "re-create the environment from the lock with `hybrid install`"
CONDA_FILES_GONE = (
    "something other than conda removed them (often pip replacing it); " + RECREATE
)
DUPLICATE_COPIES = (
    "Python imports one and pip reports another; remove the stray copy or " + RECREATE
)
UNREADABLE_RECORD = "remove the file if it is stray, or re-create the environment"
CONDA_NOT_LOCKED = f"add it to the spec's `conda:` and re-solve, or {RECREATE_FROM_LOCK}"
PIP_NOT_LOCKED = "add it to the spec's `pip:` and re-solve, or uninstall it"
OTHER_FINDINGS_FIRST = (
    "the environment is not what its lock describes (see the other findings): fix those "
    "first, then run `hybrid doctor` again"
)

# Advice that acts on the pip layer, and so is wrong for a package conda provides.
_PIP_SIDE = frozenset({PIP_NOT_IN_LOCK, PIP_DIFFERS, PIP_MISSING, DUPLICATE, PIP_CHECK})


def conda_provides(name: str) -> str:
    """For a distribution installed over the conda package that provides it."""
    return f"{RECREATE}; for another {name}, change the conda spec, not the pip layer"


def pip_check_fix(name: str, *, conda_owned: bool) -> str:
    """For a `pip check` failure of `name` in an environment that matches its lock."""
    if conda_owned:
        return f"{name} comes from conda: change its conda spec (or its dependents') and re-solve"
    return f"change {name}'s `pip:` requirement (or its dependents') and re-solve"


def reconcile(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """The findings with advice that agrees: a package conda provides gets the conda-side
    fix in every finding about it, and `pip check` failures wait for the other findings."""
    conda_side = {_key(f): f.fix for f in findings if f.code == PIP_OVER_CONDA}
    damaged = any(f.code != PIP_CHECK for f in findings)
    return tuple(_agreeing(f, conda_side, damaged=damaged) for f in findings)


def _agreeing(
    finding: Finding, conda_side: dict[NormalizedName, str], *, damaged: bool
) -> Finding:
    fix = conda_side.get(_key(finding))
    if fix is not None and finding.code in _PIP_SIDE:
        return replace(finding, fix=fix)
    if finding.code == PIP_CHECK and damaged:
        return replace(finding, fix=OTHER_FINDINGS_FIRST)
    return finding


def _key(finding: Finding) -> NormalizedName:
    return canonicalize_name(finding.subject)
