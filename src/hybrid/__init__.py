"""hybrid: one spec, a conda-first / pip-last environment for every platform."""

__version__ = "0.1.0"
#: the distribution name on PyPI (`pip install hybrid-env`); the command and package are `hybrid`
DISTRIBUTION = "hybrid-env"
