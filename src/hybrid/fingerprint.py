"""The input hash written into every output, so staleness is known without solving."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from hybrid.spec.model import Spec

# Bump when the content or layout of any output changes for the same inputs.
OUTPUT_FORMAT = 1


def input_hash(spec: Spec, options: Mapping[str, Any]) -> str:
    """sha256 over the normalized spec content, the output format and output-shaping options."""
    payload = {"format": OUTPUT_FORMAT, "spec": spec.to_dict(), "options": dict(options)}
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


def output_options(*, hash_kind: str) -> dict[str, str]:
    """The command-line options that change output content, as they enter the input hash.
    `solve` and `check` both build them here, so the two never disagree."""
    return {"hash": hash_kind}
