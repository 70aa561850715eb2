"""Are the outputs on disk exactly what the current inputs would produce? Without solving.

Every output records the input hash in its header; `check` recomputes the hash from the spec
and compares. When they differ it names what changed, read back from the outputs themselves
(the platforms from the lock files, the channels and specs from environment.yml).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from hybrid.check_fast import read_head
from hybrid.emit.header import read_header_value, read_input_hash
from hybrid.emit.layout import (
    ENVIRONMENT_YML,
    expected_files,
    explicit_filename,
    output_directories,
)
from hybrid.fingerprint import input_hash, output_options
from hybrid.spec.model import Spec

DEFAULT_HASH_KIND = "md5"


@dataclass(frozen=True, kw_only=True, slots=True)
class CheckReport:
    input_hash: str
    stale: tuple[str, ...]

    @property
    def fresh(self) -> bool:
        return not self.stale


def check_outputs(spec: Spec, out_dir: Path) -> CheckReport:
    """Compare the outputs in `out_dir` with `spec`; never solves, never touches the network."""
    reasons: list[str] = []
    directories = output_directories(spec, out_dir)
    hash_kind = _recorded_hash_kind(spec, directories) or DEFAULT_HASH_KIND
    current = input_hash(spec, output_options(hash_kind=hash_kind))
    other_inputs = False
    for directory in directories:
        for path in expected_files(spec, directory):
            reason, differs = _file_reason(path, current)
            other_inputs = other_inputs or differs
            if reason is not None:
                reasons.append(reason)
        reasons.extend(_stray_platforms(spec, directory))
    if other_inputs:
        reasons.extend(_what_changed(spec, directories[0]))
    return CheckReport(input_hash=current, stale=tuple(reasons))


def _file_reason(path: Path, current: str) -> tuple[str | None, bool]:
    """Why `path` is stale (None when it is not), and whether other inputs wrote it."""
    try:
        head = read_head(path)
    except FileNotFoundError:
        return f"{path}: missing", False
    recorded = read_input_hash(head)
    if recorded is None:
        return f"{path}: has no input-hash header (not written by hybrid, or edited)", False
    if recorded != current:
        return f"{path}: input hash differs (written from other inputs)", True
    return None, False


def _stray_platforms(spec: Spec, directory: Path) -> list[str]:
    wanted = {explicit_filename(p) for p in spec.platforms}
    return [
        f"{path}: platform no longer in the spec"
        for path in sorted(directory.glob("conda-*.lock"))
        if path.name not in wanted
    ]


def _recorded_hash_kind(spec: Spec, directories: list[Path]) -> str | None:
    for directory in directories:
        for platform in spec.platforms:
            try:
                head = read_head(directory / explicit_filename(platform))
                value = read_header_value(head, "hash")
            except FileNotFoundError:
                continue
            if value:
                return value
    return None


def _what_changed(spec: Spec, directory: Path) -> list[str]:
    """Name the differences visible in the previous environment.yml."""
    try:
        previous = YAML(typ="safe").load((directory / ENVIRONMENT_YML).read_text("utf-8"))
    except (OSError, YAMLError):
        return []
    if not isinstance(previous, dict):
        return []
    changes: list[str] = []
    if previous.get("name") != spec.name:
        changes.append(f"name: {previous.get('name')!r} -> {spec.name!r}")
    old_deps = [d for d in previous.get("dependencies") or [] if isinstance(d, str)]
    old_specs = {" ".join(d.split()) for d in old_deps}
    new_specs = {dep.spec for dep in spec.conda}
    changes.extend(f"conda: `{s}` added" for s in sorted(new_specs - old_specs))
    dropped = {s for s in old_specs - new_specs if s.split()[0] in {d.name for d in spec.conda}}
    dropped |= {s for s in old_specs - new_specs if not _hybrid_added(s)}
    changes.extend(f"conda: `{s}` removed or changed" for s in sorted(dropped))
    old_platforms = {p.name[len("conda-") : -len(".lock")] for p in directory.glob("conda-*.lock")}
    changes.extend(f"platforms: {p} added" for p in sorted(set(spec.platforms) - old_platforms))
    if not changes:
        changes.append(
            "other inputs changed (python, pip, pip-index, system, snapshot, cuda or --hash)"
        )
    return changes


def _hybrid_added(text: str) -> bool:
    return text.split()[0] in {"python", "pip", "cuda-version", "pytorch-cuda", "cpuonly"}
