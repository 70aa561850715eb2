"""The hash of a spec file's bytes, recorded in outputs for `hybrid check`'s fast path."""

from __future__ import annotations

import hashlib


def source_digest(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()
