"""Are the outputs on disk exactly what the current inputs would produce? Without solving.

Every output records the input hash in its header and the digest of its body as the header's
last line; `check` recomputes the hash from the spec, and the digest from the file, and
compares. Every output also records the digest of the set it was written with, so files of
two solves side by side (a write cut short by SIGKILL or a crash) are named even when both
solves had the same inputs. When the inputs differ it names what changed: environment.yml
records a short digest of each input part (each spec field, each `conda:` and `pip:` entry by
name), which `check` compares with the spec's, reading details (platforms, variants) from the
outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from hybrid.emit.header import (
    BODY_HASH_KEY,
    INPUT_HASH_KEY,
    INPUTS_KEY,
    OUTPUTS_KEY,
    SET_HASH_KEY,
    OutputText,
    parse_inputs,
)
from hybrid.emit.layout import (
    ENVIRONMENT_YML,
    REQUIREMENTS_TXT,
    expected_files,
    explicit_filename,
    output_directories,
)
from hybrid.output_set import stray_outputs
from hybrid.readback.check_fast import read_output
from hybrid.redact import redact
from hybrid.spec.fingerprint import (
    DEFAULT_HASH_KIND,
    ENTRY_SECTIONS,
    SNAPSHOT_POLICY_KEY,
    STRICT,
    HashKind,
    as_flags,
    hash_kind,
    input_hash,
    input_parts,
    output_options,
)
from hybrid.spec.model import Spec
from hybrid.spec.variants import spec_variants

DEFAULT_VARIANT = "default"
UNRECORDED = "inputs changed; the outputs do not record which (written by an older hybrid)"


@dataclass(frozen=True, kw_only=True, slots=True)
class CheckReport:
    """`stale`: one reason per stale output file; `changes`: what changed in the inputs since
    the outputs were written (empty when they match, or only the outputs were edited)."""

    input_hash: str
    stale: tuple[str, ...]
    changes: tuple[str, ...] = ()

    @property
    def fresh(self) -> bool:
        return not self.stale


@dataclass(frozen=True, kw_only=True, slots=True)
class _Recorded:
    """What the previous outputs say about the inputs they were written from."""

    parts: Mapping[str, str]
    platforms: frozenset[str] | None
    variants: frozenset[str]


def check_outputs(spec: Spec, out_dir: Path) -> CheckReport:
    """Compare the outputs in `out_dir` with `spec`; never solves, never touches the network."""
    directories = output_directories(spec, out_dir)
    kind = _recorded_hash_kind(spec, directories) or DEFAULT_HASH_KIND
    strict = _recorded_value(spec, directories, SNAPSHOT_POLICY_KEY) == STRICT
    options = output_options(hash_kind=kind, snapshot_strict=strict)
    current = input_hash(spec, options)
    reasons: list[str] = []
    other_inputs = False
    members: dict[Path, str] = {}
    expected = [path for directory in directories for path in expected_files(spec, directory)]
    for directory in directories:
        for path in expected_files(spec, directory):
            reason, differs = _file_reason(path, current, members)
            other_inputs = other_inputs or differs
            if reason is not None:
                reasons.append(reason)
    reasons.extend(_stray_reasons(out_dir, directories, expected))
    reasons.extend(_mixed_set(members))
    changes: list[str] = []
    if reasons:
        recorded = _recorded(out_dir, directories)
        if recorded is not None:
            changes = _describe(recorded, input_parts(spec, options), spec, options)
        elif other_inputs:
            changes = [UNRECORDED]
    return CheckReport(input_hash=current, stale=tuple(reasons), changes=tuple(changes))


def _file_reason(
    path: Path, current: str, members: dict[Path, str]
) -> tuple[str | None, bool]:
    """Why `path` is stale (None when it is not), and whether other inputs wrote it; a file
    that is not stale adds its set digest to `members`."""
    try:
        output = read_output(path)
    except FileNotFoundError:
        return f"{path}: missing", False
    except OSError as exc:
        return f"{path}: cannot be read ({exc.strerror or exc})", False
    recorded = output.value(INPUT_HASH_KEY)
    differs = recorded is not None and recorded != current
    damage = _header_damage(output, current=not differs)
    if damage is not None:
        return f"{path}: header missing or damaged ({damage}; edited, or not from hybrid)", differs
    if not output.body_intact:
        return f"{path}: edited or truncated ({BODY_HASH_KEY} does not match its body)", differs
    if differs:
        return f"{path}: input hash differs (written from other inputs)", True
    members[path] = output.value(SET_HASH_KEY) or ""
    return None, False


def _header_damage(output: OutputText, *, current: bool) -> str | None:
    """What a hybrid header lacks, if anything (a `current` one: the set digest too, which
    outputs of an older format lack)."""
    if output.tool_version is None:
        return "no `Generated by hybrid` line"
    keys = (INPUT_HASH_KEY, BODY_HASH_KEY, *((SET_HASH_KEY,) if current else ()))
    for key in keys:
        if output.value(key) is None:
            return f"no `{key}` line"
    return None


def _mixed_set(members: dict[Path, str]) -> list[str]:
    """The files whose set digest is not the one most files share (on a tie, the one the
    first file records): written by another solve than the rest."""
    groups: dict[str, list[Path]] = {}
    for path, digest in members.items():
        groups.setdefault(digest, []).append(path)
    if len(groups) < 2:
        return []
    whole = max(groups.values(), key=len)
    return [
        f"{path}: from another solve than the other outputs ({SET_HASH_KEY} differs: "
        "a write cut short, or a file copied in)"
        for path in members
        if path not in whole
    ]


def _left(what: str) -> str:
    return f"left by an earlier solve; `hybrid solve` removes {what}"


def _stray_reasons(out_dir: Path, directories: list[Path], expected: list[Path]) -> list[str]:
    """One reason per output an earlier solve left that the spec no longer asks for; one per
    folder for a variant folder the spec no longer has. `hybrid solve` removes them all."""
    by_folder: dict[Path, list[Path]] = {}
    reasons: list[str] = []
    for path in stray_outputs(out_dir, expected):
        if path.parent in directories:
            reasons.append(f"{path}: {_stray_what(path)} no longer in the spec ({_left('it')})")
        else:
            by_folder.setdefault(path.parent, []).append(path)
    for folder, paths in by_folder.items():
        count = f"{len(paths)} output{'s' if len(paths) > 1 else ''}"
        if folder == out_dir:
            what = "a set without variant folders (the outputs now go to one per variant)"
        else:
            what = f"variant `{folder.name}`, no longer in the spec"
        reasons.append(f"{folder}: {count} of {what} ({_left('them')})")
    return reasons


def _stray_what(path: Path) -> str:
    """What the spec no longer has, judged by the stray output's name."""
    name = path.name
    if fnmatchcase(name, "conda-*.lock"):
        return "group" if "." in name.removesuffix(".lock") else "platform"
    if fnmatchcase(name, "requirements-*.txt"):
        return "group (or its pip entries)"
    if name == REQUIREMENTS_TXT or fnmatchcase(name, "pylock*.toml"):
        return "pip layer (or this variant)"
    if fnmatchcase(name, "environment-*.yml"):
        return "platform (or a reason for a file per platform)"
    return "output"


def _recorded_hash_kind(spec: Spec, directories: list[Path]) -> HashKind | None:
    value = _recorded_value(spec, directories, "hash")
    return None if value is None else hash_kind(value)


def _recorded_value(spec: Spec, directories: list[Path], key: str) -> str | None:
    """The first explicit file's `# key: value` header value: the command-line options
    the outputs were written with (`hash`, `snapshot-policy`)."""
    for directory in directories:
        for platform in spec.platforms:
            try:
                value = read_output(directory / explicit_filename(platform)).value(key)
            except OSError:
                continue
            if value:
                return value
    return None


def _recorded(out_dir: Path, directories: list[Path]) -> _Recorded | None:
    """The input parts recorded by the previous outputs: from the first environment.yml that
    has them, among the expected variant folders, then any folder a previous layout used."""
    found = _environment_headers(out_dir, directories)
    for output in found:
        value = output.value(INPUTS_KEY)
        if value is None:
            continue
        solve = output.value(INPUT_HASH_KEY)
        return _Recorded(
            parts=parse_inputs(value),
            platforms=_manifest_platforms(output.value(OUTPUTS_KEY)),
            variants=frozenset(
                other.value("variant") or DEFAULT_VARIANT
                for other in found
                if other.value(INPUT_HASH_KEY) == solve
            ),
        )
    return None


def _environment_headers(out_dir: Path, directories: list[Path]) -> list[OutputText]:
    """Every readable environment.yml of the expected folders, `out_dir` and its subfolders."""
    others = sorted(path.parent for path in out_dir.glob(f"*/{ENVIRONMENT_YML}"))
    found: list[OutputText] = []
    for directory in dict.fromkeys([*directories, out_dir, *others]):
        try:
            found.append(read_output(directory / ENVIRONMENT_YML))
        except OSError:
            continue
    return found


def _manifest_platforms(manifest: str | None) -> frozenset[str] | None:
    if manifest is None:
        return None
    prefix, suffix = explicit_filename("|").split("|")
    return frozenset(
        name[len(prefix) : -len(suffix)]
        for name in manifest.split(",")
        if name.startswith(prefix) and name.endswith(suffix)
        and "." not in name[len(prefix) : -len(suffix)]  # conda-<platform>.<group>.lock
    )


def _describe(
    recorded: _Recorded, current: Mapping[str, str], spec: Spec, options: Mapping[str, str]
) -> list[str]:
    """One line per input part that differs, in spec order."""
    old = recorded.parts
    keys = [*current, *(key for key in old if key not in current)]
    changed = [key for key in keys if old.get(key) != current.get(key)]
    lines: list[str] = []
    for key in changed:
        section, _, name = key.partition(":")
        if name:
            lines.append(_entry_change(section, name, spec, was=key in old, now=key in current))
        elif section in ENTRY_SECTIONS:
            if not any(other.startswith(f"{section}:") for other in changed):
                lines.append(f"{section}: entries reordered")
        else:
            lines.extend(_field_change(section, recorded, spec, options))
    return lines


def _entry_change(section: str, name: str, spec: Spec, *, was: bool, now: bool) -> str:
    if not now:
        return f"{section}: `{name}` removed"
    texts = "`, `".join(_entry_texts(section, name, spec))
    return f"{section}: `{texts}` added" if not was else f"{section}: `{name}` changed to `{texts}`"


def _entry_texts(section: str, name: str, spec: Spec) -> list[str]:
    if section == "conda":
        return [dep.spec for dep in spec.conda if dep.name == name]
    return [redact(str(dep.requirement)) for dep in spec.pip if dep.name == name]


def _field_change(
    field: str, recorded: _Recorded, spec: Spec, options: Mapping[str, str]
) -> list[str]:
    if field == "platforms":
        return _added_removed("platforms", recorded.platforms, spec.platforms)
    if field == "cuda":
        return _variant_changes(recorded, spec)
    if field == "python":
        return [f"python: changed to `{spec.python}`" if spec.python else "python: no longer set"]
    if field == "snapshot":
        when = spec.snapshot.isoformat() if spec.snapshot else None
        return [f"snapshot: changed to `{when}`" if when else "snapshot: no longer set"]
    if field == "name":
        return [f"name: changed to `{spec.name}`"]
    if field == "options":
        return [f"options: now {as_flags(options)}"]
    if field == "format":
        return ["hybrid's output format changed since they were written"]
    return [f"{field}: changed"]


def _added_removed(field: str, old: frozenset[str] | None, new: tuple[str, ...]) -> list[str]:
    if old is None:
        return [f"{field}: changed to `{', '.join(new)}`"]
    lines = [f"{field}: {item} added" for item in new if item not in old]
    lines.extend(f"{field}: {item} removed" for item in sorted(old - set(new)))
    return lines or [f"{field}: reordered"]


def _variant_changes(recorded: _Recorded, spec: Spec) -> list[str]:
    """Variants added and removed (the variant of a spec without `cuda:` is not named)."""
    now = [v.name for v in spec_variants(spec) if v.cuda is not None]
    old = recorded.variants - {DEFAULT_VARIANT}
    lines = [f"cuda: variant `{name}` added" for name in now if name not in old]
    lines.extend(f"cuda: variant `{name}` removed" for name in sorted(old - set(now)))
    return lines or [f"cuda: changed to `{', '.join(map(str, spec.cuda)) or 'not set'}`"]
