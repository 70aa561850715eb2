from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hybrid.redact import redact, without_userinfo

_SAFE = string.ascii_letters + string.digits + "-._~%!$&'()*+,;="
userinfo_part = st.text(alphabet=_SAFE, min_size=1, max_size=20)
hosts = st.from_regex(r"[a-z][a-z0-9-]{0,15}(\.[a-z]{2,6}){0,2}(:[0-9]{2,5})?", fullmatch=True)
paths = st.from_regex(r"(/[A-Za-z0-9._~@+-]{0,12}){0,4}", fullmatch=True)
schemes = st.sampled_from(["https", "http", "git+https", "file", "s3"])


@given(schemes, userinfo_part, userinfo_part, hosts, paths)
def test_user_and_password_never_survive(
    scheme: str, user: str, password: str, host: str, path: str
) -> None:
    url = f"{scheme}://{user}:{password}@{host}{path}"
    stripped = without_userinfo(url)
    assert stripped == f"{scheme}://{host}{path}"
    assert f"{user}:{password}" not in stripped
    assert without_userinfo(stripped) == stripped


@given(schemes, userinfo_part, hosts, paths)
def test_a_lone_token_is_a_credential(scheme: str, token: str, host: str, path: str) -> None:
    assert without_userinfo(f"{scheme}://{token}@{host}{path}") == f"{scheme}://{host}{path}"


@given(schemes, hosts, paths)
def test_urls_without_credentials_are_unchanged(scheme: str, host: str, path: str) -> None:
    url = f"{scheme}://{host}{path}"
    assert without_userinfo(url) == url


@given(st.lists(st.tuples(userinfo_part, hosts), min_size=1, max_size=4))
def test_every_url_in_a_text_is_redacted(found: list[tuple[str, str]]) -> None:
    text = "\n".join(f"error fetching https://{secret}@{host}/simple/x/ (401)"
                     for secret, host in found)
    redacted = redact(text)
    for secret, host in found:
        assert f"{secret}@" not in redacted
        assert f"https://{host}/simple/x/" in redacted


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://me:t0k%40n@pypi.example.org/simple", "https://pypi.example.org/simple"),
        ("https://me:p@ss@host/simple", "https://host/simple"),  # an unencoded @ in a password
        ("git+https://tok@github.com/o/r.git@v1.0", "git+https://github.com/o/r.git@v1.0"),
        ("git+https://github.com/o/r.git@v1.0", "git+https://github.com/o/r.git@v1.0"),
        ("git+ssh://git@github.com/o/r.git@v1", "git+ssh://git@github.com/o/r.git@v1"),
        ("git+ssh://git:secret@github.com/o/r.git", "git+ssh://github.com/o/r.git"),
        ("file:///srv/wheels", "file:///srv/wheels"),
        ("/srv/wheels", "/srv/wheels"),
        ("https://host/p?q=a@b", "https://host/p?q=a@b"),
    ],
)
def test_examples(url: str, expected: str) -> None:
    assert without_userinfo(url) == expected
