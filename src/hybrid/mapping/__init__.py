"""Which conda records are Python distributions, and under which PyPI names."""

from hybrid.mapping.builtin import BUILTIN_TABLE
from hybrid.mapping.compressed import parse_compressed_mapping
from hybrid.mapping.cuda import CondaRecordLike
from hybrid.mapping.fetch import DEFAULT_MAX_AGE, cache_file
from hybrid.mapping.load import (
    PARSELMOUTH_CHANNELS,
    builtin_mapping,
    load_mapping,
    mapping_for_channels,
    parselmouth_url,
)
from hybrid.mapping.model import CondaPypiMapping
from hybrid.mapping.names import depends_on_python
from hybrid.mapping.provided import (
    ProvidedDistribution,
    pep440_version,
    provided_distributions,
)

__all__ = [
    "BUILTIN_TABLE",
    "DEFAULT_MAX_AGE",
    "PARSELMOUTH_CHANNELS",
    "CondaPypiMapping",
    "CondaRecordLike",
    "ProvidedDistribution",
    "builtin_mapping",
    "cache_file",
    "depends_on_python",
    "load_mapping",
    "mapping_for_channels",
    "parse_compressed_mapping",
    "parselmouth_url",
    "pep440_version",
    "provided_distributions",
]
