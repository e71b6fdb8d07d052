"""Checks on rich text before it is sanitised: every image needs words that describe it.

``citizen.shared.sanitize.clean_rich_text`` keeps ``<img alt>`` but cannot require it, so the
check is here, at the form field, where the writer can fix it without losing their text.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3
from markupsafe import Markup

from citizen.shared.sanitize import RICH_TEXT_ATTRIBUTES, RICH_TEXT_TAGS, URL_SCHEMES

# The shared rules plus <span>, so a passage in another language inside a translation (an
# English service name in Arabic text) can carry its own lang and dir. Wanted in
# citizen/shared/sanitize.py; until then, the same nh3 call with one more tag.
TAGS = frozenset(RICH_TEXT_TAGS | {"span"})


class _ImageFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.lower() == "img":
            self.images.append(dict(attrs))

    handle_startendtag = handle_starttag


def images_without_alt(html: str) -> list[str]:
    """The ``src`` (or ``"?"``) of each image with no alt text, or alt text of spaces only.

    A decorative ``alt=""`` is refused too: pictures in health information carry meaning.
    """
    finder = _ImageFinder()
    finder.feed(html or "")
    finder.close()
    return [
        str(image.get("src") or "?") for image in finder.images
        if not (image.get("alt") or "").strip()
    ]


def clean(html: str) -> Markup:
    """Sanitise rich text: the shared rules (headings, lists, links, emphasis, images; no
    scripts, styles, event handlers or ``javascript:`` links) plus ``<span lang dir>``."""
    cleaned = nh3.clean(
        html or "",
        tags=set(TAGS),
        attributes={tag: set(attrs) for tag, attrs in RICH_TEXT_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Markup(cleaned)
