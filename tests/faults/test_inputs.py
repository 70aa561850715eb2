"""Hostile but plausible inputs: each answered with a clear exit code and a located message,
never an internal error (exit 70), a hang or unbounded memory.

What could hang or exhaust memory runs in a subprocess under a timeout: a bound on the run,
not a timed assertion (before the limits, the alias bomb below ran for over 2 minutes and
2.8 GB; a FIFO blocked forever; 5,000 conda and 1,000 pip entries took minutes to import).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hybrid.errors import ExitCode
from hybrid.spec.input_file import MAX_INPUT_BYTES
from tests.conftest import RunCli, WriteInput

HYBRID = Path(sys.executable).with_name("hybrid")
# Seconds a run may take before it counts as a hang: each case below finishes in about 1 s.
BOUND = 90


def run_bounded(
    *args: str | os.PathLike[str], file_size_limit: int | None = None, stdout: int | None = None
) -> subprocess.CompletedProcess[str]:
    """`hybrid ARGS…` as a process; `subprocess.TimeoutExpired` fails the test on a hang."""

    def limit() -> None:
        if file_size_limit is not None:
            import resource  # POSIX only, as `preexec_fn` is

            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [str(HYBRID), *map(str, args)],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=BOUND,
        check=False,
        preexec_fn=limit,
    )


def assert_clear(exit_code: int, stderr: str, expected: int, *fragments: str) -> None:
    """Exit `expected`, no traceback, no internal error, and every fragment on stderr."""
    assert exit_code == expected, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    for fragment in fragments:
        assert fragment in stderr, stderr


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """`width`**`levels` values through aliases, in a few hundred bytes."""
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


# --- YAML alias bombs ---------------------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "check", "lint"])
def test_an_alias_bomb_in_a_spec_is_refused_at_once(write_input: WriteInput, command: str) -> None:
    spec = write_input("spec.yaml", "version: 1\nname: x\n" + alias_bomb())
    assert len(spec.read_bytes()) < 500
    done = run_bounded(command, spec)
    code = ExitCode.FINDINGS if command == "lint" else ExitCode.USAGE
    told = done.stdout + done.stderr  # lint's findings are its output
    assert_clear(done.returncode, told, code, f"{spec}:8:5: ", "the alias `*a4` repeats")


def test_an_alias_bomb_in_an_environment_file_stops_import(write_input: WriteInput) -> None:
    env = write_input("environment.yml", "dependencies: [numpy]\n" + alias_bomb(levels=12))
    done = run_bounded("import", env, "-o", env.with_name("spec.yaml"))
    assert_clear(done.returncode, done.stderr, ExitCode.USAGE, f"{env}:", "the alias `*a")
    assert not env.with_name("spec.yaml").exists()


def test_nested_mappings_merged_through_aliases_count_too(
    run_cli: RunCli, write_input: WriteInput
) -> None:
    levels = ["m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}"]
    for level in range(1, 9):
        keys = ", ".join(f"k{i}: *m{level - 1}" for i in range(8))
        levels.append(f"m{level}: &m{level} {{<<: *m{level - 1}, {keys}}}")
    spec = write_input("spec.yaml", "version: 1\nname: x\n" + "\n".join(levels) + "\n")
    result = run_cli("validate", spec)
    assert_clear(
        result.exit_code, result.stderr, ExitCode.USAGE, "the alias `*m", "aliases in one file"
    )


def test_aliases_within_the_budget_are_read(run_cli: RunCli, write_input: WriteInput) -> None:
    spec = write_input(
        "spec.yaml",
        "version: 1\nname: x\nplatforms: &p [linux-64, win-64]\n"
        "conda:\n  - {spec: numpy, platforms: *p}\n  - {spec: scipy, platforms: *p}\n",
    )
    result = run_cli("validate", spec)
    assert result.exit_code == 0, result.output


def test_a_recursive_alias_is_located(run_cli: RunCli, write_input: WriteInput) -> None:
    spec = write_input("spec.yaml", "version: 1\nname: x\nconda: &c [numpy, *c]\n")
    result = run_cli("validate", spec)
    assert_clear(
        result.exit_code,
        result.stderr,
        ExitCode.USAGE,
        f"{spec}:3:8: invalid YAML: this mapping or list",
    )


# --- tagged scalars -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "where", "message"),
    [
        ("python: !!set", "3:9: python", "a value tagged `!!set`"),
        ("python: !!set {a, b}", "3:9: python", "a mapping tagged `!!set`"),
        ("channels: !!bool foo", "3:11: channels", "`foo` is not true or false"),
        ("conda: !custom [a]", "3:8: conda", "a list tagged `!custom`"),
        ("channels: [!!binary aGk=]", "3:12: channels[0]", "a value tagged `!!binary`"),
        ("pip: [!!python/name:os.system x]", "3:7: pip[0]", "tagged `!!python/name:os.system`"),
        ("python: !!float 3.1x", "3:9: python", "`3.1x` is not a number"),
        ("python: !!int 3.5", "3:9: python", "`3.5` is not a whole number"),
        ("system: !!omap [glibc: '2.28']", "3:9: system", "a list tagged `!!omap`"),
        ("? [a, b]\n: c", "3:3: (document)", "a list or mapping cannot be a key"),
        ("python: !!int '3'", "3:9: python", "the tag `!!int` makes this the number 3"),
    ],
)
def test_a_tagged_value_is_a_located_type_error(
    run_cli: RunCli, write_input: WriteInput, line: str, where: str, message: str
) -> None:
    spec = write_input("spec.yaml", f"version: 1\nname: x\n{line}\n")
    result = run_cli("validate", spec)
    assert_clear(result.exit_code, result.stderr, ExitCode.USAGE, f"{spec}:{where}: ", message)


def test_a_tag_in_an_environment_file_is_located_by_import_and_lint(
    run_cli: RunCli, write_input: WriteInput
) -> None:
    env = write_input("environment.yml", "name: x\ndependencies: !!set {numpy}\n")
    imported = run_cli("import", env, "-o", env.with_name("spec.yaml"))
    assert_clear(
        imported.exit_code,
        imported.stderr,
        ExitCode.USAGE,
        f"{env}:2:15: dependencies: a mapping tagged `!!set`",
    )
    linted = run_cli("lint", env)
    assert linted.exit_code == ExitCode.FINDINGS, linted.output
    assert f"{env}:2:15: H000" in linted.stdout


def test_a_number_too_long_to_read_is_located(run_cli: RunCli, write_input: WriteInput) -> None:
    spec = write_input("spec.yaml", "version: 1\nname: x\nsystem: {glibc: " + "9" * 5000 + "}\n")
    result = run_cli("validate", spec)
    assert_clear(
        result.exit_code,
        result.stderr,
        ExitCode.USAGE,
        f"{spec}:3:17: system.glibc: ",
        "too large a number",
    )


# --- control characters -------------------------------------------------------------------


def test_a_nul_in_a_channel_path_is_refused(run_cli: RunCli, write_input: WriteInput) -> None:
    spec = write_input("spec.yaml", 'version: 1\nname: x\nchannels: ["./chan\\0nel"]\n')
    result = run_cli("validate", spec)
    assert_clear(
        result.exit_code, result.stderr, ExitCode.USAGE, f"{spec}:3:12: channels[0]: ", "U+0000"
    )


@pytest.mark.parametrize(
    ("field", "line", "where"),
    [
        (
            "index-url",
            'pip-index: {index-url: "https://pypi.org/simple\\n--trusted-host evil"}',
            "3:24",
        ),
        ("extra-index-urls", 'pip-index: {extra-index-urls: ["https://a\\rb"]}', "3:32"),
        ("find-links", 'pip-index: {find-links: ["./w\\x1bheels"]}', "3:26"),
        ("conda", 'conda: ["numpy >=1 # x\\n--trusted-host e"]', "3:9"),
        ("pip", 'pip: ["requests\\u2028"]', "3:7"),
    ],
)
def test_a_control_character_in_a_url_or_entry_is_refused(
    run_cli: RunCli, write_input: WriteInput, field: str, line: str, where: str
) -> None:
    """A line break in an index URL passed `validate` and became its own line in
    requirements.txt (`--trusted-host evil.example`)."""
    spec = write_input("spec.yaml", f"version: 1\nname: x\n{line}\n")
    result = run_cli("validate", spec)
    assert_clear(
        result.exit_code,
        result.stderr,
        ExitCode.USAGE,
        f"{spec}:{where}: ",
        "holds the control character U+",
    )


# --- files that are not plain, small, readable files --------------------------------------


def test_an_unwritable_cache_directory_is_named(
    run_cli: RunCli, write_input: WriteInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = write_input("a-file", "")
    monkeypatch.setenv("HYBRID_CACHE_DIR", str(blocker / "cache"))
    spec = write_input("spec.yaml", "version: 1\nname: x\npip: [requests]\n")
    result = run_cli("validate", "--offline", spec)
    assert_clear(
        result.exit_code,
        result.stderr,
        ExitCode.USAGE,
        f"the cache directory {blocker / 'cache'}",
        "not writable",
    )


def test_a_file_size_limit_is_a_clear_error(write_input: WriteInput) -> None:
    env = write_input("environment.yml", "dependencies: [numpy]\n")
    done = run_bounded("import", env, "-o", env.with_name("spec.yaml"), file_size_limit=0)
    assert_clear(done.returncode, done.stderr, ExitCode.USAGE, "File too large")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("command", ["validate", "import", "lint"])
def test_a_full_standard_output_is_a_clear_error(write_input: WriteInput, command: str) -> None:
    env = write_input("environment.yml", "dependencies: [numpy==1.26]\n")  # lint: H005
    spec = write_input("spec.yaml", "version: 1\nname: x\nconda: [numpy]\n")
    commands: dict[str, list[str | Path]] = {
        "validate": ["validate", spec],
        "import": ["import", env, "-o", env.with_name("out.yaml")],
        "lint": ["lint", env],
    }
    with open("/dev/full", "w") as full:
        done = run_bounded(*commands[command], stdout=full.fileno())
    assert_clear(done.returncode, done.stderr, ExitCode.USAGE, "No space left on device")


def test_an_include_of_dev_zero_is_refused(write_input: WriteInput) -> None:
    """`-r /dev/zero` was read whole: a MemoryError."""
    reqs = write_input("requirements.txt", "requests\n-r /dev/zero\n")
    done = run_bounded("import", reqs, "-o", reqs.with_name("spec.yaml"))
    assert_clear(
        done.returncode,
        done.stderr,
        ExitCode.USAGE,
        f"{reqs}:2:1: -r /dev/zero: ",
        "a character device",
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("command", ["import", "lint", "validate", "check"])
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "environment.yml"
    os.mkfifo(fifo)
    args: list[str | Path] = (
        ["import", fifo, "-o", tmp_path / "spec.yaml"] if command == "import" else [command, fifo]
    )
    done = run_bounded(*args)
    assert_clear(
        done.returncode,
        done.stderr,
        ExitCode.USAGE,
        f"{fifo}: is a FIFO (named pipe), not a regular file",
    )


@pytest.mark.parametrize("command", ["validate", "import"])
def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, command: str) -> None:
    """A 50 MB spec took over 5 minutes; it is refused before a byte is read."""
    big = tmp_path / ("spec.yaml" if command == "validate" else "environment.yml")
    with open(big, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no disk is used
    args: list[str | Path] = [command, big]
    if command == "import":
        args += ["-o", tmp_path / "o.yaml"]
    done = run_bounded(*args)
    assert_clear(
        done.returncode,
        done.stderr,
        ExitCode.USAGE,
        f"{big}: larger than {MAX_INPUT_BYTES // 2**20} MiB",
    )


def test_a_long_init_directory_name_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / ("d" * 300)
    result = run_cli("init", "--no-solve", target)
    assert_clear(
        result.exit_code,
        result.stderr,
        ExitCode.USAGE,
        "cannot use",
        "as the new repository: File name too long",
    )


# --- large inputs: the work is bounded ----------------------------------------------------


def test_a_large_environment_file_imports_and_lints_in_bounded_time(
    write_input: WriteInput,
) -> None:
    """Each pip entry was compared with every conda entry (in import, lint and validate):
    5,000 conda and 1,000 pip entries took 33 s in each command, these four times as long,
    100,000 and 1,000 entries over 13 minutes to import. Now about 3 s each here."""
    conda = [f"  - pkg{i}=1.{i % 50}" for i in range(10_000)]
    pip = [f"      - pypkg{i}=={i % 9}.0" for i in range(2_000)]
    env = write_input(
        "environment.yml",
        "name: big\nchannels: [conda-forge]\ndependencies:\n"
        + "\n".join([*conda, "  - pip", "  - pip:", *pip])
        + "\n",
    )
    spec = env.with_name("spec.yaml")
    imported = run_bounded("import", env, "-o", spec)
    assert imported.returncode == 0, imported.stderr
    assert "10000 conda and 2000 pip entries" in imported.stdout
    assert run_bounded("validate", "--offline", spec).returncode == 0
    linted = run_bounded("lint", env)
    assert_clear(linted.returncode, linted.stderr, ExitCode.OK)
