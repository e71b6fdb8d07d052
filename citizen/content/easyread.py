"""Easy Read: short sentences, one idea a line, a picture beside a line where it helps.

Writers type one idea a line. A line may start with a picture slot in square brackets, the
picture's name and the words that describe it::

    [doctor: A doctor talking to a woman] Your doctor can help you.
    It does not cost anything.

Pictures come from a small built-in library (drawn as SVG in ``templates/content/_pictures.html``)
so they load under the strict Content-Security-Policy and print well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

PICTURES: dict[str, Any] = {
    "doctor": _l("A doctor"),
    "phone": _l("A telephone"),
    "home": _l("A house"),
    "warm": _l("A radiator, warm"),
    "vaccine": _l("A needle for a vaccine"),
    "calendar": _l("A calendar"),
    "pharmacy": _l("A pharmacy cross"),
    "talk": _l("Two people talking"),
    "walk": _l("A person walking"),
    "help": _l("A hand helping"),
    "food": _l("A bowl of hot food"),
    "heart": _l("A heart"),
}

MAX_LINES = 60
MAX_LINE_LENGTH = 300
LONG_LINE_WORDS = 15  # Easy Read guidance: about 15 words or fewer a sentence

_SLOT = re.compile(r"^\s*\[\s*([a-z-]+)\s*:\s*([^\]]*)\]\s*(.*)$")


@dataclass(frozen=True)
class LineError:
    code: str  # unknown_picture | missing_alt | missing_text | too_long | too_many
    line: int
    picture: str = ""


def parse(text: str) -> tuple[list[dict[str, Any]], list[LineError]]:
    """Lines typed by a writer -> stored lines, and the problems found (line numbers from 1)."""
    lines: list[dict[str, Any]] = []
    errors: list[LineError] = []
    number = 0
    for raw in (text or "").splitlines():
        if not raw.strip():
            continue
        number += 1
        picture: str | None = None
        alt = ""
        content = raw.strip()
        slot = _SLOT.match(content)
        if slot:
            picture, alt, content = slot.group(1), slot.group(2).strip(), slot.group(3).strip()
            if picture not in PICTURES:
                errors.append(LineError("unknown_picture", number, picture))
            if not alt:
                errors.append(LineError("missing_alt", number, picture))
        if not content:
            errors.append(LineError("missing_text", number))
        if len(content) > MAX_LINE_LENGTH:
            errors.append(LineError("too_long", number))
        lines.append({"text": content, "picture": picture, "alt": alt})
    if len(lines) > MAX_LINES:
        errors.append(LineError("too_many", MAX_LINES))
    return lines, errors


def format_lines(lines: list[dict[str, Any]] | None) -> str:
    """Stored lines -> the text a writer edits (the inverse of :func:`parse`)."""
    out = []
    for line in lines or []:
        if line.get("picture"):
            out.append(f"[{line['picture']}: {line.get('alt', '')}] {line.get('text', '')}")
        else:
            out.append(str(line.get("text", "")))
    return "\n".join(out)


def long_lines(lines: list[dict[str, Any]]) -> list[int]:
    """Line numbers (from 1) with more words than Easy Read guidance suggests."""
    return [i for i, line in enumerate(lines, 1)
            if len(str(line.get("text", "")).split()) > LONG_LINE_WORDS]
