"""importer/: `hybrid import` — bring what labs already have into a spec.

`import_files` turns environment.yml, requirements and `conda list --explicit` files (read by
`envfiles/`) into a spec, and says what it could not carry. No printing; the one network
access is fetching a remote `-r https://…` include (`importer.remote`).
"""

from hybrid.envfiles.channels import parse_channel_map
from hybrid.envfiles.inventory import Note
from hybrid.errors import ImportBugError
from hybrid.importer.files import ImportResult, import_files

__all__ = ["ImportBugError", "ImportResult", "Note", "import_files", "parse_channel_map"]
