"""The input hash and its parts: each spec field and each entry has a digest of its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hybrid.spec import load_spec
from hybrid.spec.fingerprint import input_hash, input_parts, output_options
from hybrid.spec.model import Spec

BASE = (
    "version: 1\nname: demo\nchannels: [hybrid-demo]\nplatforms: [linux-64, osx-arm64]\n"
    'python: "3.11"\ncuda: [cpu, "12.6"]\nconda:\n  - numpy >=1.26\n  - tzdata\n'
    "pip:\n  - six >=1.16\n  - wandb\n"
)
OPTIONS = output_options(hash_kind="md5")

Load = Callable[[str], Spec]


@pytest.fixture
def load(tmp_path: Path) -> Load:
    def load(text: str) -> Spec:
        path = tmp_path / "spec.yaml"
        path.write_text(text, encoding="utf-8")
        return load_spec(path)

    return load


def _changed(load: Load, edited: str, options: dict[str, str] = OPTIONS) -> set[str]:
    before, after = input_parts(load(BASE), OPTIONS), input_parts(load(edited), options)
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def test_parts_name_every_field_and_entry(load: Load) -> None:
    parts = input_parts(load(BASE), OPTIONS)
    assert list(parts)[:2] == ["format", "options"]
    assert {"name", "channels", "platforms", "python", "cuda", "conda", "pip"} <= set(parts)
    assert {"conda:numpy", "conda:tzdata", "pip:six", "pip:wandb"} <= set(parts)
    assert all(len(digest) == 8 for digest in parts.values())


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('python: "3.11"', 'python: "3.12"', {"python"}),
        ('cuda: [cpu, "12.6"]', "cuda: [cpu]", {"cuda"}),
        ("  - numpy >=1.26\n", "  - numpy >=2\n", {"conda", "conda:numpy"}),
        ("  - tzdata\n", "", {"conda", "conda:tzdata"}),
        ("  - wandb\n", "  - wandb\n  - rich\n", {"pip", "pip:rich"}),
        ("  - six >=1.16\n", "  - six >=1.17\n", {"pip", "pip:six"}),
        ("  - numpy >=1.26\n  - tzdata\n", "  - tzdata\n  - numpy >=1.26\n", {"conda"}),
        ("name: demo", "name: other", {"name"}),
        # `promote:` enters the hash only when set to other than its default `auto`
        ("name: demo", "name: demo\npromote: auto", set()),
        ("name: demo", "name: demo\npromote: 'off'", {"promote"}),
        ("name: demo", "name: demo\npromote: [tqdm]", {"promote"}),
    ],
)
def test_an_edit_changes_exactly_its_parts(
    load: Load, old: str, new: str, expected: set[str]
) -> None:
    assert old in BASE
    assert _changed(load, BASE.replace(old, new)) == expected


def test_an_option_changes_only_options(load: Load) -> None:
    assert _changed(load, BASE, output_options(hash_kind="sha256")) == {"options"}


def test_a_comment_changes_nothing(load: Load) -> None:
    assert _changed(load, "# note\n" + BASE) == set()


def test_parts_change_whenever_the_input_hash_does(load: Load) -> None:
    edited = load(BASE.replace("  - wandb\n", ""))
    assert input_hash(edited, OPTIONS) != input_hash(load(BASE), OPTIONS)
    assert input_parts(edited, OPTIONS) != input_parts(load(BASE), OPTIONS)


def test_credentials_are_no_part_of_the_input_hash(load: Load) -> None:
    """The outputs never name them: a new token must not make them stale, and no digest in
    a header may help guess a password."""
    plain = BASE.replace("[hybrid-demo]", "['https://repo.lab/private']")
    plain += "pip-index: {index-url: 'https://pypi.lab/simple'}\n"
    secret = plain.replace("https://repo.lab/", "https://ci:s3cret@repo.lab/t/tk-1/").replace(
        "https://pypi.lab/", "https://bot:t0ken@pypi.lab/"
    )
    assert input_hash(load(secret), OPTIONS) == input_hash(load(plain), OPTIONS)
    assert input_parts(load(secret), OPTIONS) == input_parts(load(plain), OPTIONS)


def test_changed_options_are_told_as_the_flags_that_give_them() -> None:
    from hybrid.spec.fingerprint import as_flags

    assert as_flags(output_options(hash_kind="md5")) == "--hash md5"
    strict = output_options(hash_kind="sha256", snapshot_strict=True)
    assert as_flags(strict) == "--hash sha256 --snapshot-strict"
