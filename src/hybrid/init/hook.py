"""The `repos:` entry of a new repository's `.pre-commit-config.yaml`: the `hybrid-check` hook.

With `--hook-repo URL` it is the hook that repository publishes in its `.pre-commit-hooks.yaml`
(hybrid's own repository does), at the tag `v<version>` of the running hybrid. Without it,
hybrid has no hook repository it can vouch for, so the hook is a `repo: local` one with the
same definition, which pre-commit runs in its own environment with the running version of
hybrid installed from PyPI (`additional_dependencies`): it works without naming any
repository, and pins the same hybrid as the CI workflow.
"""

from __future__ import annotations

from hybrid import DISTRIBUTION
from hybrid.emit.yaml_text import scalar
from hybrid.errors import UsageError

HOOK_ID = "hybrid-check"
#: pre-commit's special `repo:` values, which name no repository
_RESERVED = frozenset({"local", "meta"})


def pre_commit_repos(hook_repo: str | None, version: str) -> str:
    """The YAML lines of the `repos:` list (indented two spaces), without a final newline."""
    if hook_repo is None:
        return "\n".join([
            f"  # hybrid's check, installed by pre-commit from PyPI ({DISTRIBUTION}=={version})",
            "  - repo: local",
            "    hooks:",
            f"      - id: {HOOK_ID}",
            "        name: hybrid check (locks match spec.yaml)",
            "        entry: hybrid check",
            "        args: [spec.yaml]",
            "        language: python",
            f"        additional_dependencies: [{scalar(f'{DISTRIBUTION}=={version}')}]",
            "        always_run: true",
            "        pass_filenames: false",
        ])
    return "\n".join([
        f"  - repo: {scalar(checked_hook_repo(hook_repo))}",
        f"    rev: {scalar(f'v{version}')}",
        "    hooks:",
        f"      - id: {HOOK_ID}",
    ])


def checked_hook_repo(value: str) -> str:
    """`value` when pre-commit can clone it as a repository; UsageError otherwise."""
    text = value.strip()
    if not text or any(char.isspace() or not char.isprintable() for char in text):
        raise UsageError(
            f"--hook-repo {value!r}: not a repository URL (empty, or with spaces or "
            "control characters)",
            hint="give the URL pre-commit clones, e.g. https://github.com/ORG/hybrid",
        )
    if text in _RESERVED:
        raise UsageError(
            f"--hook-repo {text}: `{text}` is pre-commit's keyword, not a repository",
            hint="leave --hook-repo out for a local hook that installs hybrid from PyPI",
        )
    return text
