"""`cuda:` entries with driver and GPU floors: the long form next to the short one, located
problems for bad values, stable variant names, and an unchanged `to_dict()` for the short form."""

from __future__ import annotations

from pathlib import Path

from hybrid.spec import load_spec
from hybrid.spec.variants import spec_variants
from tests.spec.conftest import CheckSpec

BASE = "version: 1\nname: floors\n"


def _load(tmp_path: Path, cuda: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(f"{BASE}cuda: {cuda}\n", encoding="utf-8")
    return path


def test_short_and_long_forms_mix_and_keep_their_variant_names(tmp_path: Path) -> None:
    cuda = '[cpu, "12.4", {version: "12.6", driver: "12.2", arch: "8.0"}]'
    spec = load_spec(_load(tmp_path, cuda))
    variants = spec_variants(spec)
    assert [v.name for v in variants] == ["cpu", "cuda-12.4", "cuda-12.6"]
    assert [(v.driver_floor, v.arch) for v in variants] == [
        (None, None), ("12.4", None), ("12.2", "8.0")
    ]  # fmt: skip
    assert [str(c.location).rsplit(":", 2)[1:] for c in spec.cuda] == [
        ["3", "8"], ["3", "13"], ["3", "21"]
    ]  # fmt: skip


def test_the_short_form_keeps_its_to_dict_and_the_floors_enter_it(tmp_path: Path) -> None:
    short = load_spec(_load(tmp_path, '"12.6"')).to_dict()["cuda"]
    bare = load_spec(_load(tmp_path, '{version: "12.6"}')).to_dict()["cuda"]
    floored = load_spec(_load(tmp_path, '{version: "12.6", driver: "12.4"}')).to_dict()["cuda"]
    arch = load_spec(_load(tmp_path, '{version: "12.6", arch: "9.0"}')).to_dict()["cuda"]
    assert short == bare == ["12.6"]
    assert floored == [{"version": "12.6", "driver": "12.4"}]
    assert arch == [{"version": "12.6", "arch": "9.0"}]


def test_a_driver_of_an_older_major_is_a_located_problem(check_spec: CheckSpec) -> None:
    result = check_spec(f'{BASE}cuda:\n  - cpu\n  - {{version: "12.6", driver: "11.8"}}\n')
    assert result.exit_code == 2
    assert result.has(
        "5:31", "cuda[1].driver: 11.8 cannot run CUDA 12.6", "only within its major version",
        "driver for CUDA 12.0 or newer",
    ), result.problems  # fmt: skip


def test_a_driver_newer_than_the_version_or_older_in_its_major_is_fine(
    check_spec: CheckSpec,
) -> None:
    cuda = '[{version: "12.6", driver: "12.0"}, {version: "11.8", driver: "12.4"}]'
    result = check_spec(f"{BASE}cuda: {cuda}\n")
    assert result.exit_code == 0, result.stderr


def test_bad_floor_values_are_located_and_explained(check_spec: CheckSpec) -> None:
    result = check_spec(f'{BASE}cuda: [{{version: "12.6", arch: "sm_80", driver: 12.4}}]\n')
    assert result.exit_code == 2
    assert result.has("3:32", "cuda[0].arch", "a GPU compute capability"), result.problems
    assert result.has("3:49", "cuda[0].driver", 'write it in quotes: "12.4"'), result.problems


def test_cpu_takes_no_floors_and_unknown_keys_are_named(check_spec: CheckSpec) -> None:
    result = check_spec(f'{BASE}cuda: [{{version: cpu}}, {{version: "12.6", drivers: "12.4"}}]\n')
    assert result.exit_code == 2
    assert result.has("3:18", "cuda[0].version", "a CUDA version"), result.problems
    assert result.has("3:42", "unknown key `drivers`", "did you mean `driver`"), result.problems


def test_one_variant_per_version(check_spec: CheckSpec) -> None:
    result = check_spec(f'{BASE}cuda:\n  - "12.6"\n  - {{version: "12.6", driver: "12.4"}}\n')
    assert result.exit_code == 2
    assert result.has("5:5", "cuda[1]: variant `12.6` is already listed at cuda[0] (line 4)")
