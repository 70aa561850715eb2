"""`hybrid.redact`: what a secret in a URL is, removed from URLs, texts, documents and logs."""

from __future__ import annotations

import io
import logging
import string
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hybrid.redact import RedactingFilter, redact, redact_data, without_userinfo

# A secret always holds `Q` and `Z`, which no host, path or word below contains, so its absence
# from a result is the secret's absence, not a coincidence of short strings.
_SECRET_CHARS = string.ascii_letters + string.digits + "-._~%!$&'()*+,;=:"
secrets = st.text(alphabet=_SECRET_CHARS, min_size=1, max_size=24).map(lambda s: f"Q{s}Z")
tokens = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=40)
token_secrets = tokens.map(lambda s: f"Q{s}Z")
hosts = st.from_regex(r"[a-p][a-p0-9-]{0,15}(\.[a-p]{2,6}){0,2}(:[0-9]{2,5})?", fullmatch=True)
paths = st.from_regex(r"(/[a-p0-9._~+-]{1,12}){0,4}/?", fullmatch=True).filter(
    lambda p: "/t/" not in p + "/"
)
schemes = st.sampled_from(["https", "http", "s3", "oci", "git+https"])
words = st.text(alphabet=string.ascii_lowercase + " ,.:()[]\n", max_size=30)


@given(schemes, secrets, secrets, hosts, paths)
def test_user_and_password_never_survive(
    scheme: str, user: str, password: str, host: str, path: str
) -> None:
    url = f"{scheme}://{user}:{password}@{host}{path}"
    assert redact(url) == f"{scheme}://{host}{path}"


@given(schemes, secrets, hosts, paths)
def test_a_lone_token_as_user_is_a_credential(
    scheme: str, token: str, host: str, path: str
) -> None:
    assert redact(f"{scheme}://{token}@{host}{path}") == f"{scheme}://{host}{path}"


@given(st.sampled_from(["https", "http"]), token_secrets, hosts, paths)
def test_a_token_path_never_survives(scheme: str, token: str, host: str, path: str) -> None:
    """anaconda.org's `/t/<token>/channel`: the channel's public URL is without the segment."""
    url = f"{scheme}://{host}/t/{token}/conda-forge{path}"
    assert redact(url) == f"{scheme}://{host}/conda-forge{path}"


@given(
    hosts,
    paths,
    st.sampled_from(["token", "access_token", "api_key", "X-Amz-Signature", "sig", "password"]),
    token_secrets,
)
def test_a_secret_query_parameter_never_survives(
    host: str, path: str, name: str, value: str
) -> None:
    url = f"https://{host}{path}?a=1&{name}={value}&b=2#frag"
    assert redact(url) == f"https://{host}{path}?a=1&b=2#frag"
    assert redact(f"https://{host}{path}?{name}={value}") == f"https://{host}{path}"


@given(schemes, hosts, paths, st.sampled_from(["", "?q=a@b", "?page=2", "#egg=x"]))
def test_urls_without_secrets_are_unchanged(scheme: str, host: str, path: str, tail: str) -> None:
    url = f"{scheme}://{host}{path}{tail}"
    assert redact(url) == url


@given(st.lists(st.tuples(words, secrets, secrets, hosts, token_secrets), min_size=1, max_size=4))
def test_every_url_of_a_text_is_cleaned_and_the_rest_kept(
    parts: list[tuple[str, str, str, str, str]],
) -> None:
    text = "".join(
        f"{word} https://{user}:{password}@{host}/t/{token}/chan/noarch/x.conda "
        for word, user, password, host, token in parts
    )
    assert redact(text) == "".join(
        f"{word} https://{host}/chan/noarch/x.conda " for word, _, _, host, _ in parts
    )


@given(st.text(max_size=200))
def test_redaction_is_idempotent(text: str) -> None:
    assert redact(redact(text)) == redact(text)


@given(st.text(alphabet=string.printable.replace(":", ""), max_size=200))
def test_text_without_a_url_is_unchanged(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://me:t0k%40n@pypi.example.org/simple", "https://pypi.example.org/simple"),
        ("https://me:p@ss@host/simple", "https://host/simple"),  # an unencoded @ in a password
        ("git+https://tok@github.com/o/r.git@v1.0", "git+https://github.com/o/r.git@v1.0"),
        ("git+ssh://git@github.com/o/r.git@v1", "git+ssh://git@github.com/o/r.git@v1"),
        ("git+ssh://git:secret@github.com/o/r.git", "git+ssh://github.com/o/r.git"),
        ("file:///home/t/alice/channel", "file:///home/t/alice/channel"),  # a path, no token
        ("https://host/p?q=a@b", "https://host/p?q=a@b"),
        ("http://alice:********@127.0.0.1:8000/c/", "http://127.0.0.1:8000/c/"),  # rattler's
        ("https://host/t/********/c/noarch/x.conda", "https://host/c/noarch/x.conda"),
        ("(see https://u:p@h/t/tok)", "(see https://h)"),
        ("'https://u:p@h/x', 'https://h/t/tk/y'", "'https://h/x', 'https://h/y'"),
        ("a,https://u:p@h1/x,https://v:q@h2/y", "a,https://h1/x,https://h2/y"),
        ("https://u:p@h/chan::numpy >=1.26", "https://h/chan::numpy >=1.26"),
        ("numpy >=1.26 # t/x/y", "numpy >=1.26 # t/x/y"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_without_userinfo_keeps_the_path_a_header_cannot_carry() -> None:
    """The index fetch sends user and password as a header; a token path stays in its URL."""
    url = "https://me:s3cret@host/t/tok/simple"
    assert without_userinfo(url) == "https://host/t/tok/simple"


def test_documents_are_redacted_to_the_last_string() -> None:
    document = {
        "url": "https://a:b@h/c",
        "https://a:b@h/key": ["https://h/t/tok/x", ("https://h/x?token=t",), 3, None],
    }
    assert redact_data(document) == {
        "url": "https://h/c",
        "https://h/key": ["https://h/x", ("https://h/x",), 3, None],
    }


def test_the_logging_filter_redacts_messages_arguments_and_exceptions() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("tests.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("reading %s", "https://alice:Q1Z@host/t/Q2Z/chan")
        try:
            raise RuntimeError("401 for https://alice:Q3Z@host/x?token=Q4Z")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "reading https://host/chan" in text and "401 for https://host/x" in text
    assert "Traceback" in text
    assert not any(secret in text for secret in ("Q1Z", "Q2Z", "Q3Z", "Q4Z")), text


@pytest.mark.parametrize("run", ["a.", "a://", "a@", "x-"])
def test_long_text_takes_linear_time(run: str) -> None:
    """A long run of scheme characters once made every position start a scan to its end:
    200,000 characters took minutes; they take well under a second."""
    text = "error: https://u:p@h/x?" + run * 100_000
    started = time.perf_counter()
    assert "u:p@" not in redact(text)
    assert time.perf_counter() - started < 5
