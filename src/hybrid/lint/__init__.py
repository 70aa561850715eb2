"""lint/: `hybrid lint` — check environment files and specs for the mistakes that break
conda-first / pip-last environments (rules in `lint.rules`). No printing, no network."""

from hybrid.lint.files import lint_files, parse_codes
from hybrid.lint.rules import RULES, LintFinding, Rule

__all__ = ["RULES", "LintFinding", "Rule", "lint_files", "parse_codes"]
