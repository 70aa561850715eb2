"""Read a `conda-lock.yml` (conda-lock's format, version 1 or 2) into the records hybrid
writes it from (`emit.conda_lock_model`), without conda-lock or pydantic.

The YAML is composed by PyYAML's libyaml loader (`CSafeLoader`: 42 ms for an 11,000-line,
4-platform lock, where ruamel.yaml's pure-Python loader takes 660 ms), and each field is read
from its node, so a bad field is reported as `file:line:column: package[3].hash.md5: …`.
A string field takes the scalar's text as written: `version: 1.10` is "1.10", not 1.1.
Fields hybrid does not use are not checked; the ones it uses are checked as conda-lock's own
parser checks them (a conda package needs an md5, a url cannot be empty).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from hybrid.emit.conda_lock_model import (
    MAIN,
    MANAGERS,
    CondaLockFile,
    GitMetadata,
    InputMetadata,
    LockChannel,
    LockHash,
    LockKey,
    LockMetadata,
    LockPackage,
    LockSource,
    TimeMetadata,
)
from hybrid.errors import LockFileError

if TYPE_CHECKING:
    from yaml.nodes import Node  # type: ignore[import-untyped]

T = TypeVar("T")
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_MERGE = "tag:yaml.org,2002:merge"
_VERSIONS = (1, 2)
_HINT = "re-create it with `hybrid solve`, or pass a conda-lock.yml written by conda-lock"


def read_conda_lock(path: Path) -> CondaLockFile:
    """The records of the lock file at `path`; LockFileError for anything else."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LockFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LockFileError(f"{path}: cannot be read ({exc})") from None
    return parse_conda_lock(text, path=path)


def parse_conda_lock(text: str, *, path: Path) -> CondaLockFile:
    root = _Field(path=path, node=_compose(text, path), name="")
    top = root.mapping()
    version = _required(root, top, "version")
    number = version.integer()
    if number not in _VERSIONS:
        raise version.fail(f"unknown version {number} (this reader knows 1 and 2)")
    packages = [_package(item, version=number) for item in _required(root, top, "package").items()]
    return CondaLockFile(
        metadata=_metadata(_required(root, top, "metadata")), packages=_merged(packages)
    )


@dataclass(slots=True)  # not frozen: a frozen __init__ costs a third of the walk
class _Field:
    """One node of the document and the dotted name of the field it is."""

    path: Path
    node: Node | None
    name: str

    def fail(self, problem: str) -> LockFileError:
        where = str(self.path)
        if self.node is not None:
            mark = self.node.start_mark
            where += f":{mark.line + 1}:{mark.column + 1}"
        return LockFileError(
            f"{where}: {self.name or 'top level'}: {problem}; not a readable conda-lock file",
            hint=_HINT,
        )

    def child(self, node: Node, name: str) -> _Field:
        return _Field(path=self.path, node=node, name=name)

    def mapping(self, _merging: frozenset[int] = frozenset()) -> dict[str, _Field]:
        """The fields of a mapping; `<<: *anchor` merge keys as YAML 1.1 (and conda-lock's
        loader) read them: merged fields first, the mapping's own fields over them."""
        node = self._expect("MappingNode", "a mapping")
        if id(node) in _merging:
            raise self.fail("a merge key (<<) merges this mapping into itself")
        merged: dict[str, _Field] = {}
        out: dict[str, _Field] = {}
        for key, value in node.value:
            if key.tag == _MERGE:
                for source in self._merge_sources(value):
                    for name, found in source.mapping(_merging | {id(node)}).items():
                        merged.setdefault(name, found)
                continue
            key_text = self.child(key, self.name).string()
            out[key_text] = self.child(value, f"{self.name}.{key_text}".lstrip("."))
        return {**merged, **out}

    def _merge_sources(self, value: Node) -> list[_Field]:
        at = self.child(value, f"{self.name}.<<".lstrip("."))
        if type(value).__name__ == "SequenceNode":
            return at.items()
        return [at]

    def items(self) -> list[_Field]:
        node = self._expect("SequenceNode", "a list")
        return [self.child(item, f"{self.name}[{i}]") for i, item in enumerate(node.value)]

    def string(self) -> str:
        node = self._expect("ScalarNode", "a string")
        if node.tag == _NULL:
            raise self.fail("expected a string, found nothing (null)")
        return cast(str, node.value)

    def optional_string(self) -> str | None:
        if self.node is not None and self.node.tag == _NULL:
            return None
        return self.string()

    def strings(self) -> tuple[str, ...]:
        return tuple(item.string() for item in self.items())

    def string_map(self) -> dict[str, str]:
        return {key: value.string() for key, value in self.mapping().items()}

    def integer(self) -> int:
        node = self._expect("ScalarNode", "an integer")
        if node.tag != _INT:
            raise self.fail(f"expected an integer, found {node.value!r}")
        return int(str(node.value).replace("_", ""), 0)

    def boolean(self) -> bool:
        node = self._expect("ScalarNode", "true or false")
        if node.tag != _BOOL:
            raise self.fail(f"expected true or false, found {node.value!r}")
        return str(node.value).lower() in ("true", "yes", "on")

    def _expect(self, kind: str, wanted: str) -> Node:
        if self.node is None or type(self.node).__name__ != kind:
            raise self.fail(f"expected {wanted}, found {_describe(self.node)}")
        return self.node


def _compose(text: str, path: Path) -> Node:
    import yaml  # type: ignore[import-untyped]  # libyaml's loader; imported when a lock is read

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise LockFileError(
            f"{where}: invalid YAML ({exc.problem or exc.context}); not a readable "
            "conda-lock file", hint=_HINT
        ) from None
    except yaml.YAMLError as exc:
        raise LockFileError(f"{path}: invalid YAML ({exc})", hint=_HINT) from None
    except RecursionError:  # PyYAML's pure-Python loader, where libyaml is absent
        raise LockFileError(f"{path}: invalid YAML (nested too deeply)", hint=_HINT) from None
    if node is None:
        raise LockFileError(f"{path}: empty; not a readable conda-lock file", hint=_HINT)
    return cast("Node", node)


def _describe(node: Node | None) -> str:
    kind = type(node).__name__
    if node is None:
        return "nothing"
    if kind == "MappingNode":
        return "a mapping"
    if kind == "SequenceNode":
        return "a list"
    return "nothing (null)" if node.tag == _NULL else f"{node.value!r}"


def _required(parent: _Field, fields: dict[str, _Field], name: str) -> _Field:
    found = fields.get(name)
    if found is None:
        raise parent.fail(f"no `{name}` field" if name != "version" else "missing a version")
    return found


def _optional(fields: dict[str, _Field], name: str, read: Callable[[_Field], T]) -> T | None:
    found = fields.get(name)
    if found is None or (found.node is not None and found.node.tag == _NULL):
        return None
    return read(found)


def _metadata(at: _Field) -> LockMetadata:
    fields = at.mapping()
    return LockMetadata(
        content_hash=_required(at, fields, "content_hash").string_map(),
        channels=tuple(_channel(c) for c in _required(at, fields, "channels").items()),
        platforms=_required(at, fields, "platforms").strings(),
        sources=_required(at, fields, "sources").strings(),
        time_metadata=_optional(fields, "time_metadata", _time),
        git_metadata=_optional(fields, "git_metadata", _git),
        inputs_metadata=_optional(fields, "inputs_metadata", _inputs),
        custom_metadata=_optional(fields, "custom_metadata", _Field.string_map),
    )


def _channel(at: _Field) -> LockChannel:
    if at.node is not None and type(at.node).__name__ == "ScalarNode":
        return LockChannel(url=at.string())  # conda-lock accepts a bare channel name too
    fields = at.mapping()
    used = _optional(fields, "used_env_vars", _Field.strings)
    return LockChannel(url=_required(at, fields, "url").string(), used_env_vars=used or ())


def _time(at: _Field) -> TimeMetadata:
    fields = at.mapping()
    return TimeMetadata(created_at=_required(at, fields, "created_at").string())


def _git(at: _Field) -> GitMetadata:
    fields = at.mapping()
    return GitMetadata(
        git_user_name=_optional(fields, "git_user_name", _Field.string),
        git_user_email=_optional(fields, "git_user_email", _Field.string),
        git_sha=_optional(fields, "git_sha", _Field.string),
    )


def _inputs(at: _Field) -> dict[str, InputMetadata]:
    return {name: _input(value) for name, value in at.mapping().items()}


def _input(at: _Field) -> InputMetadata:
    fields = at.mapping()
    return InputMetadata(
        md5=_optional(fields, "md5", _Field.string),
        sha256=_optional(fields, "sha256", _Field.string),
    )


def _package(at: _Field, *, version: int) -> LockPackage:
    fields = at.mapping()
    manager_field = _required(at, fields, "manager")
    manager = manager_field.string()
    if manager not in MANAGERS:
        raise manager_field.fail(f"expected conda or pip, found {manager!r}")
    hash_field = _required(at, fields, "hash")
    digest = _hash(hash_field)
    if manager == "conda" and digest.md5 is None:
        raise hash_field.fail("a conda package needs an md5")
    url_field = _required(at, fields, "url")
    url = url_field.string()
    if not url:
        raise url_field.fail("the url is empty")
    return LockPackage(
        name=_required(at, fields, "name").string(),
        version=_required(at, fields, "version").string(),
        manager=manager,
        platform=_required(at, fields, "platform").string(),
        url=url,
        hash=digest,
        dependencies=_optional(fields, "dependencies", _Field.string_map) or {},
        source=_optional(fields, "source", _source),
        build=_optional(fields, "build", _Field.string),
        categories=_categories(at, fields, version=version),
    )


def _hash(at: _Field) -> LockHash:
    fields = at.mapping()
    return LockHash(
        md5=_optional(fields, "md5", _Field.string),
        sha256=_optional(fields, "sha256", _Field.string),
    )


def _source(at: _Field) -> LockSource:
    fields = at.mapping()
    kind = _required(at, fields, "type")
    if kind.string() != "url":
        raise kind.fail(f"expected url, found {kind.string()!r}")
    return LockSource(url=_required(at, fields, "url").string())


def _categories(at: _Field, fields: dict[str, _Field], *, version: int) -> frozenset[str]:
    if version == 1:
        _optional(fields, "optional", _Field.boolean)
        return frozenset({_optional(fields, "category", _Field.string) or MAIN})
    return frozenset(_optional(fields, "categories", _Field.strings) or ())


def _merged(packages: list[LockPackage]) -> tuple[LockPackage, ...]:
    """One record per (manager, name, platform): a version 1 file repeats a package once per
    category; the first entry's fields are kept, the categories are joined."""
    by_key: dict[LockKey, LockPackage] = {}
    for package in packages:
        seen = by_key.get(package.key)
        by_key[package.key] = package if seen is None else replace(
            seen, categories=seen.categories | package.categories
        )
    return tuple(by_key.values())
