"""Reading site-packages: names, versions, installers, RECORD paths, top-level modules."""

from __future__ import annotations

from pathlib import Path

from hybrid.prefix.distributions import read_distribution, scan


def _dist(site: Path, dirname: str, files: dict[str, str]) -> Path:
    path = site / dirname
    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).write_text(text)
    return path


def test_scan_reads_metadata_installer_and_sorts(tmp_path: Path) -> None:
    _dist(tmp_path, "Zope.Interface-6.0.dist-info",
          {"METADATA": "Name: zope.interface\nVersion: 6.0\n", "INSTALLER": "uv\n"})
    _dist(tmp_path, "numpy-1.26.4.dist-info", {"METADATA": "Name: numpy\nVersion: 1.26.4\n"})
    (tmp_path / "legacy-0.1-py3.11.egg-info").write_text("Name: legacy\nVersion: 0.1\n")
    (tmp_path / "not-metadata").mkdir()
    found = scan([tmp_path, tmp_path])  # a directory given twice is read once
    assert [(d.name, d.version, d.installer) for d in found] == [
        ("legacy", "0.1", None), ("numpy", "1.26.4", None), ("zope-interface", "6.0", "uv")]
    assert found[2].label == "zope.interface 6.0"


def test_top_level_from_top_level_txt_or_record(tmp_path: Path) -> None:
    listed = _dist(tmp_path, "a-1.dist-info", {"METADATA": "Name: a\nVersion: 1\n",
                                               "top_level.txt": "alpha\n_alpha\nns/pkg\n"})
    recorded = _dist(tmp_path, "b-1.dist-info", {
        "METADATA": "Name: b\nVersion: 1\n",
        "RECORD": "beta/__init__.py,sha256=x,1\nbeta_single.py,,\n_speedups.cpython-311.so,,\n"
                  "b-1.dist-info/METADATA,,\n../../../bin/b-tool,,\n__pycache__/x.pyc,,\n"
                  "b-1.data/scripts/tool,,\nb.pth,,\n",
    })
    a, b = (read_distribution(listed), read_distribution(recorded))
    assert a is not None and b is not None
    assert a.top_level_modules() == ("_alpha", "alpha", "ns")
    assert b.top_level_modules() == ("_speedups", "beta", "beta_single")
    assert tmp_path / "beta" / "__init__.py" in b.record_paths()
    assert tmp_path.parent.parent.parent / "bin" / "b-tool" in b.record_paths()


def test_missing_metadata_falls_back_to_the_directory_name(tmp_path: Path) -> None:
    dist = read_distribution(_dist(tmp_path, "odd_name-2.0.dist-info", {}))
    assert dist is not None
    assert (dist.name, dist.version, dist.installer) == ("odd-name", "2.0", None)
    assert dist.record_paths() == [] and dist.top_level_modules() == ()
