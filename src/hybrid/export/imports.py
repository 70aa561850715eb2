"""Which modules a container's smoke test imports: one per Python package the spec names.

The spec's `pip:` entries locked for the platform (a marker may leave one out), and its
`conda:` entries whose locked package depends on `python` (a library like `libopenblas` has
nothing to import). A distribution's import name is its
name with `-` and `.` as `_`, except for the well-known mismatches below. That is a guess
where a distribution is not listed, so the CLI lets the user replace the list
(`--smoke-import`); the exact names would need the wheels' `top_level.txt`, which the lock
does not record.
"""

from __future__ import annotations

from packaging.utils import canonicalize_name

from hybrid.export.locks import PlatformLock
from hybrid.spec.model import Spec

# canonical distribution name (PyPI or conda) -> the module it installs
KNOWN_MODULES: dict[str, str] = {
    "beautifulsoup4": "bs4",
    "faiss-cpu": "faiss",
    "faiss-gpu": "faiss",
    "matplotlib-base": "matplotlib",
    "msgpack-python": "msgpack",
    "opencv-contrib-python": "cv2",
    "opencv-python": "cv2",
    "opencv-python-headless": "cv2",
    "pillow": "PIL",
    "protobuf": "google.protobuf",
    "psycopg2-binary": "psycopg2",
    "py-opencv": "cv2",
    "pycryptodome": "Crypto",
    "pymupdf": "fitz",
    "pytables": "tables",
    "python-dateutil": "dateutil",
    "python-dotenv": "dotenv",
    "pytorch": "torch",
    "pytorch-lightning": "pytorch_lightning",
    "pyyaml": "yaml",
    "pyzmq": "zmq",
    "scikit-image": "skimage",
    "scikit-learn": "sklearn",
    "tensorflow-gpu": "tensorflow",
}
# Packages with nothing to import on their own, or that the checks already use.
NOTHING_TO_IMPORT = frozenset({"jupyter", "notebook-shim", "pip", "python", "setuptools", "wheel"})


def module_name(distribution: str) -> str:
    name = canonicalize_name(distribution)
    return KNOWN_MODULES.get(name, name.replace("-", "_"))


def smoke_modules(spec: Spec, locked: PlatformLock) -> tuple[str, ...]:
    """The modules to import after installing `locked`, in spec order, without repeats."""
    python_packages = {
        p.name for p in locked.conda if any(d.split()[0] == "python" for d in p.depends)
    }
    names = [
        dep.name for dep in spec.conda_for(locked.platform) if dep.name in python_packages
    ]
    locked_pip = {canonicalize_name(d.name) for d in locked.pip}
    names.extend(dep.name for dep in spec.pip if dep.name in locked_pip)
    modules = [module_name(n) for n in names if canonicalize_name(n) not in NOTHING_TO_IMPORT]
    return tuple(dict.fromkeys(modules))
