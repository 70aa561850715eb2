"""Conda match specs as one typed value, parsed once, rendered for each consumer.

conda's grammar is the reference: `numpy 1.26` (an exact version, `==1.26`), `numpy=1.26`
(fuzzy, `1.26.*`), `python 3.11.9`, `pytorch 2.1.0 py3.10_cuda12.1_cudnn8.9.2_0` (a dotted
build string), `numpy=1.26.4=py311h_0`, `conda-forge::numpy`, `conda-forge/linux-64::numpy`
and the bracket form `numpy[version=">=1.26",build_number=1]`. rattler's lenient parser reads
all of these as conda does; its strict parser refuses bare versions and dotted builds, and
`rattler.solve` parses strings strictly. So an entry is parsed leniently once into
`CondaMatchSpec`, and every consumer gets a form derived from the fields: `str()` for people
and environment.yml (conda's space form, brackets only for fields it cannot hold) and
`canonical()` for solvers (the bracket form rattler's strict parser accepts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from hybrid.spec.channels import short_channel
from hybrid.spec.location import printable

if TYPE_CHECKING:  # rattler loads only when a spec is parsed: `hybrid check` never needs it
    from rattler import MatchSpec

_BUILD = re.compile(r"[A-Za-z0-9_.*+!-]+")
_EXTRAS = re.compile(r"([A-Za-z0-9_.-]+)\[([A-Za-z0-9_.,\s-]+)\]")


class MatchSpecSyntaxError(ValueError):
    """The text is not a valid conda match spec. The message is one printable line:
    rattler's `Caused by:` lines are joined in when they add something, and a control
    character it quotes from the entry is escaped, so a message never splits an error list."""

    def __init__(self, message: str) -> None:
        first, *rest = message.splitlines() or ["invalid"]
        for line in rest:
            cause = line.removeprefix("Caused by:").strip()
            if cause and cause not in first:
                first += f" ({cause})"
        super().__init__(printable(first))


@dataclass(frozen=True, kw_only=True, slots=True)
class CondaMatchSpec:
    """A conda match spec: a package name plus the constraints conda can put on it.

    `version` is the normalized version constraint (`==2.1.3`, `>=1.26,<2`, `1.26.*`),
    `build` the build-string matcher (exact, glob or `^regex$`), `channel` the channel as
    written (`conda-forge` or a URL), `subdir` a platform subdirectory.
    """

    name: str
    version: str | None = None
    build: str | None = None
    build_number: str | None = None
    channel: str | None = None
    subdir: str | None = None
    md5: str | None = None
    sha256: str | None = None
    file_name: str | None = None

    def __str__(self) -> str:
        """conda's space form, `[channel[/subdir]::]name[ version[ build]]`, with a bracket
        section for what that form cannot hold (build numbers, hashes, file names, builds
        that are regular expressions)."""
        head = self.name
        if self.channel is not None:
            where = self.channel if self.subdir is None else f"{self.channel}/{self.subdir}"
            head = f"{where}::{head}"
        brackets = self._brackets(with_build=self._build_in_brackets())
        words = [head]
        if self.version is not None or (self.build is not None and "build" not in brackets):
            words.append(self.version or "*")
        if self.build is not None and "build" not in brackets:
            words.append(self.build)
        text = " ".join(words)
        if self.subdir is not None and self.channel is None:
            brackets = {"subdir": self.subdir, **brackets}
        return text + _bracket_text(brackets)

    def canonical(self) -> str:
        """Every field in one bracket section: the form rattler's strict parser accepts
        for any spec (dotted builds and bare versions included)."""
        fields: dict[str, str] = {}
        if self.version is not None:
            fields["version"] = self.version
        fields.update(self._brackets(with_build=True))
        if self.channel is not None:
            fields["channel"] = self.channel
        if self.subdir is not None:
            fields["subdir"] = self.subdir
        return self.name + _bracket_text(fields)

    def with_build(self, build: str) -> CondaMatchSpec:
        """The spec limited to builds matching `build`, unless it already names a build."""
        return self if self.build is not None else replace(self, build=build)

    def with_channel(self, channel: str) -> CondaMatchSpec:
        """The same spec read from `channel` (a mirror URL of the channel it names)."""
        return replace(self, channel=channel)

    def _build_in_brackets(self) -> bool:
        """conda splits the space form on spaces and reads `|`, `,` and `[` there itself."""
        return self.build is not None and any(c in self.build for c in " |,[]()=<>!")

    def _brackets(self, *, with_build: bool) -> dict[str, str]:
        fields: dict[str, str] = {}
        if with_build and self.build is not None:
            fields["build"] = self.build
        for key in ("build_number", "md5", "sha256", "file_name"):
            value = getattr(self, key)
            if value is not None:
                fields["fn" if key == "file_name" else key] = value
        return fields


def _bracket_text(fields: dict[str, str]) -> str:
    if not fields:
        return ""
    return "[" + ",".join(f'{key}="{value}"' for key, value in fields.items()) + "]"


def parse_match_spec(text: str) -> CondaMatchSpec:
    """Parse `text` as conda reads a match spec, or raise `MatchSpecSyntaxError` saying why."""
    from rattler import MatchSpec
    from rattler.exceptions import InvalidMatchSpecError

    stripped = " ".join(text.split())
    try:
        spec = MatchSpec(stripped, strict=False)
    except InvalidMatchSpecError as exc:
        extras = _EXTRAS.fullmatch(stripped)
        if extras is not None:
            raise MatchSpecSyntaxError(
                f"`[{extras.group(2)}]` reads as extras, which conda packages do not have "
                f"(conda drops them silently); write `{extras.group(1)}`, and put extras of "
                "a PyPI package in `pip:`"
            ) from None
        raise MatchSpecSyntaxError(str(exc)) from None
    if spec.name is None:
        raise MatchSpecSyntaxError("missing package name")
    value = _typed(spec)
    _check_carried(spec, value)
    if value.version == "*":  # `name * build`: any version
        value = replace(value, version=None)
    if value.build is None:
        return value
    # conda reads `numpy 1.26.4 =py311h_0` as the build `py311h_0`; rattler keeps the `=`.
    build = value.build.removeprefix("=")
    if not _valid_build(build):
        raise MatchSpecSyntaxError(
            f"`{build}` is not a build string: a spec is `name version build` separated by "
            "spaces, and version constraints are joined with `,` (`numpy >=1.26,<2`)"
        )
    return replace(value, build=build)


def _typed(spec: MatchSpec) -> CondaMatchSpec:
    assert spec.name is not None
    return CondaMatchSpec(
        name=spec.name.normalized,
        version=spec.version,
        build=spec.build,
        build_number=spec.build_number,
        channel=_channel_text(spec),
        subdir=spec.subdir,
        md5=spec.md5.hex() if spec.md5 is not None else None,
        sha256=spec.sha256.hex() if spec.sha256 is not None else None,
        file_name=spec.file_name,
    )


def _check_carried(spec: MatchSpec, value: CondaMatchSpec) -> None:
    """Refuse a field the typed value cannot carry (`license`, `track_features`, `url`…):
    dropping it would silently widen the spec."""
    from rattler import MatchSpec
    from rattler.exceptions import CanonicalMatchSpecError, InvalidMatchSpecError

    try:
        carried = MatchSpec(value.canonical(), strict=True).to_canonical_string()
        written = spec.to_canonical_string()
    except (InvalidMatchSpecError, CanonicalMatchSpecError) as exc:
        raise MatchSpecSyntaxError(f"it does not read back as a match spec ({exc})") from None
    if spec.namespace is not None:
        raise MatchSpecSyntaxError(
            "a single `:` is not conda's channel separator (conda drops what precedes it); "
            "write `channel::name`"
        )
    if carried != written:
        raise MatchSpecSyntaxError(
            f"hybrid supports the fields name, version, build, build_number, channel, "
            f"subdir, md5, sha256 and fn; this spec also sets others "
            f"({written})"
        )


def _valid_build(build: str) -> bool:
    """A build string, glob or `^regex$` as conda reads one (conda refuses spaces, `=`, `;`
    and operators there; rattler's lenient parser files them into the build)."""
    if build.startswith("^") and build.endswith("$"):
        return True
    return _BUILD.fullmatch(build) is not None


def _channel_text(spec: MatchSpec) -> str | None:
    """The channel as a user writes it: its name on the default alias, its URL elsewhere."""
    return None if spec.channel is None else short_channel(spec.channel.base_url)
