"""The built-in conda-to-PyPI table, used when no published mapping is available.

It lists only what the python rule ("a record that depends on python is a Python
distribution under its own, canonicalised name") gets wrong: renames, and packages that
depend on python yet install no Python distribution. Every entry agrees with parselmouth's
published mappings (conda-forge, and pytorch for the pytorch-channel names); the tests check
the conda-forge ones against the snapshot in ../shared/mapping.
"""

from __future__ import annotations

from types import MappingProxyType

from packaging.utils import canonicalize_name

from hybrid.mapping.compressed import NameTable
from hybrid.mapping.names import rank_names

_RENAMES: dict[str, tuple[str, ...]] = {
    # PyTorch and its ecosystem: conda "pytorch" installs the PyPI "torch".
    "pytorch": ("torch",),
    "pytorch-cpu": ("torch",),
    "torchtriton": ("triton",),  # pytorch channel
    "pytorch_geometric": ("torch-geometric",),
    "pytorch_scatter": ("torch-scatter",),
    "pytorch_sparse": ("torch-sparse",),
    "pytorch_cluster": ("torch-cluster",),
    # Split packages whose Python part carries the upstream name.
    "matplotlib-base": ("matplotlib",),
    "tensorflow-base": ("tensorflow",),
    "dask-core": ("dask",),
    "cupy-core": ("cupy",),
    "pyarrow-core": ("pyarrow",),
    "numpy-base": ("numpy",),  # Anaconda's defaults channel splits numpy this way
    # One conda package, several PyPI distributions (pip must not add any of them).
    "py-opencv": ("opencv-python", "opencv-python-headless"),
    "jaxlib": ("jaxlib", "jax-cuda12-plugin", "jax-cuda12-pjrt"),
    # Python bindings named after their C/C++ library on conda.
    "pyqt": ("pyqt5",),
    "msgpack-python": ("msgpack",),
    "pytables": ("tables",),
    "python-graphviz": ("graphviz",),
    "py-xgboost": ("xgboost",),
    "py-lief": ("lief",),
    "python-kaleido": ("kaleido",),
    "python-tzdata": ("tzdata",),
    "python-lmdb": ("lmdb",),
    "python-duckdb": ("duckdb",),
    "python-flatbuffers": ("flatbuffers",),
    "python-symengine": ("symengine",),
    "sentencepiece-python": ("sentencepiece",),
    "tbb4py": ("tbb",),
}

# Records that may depend on python but install no Python distribution.
_NOT_PYTHON: tuple[str, ...] = (
    "python",
    "python_abi",
    "python-gil",
    "python-freethreading",
    "python.app",
    "libpython-static",
    # Metapackages that only select a build of a real package.
    "pytorch-gpu",
    "pytorch-cuda",  # pytorch channel
    "pytorch-mutex",  # pytorch channel
    "cpuonly",  # pytorch channel
    "tensorflow-cpu",
    "tensorflow-gpu",
    "pyarrow-all",
    "pywin32-on-windows",
)


def _build() -> NameTable:
    table: NameTable = {name: () for name in _NOT_PYTHON}
    for conda_name, pypi_names in _RENAMES.items():
        table[conda_name] = rank_names(conda_name, {canonicalize_name(n) for n in pypi_names})
    return table


#: The built-in table: conda name -> PyPI names (own name first); () = not Python.
BUILTIN_TABLE = MappingProxyType(_build())
