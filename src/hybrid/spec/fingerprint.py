"""The input hash written into every output, so staleness is known without solving, and the
short per-part digests environment.yml records, so `hybrid check` can name what changed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any, Literal, get_args

from hybrid.redact import redact_data
from hybrid.spec.model import Spec

# Bump when the content or layout of any output changes for the same inputs.
# 2: every output's header ends with `body-sha256`; environment.yml records `inputs`.
# 3: every output's header records `set-sha256`, the digest of the whole output set.
OUTPUT_FORMAT = 3

# Hex digits of a part digest: enough to tell that a part changed (a diagnostic only; the
# input hash decides staleness), short enough for one header line.
PART_DIGEST_LENGTH = 8
ENTRY_SECTIONS = ("conda", "pip")

HashKind = Literal["md5", "sha256"]
"""The package hash explicit files carry: the one output-shaping command-line option."""
HASH_KINDS: tuple[HashKind, ...] = get_args(HashKind)
DEFAULT_HASH_KIND: HashKind = "md5"

# `--snapshot-strict`: the header line (`# snapshot-policy: strict`) an explicit file carries
# and the input-hash option it enters as. Without it, records without a timestamp are kept.
SNAPSHOT_POLICY_KEY = "snapshot-policy"
STRICT = "strict"


def hash_kind(value: str | None) -> HashKind | None:
    """`value` as a hash kind; None for anything else (an output's header may be edited)."""
    return next((kind for kind in HASH_KINDS if kind == value), None)


def input_hash(spec: Spec, options: Mapping[str, Any]) -> str:
    """sha256 over the normalized spec content, the output format and output-shaping options."""
    return "sha256:" + hashlib.sha256(_canonical(_payload(spec, options))).hexdigest()


def input_parts(spec: Spec, options: Mapping[str, Any]) -> dict[str, str]:
    """A short digest of every part of the input hash's payload, in payload order: `format`,
    `options`, each top-level spec field, and each `conda:`/`pip:` entry keyed
    `conda:<name>` / `pip:<name>`. Whenever the input hash differs, some part differs."""
    payload = _payload(spec, options)
    parts = {"format": _short(payload["format"]), "options": _short(payload["options"])}
    parts.update({key: _short(value) for key, value in payload["spec"].items()})
    parts.update(_entry_parts("conda", ((d.name, d.to_dict()) for d in spec.conda)))
    parts.update(_entry_parts("pip", ((p.name, str(p.requirement)) for p in spec.pip)))
    return parts


def output_options(*, hash_kind: HashKind, snapshot_strict: bool = False) -> dict[str, str]:
    """The command-line options that change output content, as they enter the input hash.
    `solve` and `check` both build them here, so the two never disagree. The snapshot
    policy enters only when strict, so outputs written before it existed keep their hash."""
    options: dict[str, str] = {"hash": hash_kind}
    if snapshot_strict:
        options[SNAPSHOT_POLICY_KEY] = STRICT
    return options


def as_flags(options: Mapping[str, str]) -> str:
    """Output-shaping options as the command line that gives them (`--hash sha256
    --snapshot-strict`), for messages that tell the user what changed."""
    flags = []
    for key, value in options.items():
        if key == SNAPSHOT_POLICY_KEY:
            flags.append("--snapshot-strict" if value == STRICT else "")
        else:
            flags.append(f"--{key} {value}")
    return " ".join(flag for flag in flags if flag)


def _payload(spec: Spec, options: Mapping[str, Any]) -> dict[str, Any]:
    """What the hashes cover: credentials in the spec's URLs are no part of it (the outputs
    never name them, and a short digest of a channel list must not help guess a password)."""
    spec_part = redact_data(spec.to_dict())
    return {"format": OUTPUT_FORMAT, "spec": spec_part, "options": dict(options)}


def _canonical(value: Any) -> bytes:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return text.encode("utf-8")


def _short(value: Any) -> str:
    return hashlib.sha256(_canonical(value)).hexdigest()[:PART_DIGEST_LENGTH]


def _entry_parts(section: str, entries: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """One digest per package name (entries naming one package twice share it)."""
    by_name: dict[str, list[Any]] = {}
    for name, value in entries:
        by_name.setdefault(name, []).append(value)
    return {f"{section}:{name}": _short(redact_data(values)) for name, values in by_name.items()}
