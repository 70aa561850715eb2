"""adopt/: bring what labs already have into hybrid.

`import_files` turns environment.yml, requirements and `conda list --explicit` files into a
spec (and says what it could not carry); `lint_files` checks such files, and specs, for the
mistakes that break conda-first / pip-last environments. No printing; the one network access
is fetching a remote `-r https://…` include (`adopt.remote`).
"""

from hybrid.adopt.importer import ImportBugError, ImportResult, import_files
from hybrid.adopt.inventory import Note
from hybrid.adopt.lint import lint_files, parse_codes
from hybrid.adopt.merge_channels import parse_channel_map
from hybrid.adopt.rules import RULES, LintFinding, Rule

__all__ = [
    "RULES",
    "ImportBugError",
    "ImportResult",
    "LintFinding",
    "Note",
    "Rule",
    "import_files",
    "lint_files",
    "parse_channel_map",
    "parse_codes",
]
