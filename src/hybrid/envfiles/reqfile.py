"""Requirements files (`requirements.txt`, `requirements.in`) -> an `Inventory`."""

from __future__ import annotations

from pathlib import Path

from hybrid.envfiles.inventory import Inventory
from hybrid.envfiles.piplines import add_pip_line
from hybrid.envfiles.text import logical_lines


def read_requirements(path: Path, display: str, text: str) -> Inventory:
    """Every requirement and option line of `text`, located at its first physical line."""
    inv = Inventory(path=path, display=display, kind="requirements")
    for number, line in logical_lines(text):
        add_pip_line(inv, line, inv.at(number))
    inv.claims_lock = inv.named_as_lock or any(item.hashes for item in inv.pip)
    return inv
