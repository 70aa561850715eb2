"""The fenced examples of README.md, read so tests can run them.

Every fenced block in the README is preceded by a marker naming the test that runs it:

    <!-- readme-test: NAME -->
    ```console
    $ hybrid check spec.yaml        # a comment
    error: outputs in . are stale:
    …
    ```

In a console block, lines starting with `$ ` are commands and the lines after one are its
output; a block without `$ ` lines is all commands (`hybrid …`, `make …`), no output. Commands
are split like a shell would (quotes, `# comments`, `a && b`). Output is compared line by line
(trailing spaces aside): a line `…` stands for any number of lines, `…` inside a line for any
text in it (a space before it included), and, where a test allows it, numbers stand for any numbers.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_MARKER = re.compile(r"^\s*<!--\s*readme-test:\s*([\w.-]+)\s*-->\s*$")
_FENCE = re.compile(r"^(\s*)(```+)\s*([\w-]*)\s*$")
_NUMBER = re.compile(r"(\d+(?:\.\d+)*)")
ELLIPSIS = "…"


@dataclass(frozen=True, kw_only=True, slots=True)
class Example:
    """One fenced block: the marker's name ("" when unmarked), info string, text, position."""

    name: str
    info: str
    text: str
    line: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Command:
    """One command line, as argv, and the output lines the README shows after it."""

    argv: tuple[str, ...]
    output: tuple[str, ...] = ()


def read_examples(path: Path) -> list[Example]:
    lines = path.read_text(encoding="utf-8").splitlines()
    examples = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence, info = opening.groups()
        end = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == fence)
        body = [line[len(indent):] if line.startswith(indent) else line.lstrip()
                for line in lines[index + 1 : end]]
        marker = _MARKER.match(lines[index - 1]) if index else None
        examples.append(Example(name=marker.group(1) if marker else "", info=info,
                                text="\n".join(body) + "\n", line=index + 1))
        index = end + 1
    return examples


def commands(example: Example) -> list[Command]:
    """The commands of a console block, each with the output shown after it."""
    lines = example.text.splitlines()
    prompted = any(line.startswith("$ ") for line in lines)
    found: list[tuple[list[tuple[str, ...]], list[str]]] = []
    for line in lines:
        if prompted and not line.startswith("$ "):
            found[-1][1].append(line)
        elif line.strip():
            found.append((_chain(line.removeprefix("$ ")), []))
    result = []
    for chain, output in found:
        *first, last = chain
        result += [Command(argv=argv) for argv in first]
        result.append(Command(argv=last, output=tuple(output)))
    return result


def _chain(line: str) -> list[tuple[str, ...]]:
    tokens = shlex.split(line, comments=True)
    chain: list[tuple[str, ...]] = [()]
    for token in tokens:
        if token == "&&":
            chain.append(())
        else:
            chain[-1] += (token,)
    return chain


def output_pattern(expected: Sequence[str], *, any_numbers: bool = False) -> re.Pattern[str]:
    """A regex matching the whole of an output the README shows as `expected`."""
    parts = []
    for line in expected:
        if line.strip() == ELLIPSIS:
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(_line_pattern(line.rstrip(), any_numbers) + r"[ \t]*\n")
    return re.compile("".join(parts))


def _line_pattern(line: str, any_numbers: bool) -> str:
    pieces = []
    texts = line.split(ELLIPSIS)
    for index, text in enumerate(texts):
        if index:
            pieces.append("[^\n]*?")
        if index < len(texts) - 1:
            text = text.removesuffix(" ")  # "1.26.x …" also stands for "1.26.x, which …"
        chunks = _NUMBER.split(text) if any_numbers else [text]
        pieces += [r"\d+(?:\.\d+)*" if i % 2 else re.escape(c) for i, c in enumerate(chunks)]
    return "".join(pieces)


def shows(expected: Sequence[str], actual: str, *, any_numbers: bool = False) -> bool:
    """Whether `actual` (all of it) is what the README shows as `expected`."""
    text = "".join(line.rstrip() + "\n" for line in actual.splitlines())
    return output_pattern(expected, any_numbers=any_numbers).fullmatch(text) is not None
