"""The JSON Schema is the single source of truth: these tests fail when code and schema disagree.

Every field the schema defines is found by walking the schema itself, so adding a key to the
schema without handling it in `normalize` and `Spec.to_dict()` makes a test here fail.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for

from hybrid.platforms import (
    DEFAULT_GLIBC,
    DEFAULT_LINUX,
    DEFAULT_PLATFORMS,
    PLATFORMS,
    default_macos,
)
from hybrid.spec import load_spec
from hybrid.spec.model import System
from hybrid.spec.normalize import DEFAULT_CHANNELS
from hybrid.spec.schema import SCHEMA_RESOURCE, spec_schema, top_level_keys
from tests.conftest import REPO, RunCli
from tests.spec.schema_walk import SCHEMA, SCHEMA_BYTES, FieldPath, schema_fields, walk

BASE = "version: 1\nname: contract\n"
WriteSpec = Callable[..., Path]

# Top-level keys that are deliberately not part of `Spec.to_dict()`, with the reason.
NOT_IN_TO_DICT = {
    "version": "the format of the file, not its content (outputs carry their own OUTPUT_FORMAT)",
    "solver": "how the conda layer is solved, not what: either solver's answer is a valid lock",
}
LAB_PYPROJECT = Path(__file__).resolve().parent.parent / "data" / "pyproject-lab" / "pyproject.toml"
ONLY_WHEN_SET = {
    "promote": "only when set to other than `auto`, so a spec without it keeps its hash",
    "groups": "only when the spec has groups, so a spec without them keeps its input hash",
    "project": "only when the spec names its project, so a spec without it keeps its hash",
}


@dataclass(frozen=True)
class Case:
    """A spec snippet setting one field, and what `Spec.to_dict()` holds at that field then."""

    yaml: str
    expected: Any
    #: where to_dict holds it when not at the field's own path (a lone `cuda:` is a list there)
    at: FieldPath | None = None


# One case per schema field. A new schema field needs a case here, and code that reads it.
CASES: dict[FieldPath, Case] = {
    ("version",): Case("", 1),
    ("solver",): Case("solver: libmamba", None),
    ("name",): Case("", "contract"),
    ("channels",): Case("channels: [pytorch, conda-forge]", ["pytorch", "conda-forge"]),
    ("platforms",): Case("platforms: [linux-aarch64, osx-arm64]", ["linux-aarch64", "osx-arm64"]),
    ("python",): Case('python: "3.12"', "3.12"),
    ("cuda",): Case('cuda: ["cpu", "12.4"]', ["cpu", "12.4"]),
    ("cuda", "version"): Case(
        'cuda: {version: "12.6", arch: "8.0"}', "12.6", at=("cuda", 0, "version")
    ),
    ("cuda", "driver"): Case(
        'cuda: {version: "12.6", driver: "12.4"}', "12.4", at=("cuda", 0, "driver")
    ),
    ("cuda", "arch"): Case('cuda: {version: "12.6", arch: "8.0"}', "8.0", at=("cuda", 0, "arch")),
    ("cuda", 0, "version"): Case('cuda: [{version: "12.6", arch: "9.0"}, cpu]', "12.6"),
    ("cuda", 0, "driver"): Case('cuda: [{version: "12.6", driver: "12.0"}]', "12.0"),
    ("cuda", 0, "arch"): Case('cuda: [{version: "12.6", arch: "9.0"}, cpu]', "9.0"),
    ("conda",): Case("conda: [numpy >=1.26]", [{"spec": "numpy >=1.26"}]),
    ("conda", 0, "spec"): Case("conda: [{spec: scipy}]", "scipy"),
    ("conda", 0, "platforms"): Case("conda: [{spec: pywin32, platforms: [win-64]}]", ["win-64"]),
    ("pip",): Case("pip: ['requests>=2', wandb]", ["requests>=2", "wandb"]),
    ("pip-build",): Case("pip-build: [PyArrow, numpy]", ["numpy", "pyarrow"]),
    ("promote",): Case("promote: [Tqdm, torchvision]", ["torchvision", "tqdm"]),
    ("pip-index",): Case(
        "pip-index: {index-url: 'https://example.org/simple'}",
        {"index-url": "https://example.org/simple", "extra-index-urls": [], "find-links": []},
    ),
    ("pip-index", "index-url"): Case(
        "pip-index: {index-url: 'https://example.org/simple'}", "https://example.org/simple"
    ),
    ("pip-index", "extra-index-urls"): Case(
        "pip-index: {extra-index-urls: ['https://a.example/simple']}",
        ["https://a.example/simple"],
    ),
    ("pip-index", "find-links"): Case("pip-index: {find-links: [./wheels]}", ["./wheels"]),
    ("system",): Case("system: {glibc: '2.17'}", {"glibc": "2.17", "linux": None, "macos": None}),
    ("system", "glibc"): Case("system: {glibc: '2.17'}", "2.17"),
    ("system", "linux"): Case("system: {linux: '4.18'}", "4.18"),
    ("system", "macos"): Case("system: {macos: '10.15'}", "10.15"),
    ("snapshot",): Case("snapshot: 2026-06-01", "2026-06-01T00:00:00+00:00"),
    ("snapshot", "date"): Case(
        "snapshot: {date: 2026-06-01, exempt: [torch]}", "2026-06-01T00:00:00+00:00"
    ),
    ("snapshot", "exempt"): Case("snapshot: {date: 2026-06-01, exempt: [Torch]}", ["torch"]),
    ("pip", "from"): Case(
        f"pip: {{from: '{LAB_PYPROJECT}'}}", ["requests>=2", "tqdm"], at=("pip",)
    ),
    ("pip", "extras"): Case(
        f"pip: {{from: '{LAB_PYPROJECT}', extras: [docs]}}",
        ["requests>=2", "tqdm", "sphinx"],
        at=("pip",),
    ),
    ("project",): Case(f"project: '{LAB_PYPROJECT.parent}'", str(LAB_PYPROJECT.parent)),
    ("groups",): Case(
        "groups: {dev: {conda: [ipykernel], pip: ['pytest>=8']}}",
        {"dev": {"conda": [{"spec": "ipykernel"}], "pip": ["pytest>=8"]}},
    ),
}

MISSING = object()


def _dig(data: Any, path: FieldPath) -> Any:
    for part in path:
        in_list = isinstance(data, list) and isinstance(part, int) and part < len(data)
        if in_list or (isinstance(data, dict) and part in data):
            data = data[part]
        else:
            return MISSING
    return data


def _to_dict(write_spec: WriteSpec, snippet: str) -> dict[str, Any]:
    path = write_spec(BASE + snippet + "\n")
    spec_dict: dict[str, Any] = load_spec(path).to_dict()
    return spec_dict


# --- the schema itself -----------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert validator_for(SCHEMA) is Draft202012Validator
    Draft202012Validator.check_schema(SCHEMA)


def test_code_reads_the_packaged_schema() -> None:
    assert spec_schema() == SCHEMA
    assert top_level_keys() == frozenset(SCHEMA["properties"])


def test_top_level_schema_is_a_symlink_to_the_packaged_one() -> None:
    top = REPO / "schemas" / SCHEMA_RESOURCE
    packaged = REPO / "src" / "hybrid" / "schemas" / SCHEMA_RESOURCE
    assert top.is_symlink(), f"{top} must be a symlink to {packaged}"
    assert top.resolve() == packaged.resolve()
    assert top.read_bytes() == packaged.read_bytes() == SCHEMA_BYTES


def test_the_wheel_ships_the_schema(tmp_path: Path) -> None:
    uv = pytest.importorskip("uv").find_uv_bin()
    build = subprocess.run(
        [uv, "build", "--wheel", "--offline", "--quiet", "-o", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel offline here: {build.stderr.strip()[-300:]}")
    (wheel,) = tmp_path.glob("hybrid_env-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(f"hybrid/schemas/{SCHEMA_RESOURCE}") == SCHEMA_BYTES
        assert "hybrid/schemas/__init__.py" in archive.namelist()


def test_every_object_rejects_unknown_keys() -> None:
    open_objects = [
        path
        for path, node in walk(SCHEMA)
        if "properties" in node and node.get("additionalProperties") is not False
    ]
    assert open_objects == [], "unknown keys must be errors (additionalProperties: false)"


# --- every schema field is handled by the code -----------------------------------------------


def test_every_schema_field_has_a_case() -> None:
    fields = set(schema_fields())
    assert fields - set(CASES) == set(), (
        "the schema has fields the code is not known to handle: read them in `normalize`, "
        "put them in `Spec.to_dict()` under the same key, and add a Case here"
    )
    assert set(CASES) - fields == set(), "Cases for fields the schema no longer has"


@pytest.mark.parametrize("field", schema_fields(), ids=lambda p: ".".join(map(str, p)))
def test_schema_field_is_read_into_to_dict(write_spec: WriteSpec, field: FieldPath) -> None:
    case = CASES.get(field)
    if case is None:
        pytest.fail(f"no Case for schema field {field}; handle it in normalize and to_dict")
    baseline = _to_dict(write_spec, "")
    with_field = _to_dict(write_spec, case.yaml)
    if field[0] in NOT_IN_TO_DICT:
        assert field[0] not in with_field, f"`{field[0]}` is in to_dict: drop NOT_IN_TO_DICT"
        return
    assert _dig(with_field, case.at or field) == case.expected
    if case.yaml:
        assert _dig(baseline, case.at or field) != case.expected, "the case must change the value"


def test_to_dict_has_exactly_the_schema_keys(write_spec: WriteSpec) -> None:
    spec_dict = _to_dict(write_spec, CASES[("conda", 0, "platforms")].yaml)
    assert set(spec_dict) == set(SCHEMA["properties"]) - set(NOT_IN_TO_DICT) - set(ONLY_WHEN_SET)
    promoted = _to_dict(write_spec, CASES[("promote",)].yaml)
    assert set(promoted) - set(spec_dict) == {"promote"}
    properties = SCHEMA["properties"]
    assert set(spec_dict["pip-index"]) == set(properties["pip-index"]["properties"])
    assert set(spec_dict["system"]) == set(properties["system"]["properties"])
    conda_entry = next(b for b in properties["conda"]["items"]["oneOf"] if "properties" in b)
    assert set(spec_dict["conda"][0]) == set(conda_entry["properties"])


def test_required_keys_are_reported_missing(write_spec: WriteSpec, run_cli: RunCli) -> None:
    assert SCHEMA["required"] == ["version", "name"]
    result = run_cli("validate", write_spec("python: '3.11'\n"))
    assert result.exit_code == 2
    for key in SCHEMA["required"]:
        assert f":1:1: (document): missing required key `{key}`" in result.stderr


# --- values the schema names are the values the code uses -----------------------------------


def test_platform_enum_is_the_platform_list() -> None:
    assert tuple(SCHEMA["$defs"]["platform"]["enum"]) == PLATFORMS
    assert set(DEFAULT_PLATFORMS) <= set(PLATFORMS)


def _default_list(description: str) -> tuple[str, ...]:
    found = re.search(r"Default: \[([^\]]*)\]", description)
    assert found is not None, description
    return tuple(item.strip() for item in found[1].split(","))


def test_documented_defaults_are_the_code_defaults(write_spec: WriteSpec) -> None:
    properties = SCHEMA["properties"]
    assert _default_list(properties["channels"]["description"]) == DEFAULT_CHANNELS
    assert _default_list(properties["platforms"]["description"]) == DEFAULT_PLATFORMS
    spec_dict = _to_dict(write_spec, "")
    assert tuple(spec_dict["channels"]) == DEFAULT_CHANNELS
    assert tuple(spec_dict["platforms"]) == DEFAULT_PLATFORMS


def test_documented_system_defaults_are_the_code_defaults() -> None:
    description = SCHEMA["properties"]["system"]["description"]
    found = re.search(
        r"glibc ([\d.]+), linux ([\d.]+), macOS ([\d.]+) \(x86_64\) and ([\d.]+) \(arm64\)",
        description,
    )
    assert found is not None, description
    glibc, linux, macos_x86, macos_arm = found.groups()
    assert (glibc, linux) == (DEFAULT_GLIBC, DEFAULT_LINUX)
    assert (default_macos("x86_64"), default_macos("arm64")) == (macos_x86, macos_arm)
    system = System()
    assert system.glibc_version() == glibc
    assert system.linux_version() == linux
    assert system.macos_version("x86_64") == macos_x86
    assert system.macos_version("arm64") == macos_arm


def test_documented_cuda_driver_default_is_the_code_default(write_spec: WriteSpec) -> None:
    """`driver` defaults to the variant's `version`: the `__cuda` the solve sees."""
    description = SCHEMA["$defs"]["cudaFloors"]["properties"]["driver"]["description"]
    assert "Default: the variant's `version`" in description
    spec = load_spec(write_spec(f'{BASE}cuda: [{{version: "12.6", arch: "8.0"}}, "12.4"]\n'))
    assert [c.driver_floor for c in spec.cuda] == ["12.6", "12.4"]


def test_documented_promote_default_is_the_code_default(write_spec: WriteSpec) -> None:
    """`promote` is `auto` unless set; `auto` and its absence are one input (one hash)."""
    assert "`auto` (the default)" in SCHEMA["properties"]["promote"]["description"]
    absent = load_spec(write_spec(BASE))
    assert absent.promote.mode == "auto" and absent.promote.names == ()
    assert load_spec(write_spec(BASE + "promote: auto\n")).to_dict() == absent.to_dict()
    assert load_spec(write_spec(BASE + "promote: 'off'\n")).to_dict()["promote"] == "off"


def test_every_documented_default_is_checked() -> None:
    documented = {
        path for path, node in walk(SCHEMA) if "default" in node.get("description", "").lower()
    }
    assert documented == {
        ("channels",),
        ("platforms",),
        ("system",),
        ("promote",),
        ("cuda", "driver"),
        ("cuda", 0, "driver"),
    }, (
        "a schema description names a default no test compares with the code"
    )


def test_documented_python_shorthand(write_spec: WriteSpec) -> None:
    description = SCHEMA["properties"]["python"]["description"]
    found = re.search(r'"([\d.]+)" means the conda spec `([^`]+)`', description)
    assert found is not None, description
    spec = load_spec(write_spec(f'{BASE}python: "{found[1]}"\n'))
    assert spec.python_spec() == found[2]


def _breaking(field: FieldPath) -> str:
    """A spec whose value at `field` is `x y`, which no pattern of the schema accepts."""
    value: Any = "x y"
    for part in reversed(field):
        value = [value] if isinstance(part, int) else {part: value}
    if field == ("name",):
        return 'version: 1\nname: "x y"\n'
    return BASE + "".join(f"{key}: {json.dumps(v)}\n" for key, v in value.items())


@pytest.mark.parametrize(
    "field",
    sorted({p for p, node in walk(SCHEMA) if "pattern" in node}, key=str),
    ids=lambda p: ".".join(map(str, p)),
)
def test_every_pattern_has_a_human_explanation(
    write_spec: WriteSpec, run_cli: RunCli, field: FieldPath
) -> None:
    """A value breaking a pattern is explained in words, never as `in the expected form`."""
    result = run_cli("validate", write_spec(_breaking(field)))
    assert result.exit_code == 2
    assert "'x y' is not " in result.stderr
    assert "in the expected form" not in result.stderr


def test_different_patterns_are_explained_differently(
    write_spec: WriteSpec, run_cli: RunCli
) -> None:
    """Two fields sharing an explanation must share the pattern it explains."""
    explained: dict[str, set[str]] = {}
    for field in sorted({p for p, node in walk(SCHEMA) if "pattern" in node}, key=str):
        pattern = next(n["pattern"] for p, n in walk(SCHEMA) if p == field and "pattern" in n)
        result = run_cli("validate", write_spec(_breaking(field)))
        name = ".".join(f"[{p}]" if isinstance(p, int) else p for p in field).replace(".[", "[")
        found = re.search(rf"{re.escape(name)}: 'x y' is not (.*)$", result.stderr, re.M)
        assert found is not None, result.stderr
        explained.setdefault(found[1], set()).add(pattern)
    shared = {meaning: patterns for meaning, patterns in explained.items() if len(patterns) > 1}
    assert shared == {}, "one explanation for different patterns"


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


@pytest.mark.parametrize("field", sorted(CASES, key=str), ids=lambda p: ".".join(map(str, p)))
def test_to_dict_is_a_spec_again(write_spec: WriteSpec, field: FieldPath) -> None:
    """`to_dict()` speaks the schema's language: written back as a spec it loads to itself."""
    first = _to_dict(write_spec, CASES[field].yaml)
    again = {"version": 1, **_without_empty(first)}
    path = write_spec(json.dumps(again), "again.yaml")
    assert load_spec(path).to_dict() == first
