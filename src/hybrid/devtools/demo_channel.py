"""Build the DEMO conda channel the bundled quickstart example solves against.

``python -m hybrid.devtools.demo_channel DIR`` writes a tiny, real, indexed conda channel to
``DIR`` so ``make demo`` works on a machine that reaches no conda channel. Its packages borrow
real names and versions (python, python_abi, pip, numpy, libopenblas, tzdata) and a plausible
dependency structure, but every one is a stand-in: none contains an interpreter or any real
code, each carries the license ``LicenseRef-hybrid-demo`` and an ``info/about.json`` summary
starting with ``DEMO``. Every record has a fixed timestamp, so ``snapshot:`` works on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import time
from collections.abc import Sequence
from pathlib import Path

from hybrid.devtools.local_channel import PackageSpec, build_channel

__all__ = ["DEMO_LICENSE", "DEMO_PLATFORMS", "build_demo_channel", "demo_packages", "main"]

DEMO_PLATFORMS: tuple[str, ...] = ("linux-64", "osx-64", "osx-arm64", "win-64")
DEMO_LICENSE = "LicenseRef-hybrid-demo"

_PYTHONS: tuple[tuple[str, str], ...] = (
    ("3.10.14", "2024-03-20"),
    ("3.11.9", "2024-04-03"),
    ("3.12.4", "2024-06-07"),
)
_NUMPYS: tuple[tuple[str, str], ...] = (("1.26.4", "2024-02-06"), ("2.1.1", "2024-09-04"))
_OPENBLAS = ("0.3.27", "2024-04-06")
_PIP = ("24.2", "2024-07-29")
_TZDATA = ("2024a", "2024-02-02")
_HELLO = ("1.0.0", "2024-10-01")
_HELLO_SOURCE = '''"""DEMO package from hybrid.devtools.demo_channel."""

__version__ = "1.0.0"


def greet(name: str = "world") -> str:
    return f"hello, {name}"
'''
_SYSTEM_DEPENDS: dict[str, tuple[str, ...]] = {
    "linux-64": ("__glibc >=2.17,<3.0.a0",),
    "osx-64": ("__osx >=10.13",),
    "osx-arm64": ("__osx >=11.0",),
    "win-64": (),
}


def _ms(day: str) -> int:
    """Milliseconds since the epoch of noon UTC on ``day`` (YYYY-MM-DD)."""
    moment = dt.datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=dt.timezone.utc)
    return int(moment.timestamp()) * 1000


def _hash(*parts: str) -> str:
    """A fake but stable 7-hex-digit build hash, as in conda-forge build strings."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:7]


def _summary(what: str) -> str:
    return f"DEMO stand-in for {what}, built by hybrid.devtools.demo_channel; no real code"


def _readme(name: str, version: str, subdir: str) -> dict[str, str]:
    text = f"{_summary(f'{name} {version} ({subdir})')}.\n"
    return {f"share/doc/{name}/DEMO-README": text}


def _site_packages(subdir: str, python: str) -> str:
    if subdir == "win-64":
        return "Lib/site-packages"
    return "lib/python{}.{}/site-packages".format(*python.split(".")[:2])


def _dist_info(site: str, project: str, version: str) -> dict[str, str]:
    base = f"{site}/{project.replace('-', '_')}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {project}\nVersion: {version}\n"
    return {f"{base}/METADATA": metadata, f"{base}/INSTALLER": "conda\n"}


def _abi(python: str) -> tuple[str, str]:
    """``("3.11", "cp311")`` for ``"3.11.9"``."""
    major, minor = python.split(".")[:2]
    return f"{major}.{minor}", f"cp{major}{minor}"


def _python_packages(subdir: str) -> list[PackageSpec]:
    packages = []
    for version, day in _PYTHONS:
        short, tag = _abi(version)
        abi_spec = f"python_abi {short}.* *_{tag}"
        packages.append(
            PackageSpec(
                name="python",
                version=version,
                build=f"h{_hash('python', version, subdir)}_0_cpython",
                subdir=subdir,
                depends=(*_SYSTEM_DEPENDS[subdir], abi_spec, "tzdata"),
                constrains=(),
                timestamp=_ms(day),
                files=_readme("python", version, subdir),
                license=DEMO_LICENSE,
                summary=_summary(f"the Python {version} interpreter"),
            )
        )
        packages.append(
            PackageSpec(
                name="python_abi",
                version=short,
                build=f"5_{tag}",
                build_number=5,
                subdir=subdir,
                constrains=(f"python {short}.* *_cpython",),
                timestamp=_ms(day),
                files=_readme("python_abi", short, subdir),
                license=DEMO_LICENSE,
                summary=_summary(f"the python_abi {short} marker"),
            )
        )
    return packages


def _numpy_packages(subdir: str) -> list[PackageSpec]:
    packages = []
    for numpy, day in _NUMPYS:
        for python, _ in _PYTHONS:
            short, tag = _abi(python)
            major, minor = (int(part) for part in short.split("."))
            site = _site_packages(subdir, python)
            files = {
                f"{site}/numpy/__init__.py": f'"""DEMO stand-in."""\n__version__ = "{numpy}"\n',
                **_dist_info(site, "numpy", numpy),
            }
            packages.append(
                PackageSpec(
                    name="numpy",
                    version=numpy,
                    build=f"py{major}{minor}h{_hash('numpy', numpy, python, subdir)}_0",
                    subdir=subdir,
                    depends=(
                        f"libopenblas >={_OPENBLAS[0]},<1.0a0",
                        f"python >={short},<{major}.{minor + 1}.0a0",
                        f"python_abi {short}.* *_{tag}",
                    ),
                    constrains=("numpy-base <0a0",),
                    timestamp=_ms(day),
                    files=files,
                    license=DEMO_LICENSE,
                    summary=_summary(f"numpy {numpy} for Python {short}"),
                )
            )
    return packages


def _native_packages(subdir: str) -> list[PackageSpec]:
    version, day = _OPENBLAS
    return [
        PackageSpec(
            name="libopenblas",
            version=version,
            build=f"h{_hash('libopenblas', version, subdir)}_0",
            subdir=subdir,
            depends=_SYSTEM_DEPENDS[subdir],
            timestamp=_ms(day),
            files=_readme("libopenblas", version, subdir),
            license=DEMO_LICENSE,
            summary=_summary(f"the OpenBLAS {version} library"),
        )
    ]


def _noarch_packages() -> list[PackageSpec]:
    pip, pip_day = _PIP
    tzdata, tz_day = _TZDATA
    hello, hello_day = _HELLO
    return [
        PackageSpec(
            name="pip",
            version=pip,
            build=f"pyh{_hash('pip', pip)}_0",
            noarch="python",
            depends=("python >=3.8",),
            timestamp=_ms(pip_day),
            files={
                "site-packages/pip/__init__.py": f'"""DEMO stand-in."""\n__version__ = "{pip}"\n',
                **_dist_info("site-packages", "pip", pip),
            },
            license=DEMO_LICENSE,
            summary=_summary(f"pip {pip}"),
        ),
        PackageSpec(
            name="tzdata",
            version=tzdata,
            build=f"h{_hash('tzdata', tzdata)}_0",
            noarch="generic",
            timestamp=_ms(tz_day),
            files=_readme("tzdata", tzdata, "noarch"),
            license=DEMO_LICENSE,
            summary=_summary(f"the IANA time zone database {tzdata}"),
        ),
        PackageSpec(
            name="hybrid-demo-hello",
            version=hello,
            build=f"pyh{_hash('hybrid-demo-hello', hello)}_0",
            noarch="python",
            depends=("numpy >=1.26", "python >=3.10"),
            timestamp=_ms(hello_day),
            files={
                "site-packages/hybrid_demo_hello/__init__.py": _HELLO_SOURCE,
                **_dist_info("site-packages", "hybrid-demo-hello", hello),
            },
            license=DEMO_LICENSE,
            summary="DEMO package for the hybrid quickstart; greets people",
        ),
    ]


def demo_packages() -> list[PackageSpec]:
    """Every package of the demo channel, noarch first, then per platform."""
    packages = _noarch_packages()
    for subdir in DEMO_PLATFORMS:
        packages += _native_packages(subdir)
        packages += _python_packages(subdir)
        packages += _numpy_packages(subdir)
    return packages


def build_demo_channel(root: Path) -> Path:
    """Build (or rebuild from scratch) the demo channel at ``root``; return ``root``."""
    return build_channel(root, demo_packages(), clean=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hybrid.devtools.demo_channel",
        description="Build the DEMO conda channel used by the quickstart example.",
    )
    parser.add_argument("directory", type=Path, help="where to write the channel")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    build_demo_channel(args.directory)
    elapsed = time.perf_counter() - started
    count = len(demo_packages())
    print(f"demo channel: {count} packages in {args.directory} ({elapsed:.2f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
