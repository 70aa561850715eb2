"""The template files of a new repository, read from package data and filled in.

Templates use `string.Template` syntax (`$name`; `$$` for a literal dollar sign), and every
placeholder must be given: a missing value is a bug, not an empty string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib.resources import files
from string import Template

# file in the new repository -> template in hybrid/init/templates/
TEMPLATES: Mapping[str, str] = {
    "README.md": "README.md.in",
    ".github/workflows/hybrid-check.yml": "hybrid-check.yml.in",
    ".pre-commit-config.yaml": "pre-commit-config.yaml.in",
    ".gitignore": "gitignore.in",
}

_BLANK_RUNS = re.compile(r"\n{3,}")


def render_templates(values: Mapping[str, str]) -> dict[str, str]:
    """{path relative to the repository: text} for every template."""
    return {target: render(source, values) for target, source in TEMPLATES.items()}


def render(template: str, values: Mapping[str, str]) -> str:
    text = (files("hybrid.init") / "templates" / template).read_text(encoding="utf-8")
    filled = Template(text).substitute(values)
    return _BLANK_RUNS.sub("\n\n", filled).rstrip("\n") + "\n"
