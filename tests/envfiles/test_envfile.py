"""environment.yml reading: positions, pip blocks, selectors, structure problems."""

from __future__ import annotations

from hybrid.envfiles.read import read_inventory
from tests.conftest import WriteInput


def test_items_blocks_and_positions(write_input: WriteInput) -> None:
    inv = read_inventory(
        write_input(
            "environment.yml",
            (
                "name: lab\n"
                "channels:\n  - conda-forge\n"
                "dependencies:\n"
                "  - pip:\n      - rich\n"
                "  - numpy=1.26  # [linux64 or osx]\n"
                "  - pip:\n      - -e git+https://h/r.git#egg=tool\n"
                "variables:\n  A: 1\n"
            ),
        )
    )
    assert inv.kind == "environment"
    assert inv.name is not None and inv.name.text == "lab"
    assert [(c.spec, c.selector, c.order, c.location.line) for c in inv.conda] == [
        ("numpy 1.26.*", "linux64 or osx", 1, 7)
    ]
    assert [(b.order, b.location.line, b.location.column) for b in inv.pip_blocks] == [
        (0, 5, 5),
        (2, 8, 5),
    ]
    assert [(p.block, str(p.requirement)) for p in inv.pip] == [
        (0, "rich"),
        (1, "tool @ git+https://h/r.git"),
    ]
    assert "variables:" in [n.what for n in inv.notes]


def test_structure_problems_are_located(write_input: WriteInput) -> None:
    inv = read_inventory(
        write_input(
            "environment.yml",
            (
                "channels: conda-forge\n"
                "dependencies:\n  - 1.5\n  - {pip: rich}\n  - {a: 1, b: 2}\n  -\n"
                "  - pip:\n      - [x]\n"
            ),
        )
    )
    assert [where.line for where, _ in inv.problems] == [3, 4, 5, 6, 8]
    assert [c.text for c in inv.channels] == ["conda-forge"]


def test_kind_detection(write_input: WriteInput) -> None:
    assert read_inventory(write_input("spec.yaml", "version: 1\nname: x\n")).kind == "spec"
    assert read_inventory(write_input("env", "dependencies: []\n")).kind == "environment"
    assert read_inventory(write_input("r.in", "rich\n")).kind == "requirements"
    assert read_inventory(write_input("x.yml", "@EXPLICIT\n")).kind == "explicit"
    binary = read_inventory(write_input("b.txt", b"\xff\x00"))
    assert binary.kind == "requirements"
    assert binary.problems[0][1].startswith("not UTF-8 text")


def test_an_environment_file_and_a_spec_share_name_channels_platforms_and_the_lock_claim(
    write_input: WriteInput,
) -> None:
    head = "name: lab\nchannels: [conda-forge, bioconda]\nplatforms: [linux-64]\n"
    env = read_inventory(write_input("environment.lock.yml", head + "dependencies: [numpy]\n"))
    spec = read_inventory(write_input("spec.yaml", "version: 1\n" + head + "conda: [numpy]\n"))
    assert (env.kind, spec.kind) == ("environment", "spec")
    for inv in (env, spec):
        assert inv.name is not None and inv.name.text == "lab"
        assert [c.text for c in inv.channels] == ["conda-forge", "bioconda"]
        assert [p.text for p in inv.platforms] == ["linux-64"]
    assert env.claims_lock and not spec.claims_lock
