"""hybrid: one spec, a conda-first / pip-last environment for every platform."""

__version__ = "0.1.0"
