"""The output set is replaced as one unit, whatever happens to the writer.

Real solves on two generated channels read under one name (`lab`): `old` has numpy 1.26.4
only, `new` adds 2.1.1, so one spec solved against each gives two sets with the same input
hash and different bodies. The rename window cannot be hit from outside without a hook in
`src/`, so the pieces are tested: a set mixed by hand from the two real solves (what SIGKILL
between renames leaves) is reported by `check`; a real `hybrid solve` process made to wait
for the output-directory lock, which the test holds, is signalled there; a second writer
waits for the first; what a killed writer left is removed; a spec named like an output is
refused before solving. (tests/test_atomic.py signals a writer between two renames.)
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hybrid.devtools.local_channel import PackageSpec
from hybrid.emit.header import SET_HASH_KEY
from hybrid.errors import ExitCode
from hybrid.output_set import LOCK_FILE, output_lock
from tests.conda.helpers import explicit_lines, make_channel, read_tree
from tests.conftest import CliResult, main_in_process

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and fcntl locks")

HYBRID = Path(sys.executable).with_name("hybrid")
SPEC = (
    "version: 1\nname: faults\nchannels: [lab]\nplatforms: [linux-64, win-64]\n"
    "conda:\n  - numpy\n"
)
WAITING = "waiting for another hybrid writing to"


@pytest.fixture(scope="module")
def channels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fault-channels")
    old = PackageSpec(name="numpy", version="1.26.4")
    new = PackageSpec(name="numpy", version="2.1.1")
    return {
        "old": make_channel(root / "old", [old]),
        "new": make_channel(root / "new", [old, new]),
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder holding only spec.yaml."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "spec.yaml").write_text(SPEC, encoding="utf-8")
    return folder


def _solve(spec: Path, channel: Path, *args: str | Path) -> CliResult:
    result = main_in_process("solve", spec, "--mirror", f"lab={channel}", *args)
    assert result.exit_code == 0, result.output
    return result


def _reference(spec: Path, channel: Path, out: Path) -> dict[str, bytes]:
    """The set one solve writes into an empty folder: what a whole set looks like."""
    _solve(spec, channel, "-o", out)
    return read_tree(out)


def _numpy(out: Path, platform: str = "linux-64") -> str:
    [line] = explicit_lines(out / f"conda-{platform}.lock")
    assert line.name == "numpy"
    return line.version


def _start_writer(spec: Path, channel: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(HYBRID), "solve", str(spec), "--mirror", f"lab={channel}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _until_waiting(writer: subprocess.Popen[str]) -> None:
    """Read the writer's stderr until it says it waits for the lock (it must: the test holds
    it); fails, without hanging, when the writer ends without waiting."""
    assert writer.stderr is not None
    seen: list[str] = []
    for line in writer.stderr:
        seen.append(line)
        if WAITING in line:
            return
    writer.wait()
    pytest.fail(f"the writer never waited (exit {writer.returncode}):\n{''.join(seen)}")


@pytest.fixture
def held(project: Path) -> Iterator[Path]:
    """The output-directory lock of `project`, held by the test."""
    with output_lock(project) as lock:
        yield lock


def test_a_mixed_set_is_reported_by_check(
    channels: dict[str, Path], project: Path, tmp_path: Path
) -> None:
    spec = project / "spec.yaml"
    old = _reference(spec, channels["old"], tmp_path / "old")
    new = _reference(spec, channels["new"], tmp_path / "new")
    assert (_numpy(tmp_path / "old"), _numpy(tmp_path / "new")) == ("1.26.4", "2.1.1")
    for out in ("old", "new"):  # each whole set is fresh for the same spec
        assert main_in_process("check", spec, "-o", tmp_path / out).exit_code == 0
    # SIGKILL after the first rename (sorted order): conda-linux-64.lock new, the rest old.
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for name, data in old.items():
        (mixed / name).write_bytes(new[name] if name == "conda-linux-64.lock" else data)

    result = main_in_process("check", spec, "-o", mixed)

    assert result.exit_code == 4, result.output
    stale = [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]
    assert [line.split(":")[0] for line in stale if SET_HASH_KEY in line] == [
        str(mixed / "conda-linux-64.lock")
    ]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [
        (signal.SIGTERM, ExitCode.TERMINATED, "terminated"),
        (signal.SIGINT, ExitCode.INTERRUPTED, "aborted"),
    ],
    ids=["SIGTERM", "SIGINT"],
)
def test_a_signalled_writer_leaves_the_previous_set_byte_identical(
    channels: dict[str, Path], project: Path, signum: signal.Signals, code: ExitCode, said: str
) -> None:
    spec = project / "spec.yaml"
    _solve(spec, channels["old"])
    previous = read_tree(project)
    with output_lock(project):
        writer = _start_writer(spec, channels["new"])
        _until_waiting(writer)  # solved, and about to replace the set
        writer.send_signal(signum)
        _, stderr = writer.communicate()
    assert writer.returncode == code, stderr
    assert stderr.split() == [said] and "Traceback" not in stderr
    assert read_tree(project) == previous  # no file new, none gone, no temporary, no lock
    assert main_in_process("check", spec).exit_code == 0


def test_a_second_writer_waits_for_the_first(
    channels: dict[str, Path], project: Path, tmp_path: Path
) -> None:
    """Two writers of one folder, started while a third holds it: each waits, and what is
    left is one whole set, never files of both."""
    spec = project / "spec.yaml"
    whole = {
        kind: {**_reference(spec, channel, tmp_path / kind), "spec.yaml": SPEC.encode()}
        for kind, channel in channels.items()
    }
    _solve(spec, channels["old"])
    with output_lock(project):
        writers = [_start_writer(spec, channels[kind]) for kind in ("new", "old")]
        for writer in writers:
            _until_waiting(writer)
        assert read_tree(project) == {LOCK_FILE: b"", **whole["old"]}  # nobody wrote yet
    for writer in writers:
        _, stderr = writer.communicate()
        assert writer.returncode == 0, stderr
    assert read_tree(project) in (whole["old"], whole["new"])
    assert main_in_process("check", spec).exit_code == 0


def test_temporary_files_a_killed_writer_left_are_removed(
    channels: dict[str, Path], project: Path
) -> None:
    spec = project / "spec.yaml"
    _solve(spec, channels["old"])
    stale = [".conda-lock.yml.k2x_9abq.tmp", ".environment.yml.0a1b2c3d.tmp"]
    users = [".notes.0a1b2c3d.tmp", ".spec.yaml.0a1b2c3d.tmp", "environment.yml.bak"]
    for name in [*stale, *users]:
        (project / name).write_text("left behind\n", encoding="utf-8")
    _solve(spec, channels["new"])
    names = set(read_tree(project))
    assert not names & set(stale)
    assert names >= set(users)
    assert LOCK_FILE not in names


@pytest.mark.parametrize(
    ("name", "entries"),
    [
        ("environment.yml", "conda:\n  - numpy\n"),
        ("conda-lock.yml", "conda:\n  - numpy\n"),
        ("requirements.txt", "pip:\n  - requests\n"),
    ],
)
def test_a_spec_named_like_an_output_is_refused_before_solving(
    tmp_path: Path, name: str, entries: str
) -> None:
    """The channel `lab` is not reachable offline: a solve would exit 5, not 2."""
    folder = tmp_path / "d"
    folder.mkdir()
    spec = folder / name
    text = "version: 1\nname: mine\nchannels: [lab]\nplatforms: [linux-64]\n" + entries
    spec.write_text(text, encoding="utf-8")

    result = main_in_process("solve", spec, "--offline")

    assert result.exit_code == 2, result.output
    assert str(spec) in result.stderr and "refusing to overwrite" in result.stderr
    assert read_tree(folder) == {name: text.encode()}


def test_a_spec_named_like_an_output_may_write_elsewhere(
    channels: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    spec = folder / "environment.yml"
    spec.write_text(SPEC, encoding="utf-8")
    _solve(spec, channels["old"], "-o", tmp_path / "locks")
    assert spec.read_text(encoding="utf-8") == SPEC
    assert (tmp_path / "locks" / "environment.yml").is_file()


@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGINT, ExitCode.INTERRUPTED), (signal.SIGTERM, ExitCode.TERMINATED)],
    ids=["SIGINT", "SIGTERM"],
)
def test_a_signal_while_the_command_line_is_imported_exits_quietly(
    signum: signal.Signals, code: ExitCode
) -> None:
    """What the console script does first (hybrid.cli.entry), then a signal in the middle of
    importing the rest: no `KeyboardInterrupt` traceback."""
    script = (
        "import os, signal\n"
        "from hybrid.cli.signals import exit_quietly\n"
        "exit_quietly()\n"
        f"os.kill(os.getpid(), {int(signum)})\n"
        "import hybrid.cli.main\n"
        "print('not reached')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (code, "", "")


def test_the_console_script_sets_up_signals_before_the_heavy_imports() -> None:
    from importlib.metadata import entry_points

    [script] = entry_points(group="console_scripts", name="hybrid")
    assert script.value == "hybrid.cli.entry:main"
    probe = "import sys, hybrid.cli.entry\nprint(sorted({'click', 'rich'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
