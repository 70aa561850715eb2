"""Parse conda match specs with rattler, returning plain values (no rattler types leak)."""

from __future__ import annotations

from dataclasses import dataclass

from rattler import MatchSpec
from rattler.exceptions import InvalidMatchSpecError


@dataclass(frozen=True, kw_only=True, slots=True)
class ParsedMatchSpec:
    """A validated match spec: its normalized package name and optional channel."""

    text: str
    name: str
    channel: str | None


class MatchSpecSyntaxError(ValueError):
    """The text is not a valid conda match spec."""


def parse_match_spec(text: str) -> ParsedMatchSpec:
    """Parse `text` as a conda match spec, or raise `MatchSpecSyntaxError` saying why."""
    stripped = " ".join(text.split())
    try:
        spec = MatchSpec(stripped)
    except InvalidMatchSpecError as exc:
        raise MatchSpecSyntaxError(str(exc)) from None
    if spec.name is None:
        raise MatchSpecSyntaxError("missing package name")
    channel = spec.channel.name if spec.channel is not None else None
    return ParsedMatchSpec(text=stripped, name=spec.name.normalized, channel=channel)
