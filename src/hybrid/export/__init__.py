"""export/: other tools' formats from the locks `hybrid solve` wrote, never solving again.

`locks.py` reads a spec's lock files (refusing stale or incomplete ones); one module per
format renders text from them: `pixi.py` (pixi.lock, with py-rattler's lock file API),
`dockerfile.py` and `apptainer.py` (container recipes sharing `container.py`'s steps),
`sbom.py` (CycloneDX JSON); `output.py` writes the result atomically.
"""

from hybrid.export.locks import ExportSource, VariantLock, read_export_source

__all__ = ["ExportSource", "VariantLock", "read_export_source"]
