"""An unsatisfiable solve whose cause is the channel list: requested names no channel has."""

from __future__ import annotations

from collections.abc import Sequence

from hybrid.conda.model import SolveRequest


def channel_list_cause(request: SolveRequest, absent: Sequence[str]) -> str:
    """The line that names the requested packages no channel has for the platform ("" when
    every one is somewhere): the channel list is the cause, not the constraints."""
    if not absent:
        return ""
    listed = ", ".join(ref.name for ref in request.channels)
    return (
        f"\nthe channel list is the cause: no channel ({listed}) has any "
        f"{', '.join(f'`{n}`' for n in absent)} for {request.platform} or noarch; "
        "add a channel that has it (conda-forge has python and most packages)"
    )
