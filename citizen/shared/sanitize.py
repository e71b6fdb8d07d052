"""The one place where untrusted HTML is cleaned (nh3 behind it, so a swap touches one file)."""

from __future__ import annotations

import nh3
from markupsafe import Markup

RICH_TEXT_TAGS = frozenset(
    {"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "img", "span"}
)
RICH_TEXT_ATTRIBUTES = {"a": {"href", "hreflang", "lang"}, "img": {"src", "alt"}, "*": {"lang", "dir"}}
URL_SCHEMES = frozenset({"https", "http", "mailto", "tel"})


def clean_rich_text(html: str) -> Markup:
    """Keep headings, lists, links, emphasis and images; drop everything else (scripts, styles,
    event handlers, ``javascript:`` links). Links get ``rel="noopener noreferrer"``."""
    cleaned = nh3.clean(
        html,
        tags=set(RICH_TEXT_TAGS),
        attributes={tag: set(attrs) for tag, attrs in RICH_TEXT_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Markup(cleaned)


def plain_text(html: str) -> str:
    """Strip every tag, keeping only the text (for previews, search and exports)."""
    return nh3.clean(html, tags=set(), attributes={})
