"""`hybrid update SPEC PKG` knows the names of the spec's dependency groups too, before any
lock exists (the local channel and index of `tests/pipeline/test_promote`)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli, WriteSpec
from tests.pipeline import test_promote
from tests.pipeline.test_promote import Index

# the local channel and index, registered here too
index = test_promote.index
lab_channel = test_promote.lab_channel


def _spec(write_spec: WriteSpec, index: Index) -> Path:
    return write_spec(
        "version: 1\nname: up\nchannels: [lab, hybrid-demo]\nplatforms: [linux-64]\n"
        'python: "3.11"\nconda: [labdata]\n'
        f"pip-index:\n  index-url: {index.url}\n  find-links: [{index.wheels}]\n"
        "groups:\n  dev:\n    conda: [hybrid-demo-hello]\n    pip: [labtqdm]\n"
    )


def test_without_a_lock_the_group_names_are_known(
    run_cli: RunCli, write_spec: WriteSpec, index: Index, lab_channel: Path,
    demo_channel: Path,
) -> None:
    spec = _spec(write_spec, index)
    mirrors = ("--mirror", f"lab={lab_channel}", "--mirror", f"hybrid-demo={demo_channel}")
    result = run_cli("update", spec, "hybrid-demo-hello", "LabTQDM", *mirrors)
    assert result.exit_code == 0, result.output
    assert (spec.parent / "requirements-dev.txt").exists()
    typo = run_cli("update", spec, "labtqdn", *mirrors)
    assert typo.exit_code == 2
    assert "did you mean `labtqdm`?" in typo.stderr
