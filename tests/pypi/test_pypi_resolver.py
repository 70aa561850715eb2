from __future__ import annotations

import pytest

from hybrid.errors import UsageError
from hybrid.pypi.resolver import RESOLVERS, get_resolver


def test_uv_is_the_default_and_cross_platform() -> None:
    resolver = get_resolver()
    assert resolver.name == "uv"
    assert resolver.cross_platform is True


def test_pip_tools_is_native_only() -> None:
    resolver = get_resolver("pip-tools")
    assert resolver.name == "pip-tools"
    assert resolver.cross_platform is False


def test_every_registered_resolver_answers_to_its_name() -> None:
    for name in RESOLVERS:
        assert get_resolver(name).name == name


def test_unknown_resolver_lists_the_known_ones() -> None:
    with pytest.raises(UsageError, match=r"unknown pip resolver 'poetry'; known: pip-tools, uv"):
        get_resolver("poetry")  # type: ignore[arg-type]  # the wrong name under test
