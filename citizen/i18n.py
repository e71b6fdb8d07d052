"""Languages: which ones the service offers, how a request's language is chosen, and direction.

Order of choice: the person's explicit choice (the ``lang`` cookie) > ``Accept-Language`` >
English. Unknown or malformed values are ignored, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError, support
from flask import Flask, current_app, g, has_app_context, has_request_context, request, url_for
from flask_babel import get_locale, get_translations
from jinja2.runtime import Context
from jinja2.utils import pass_context
from markupsafe import Markup
from wtforms.i18n import messages_path

LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 60 * 60 * 24 * 365


@dataclass(frozen=True)
class Language:
    """A language the interface is offered in."""

    code: str
    endonym: str  # the language's name in itself
    english_name: str
    rtl: bool

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


# Display names in the language itself. Babel's names are used except where the community
# name differs from CLDR's (Sorani is "Central Kurdish" in CLDR).
_ENDONYM_OVERRIDES = {"ckb": "کوردیی سۆرانی", "pa": "ਪੰਜਾਬੀ (ਗੁਰਮੁਖੀ)"}
_ENGLISH_OVERRIDES = {"ckb": "Kurdish (Sorani)", "pa": "Punjabi (Gurmukhi)", "bn": "Bengali"}

SUPPORTED_CODES: tuple[str, ...] = (
    "en", "ar", "bn", "fa", "gu", "ckb", "pl", "pa", "ro", "ti", "ur",
)


@cache
def languages() -> tuple[Language, ...]:
    """Every offered language, English first, then by English name."""
    result = []
    for code in SUPPORTED_CODES:
        locale = Locale.parse(code)
        result.append(
            Language(
                code=code,
                endonym=_ENDONYM_OVERRIDES.get(code) or (locale.get_display_name(code) or code),
                english_name=_ENGLISH_OVERRIDES.get(code) or (locale.english_name or code),
                rtl=locale.text_direction == "rtl",
            )
        )
    english, rest = result[0], sorted(result[1:], key=lambda lang: lang.english_name)
    return (english, *rest)


def language(code: str) -> Language | None:
    """The offered language with this code, or ``None``."""
    normalised = normalise_code(code)
    return next((lang for lang in languages() if lang.code == normalised), None)


def language_name(code: str, in_locale: str) -> str:
    """The name of offered language ``code`` in language ``in_locale``: "Arabic", "arabski",
    "العربية" (its endonym in itself, the English name in English); ``code`` when not offered."""
    lang = language(code)
    if lang is None:
        return code
    if in_locale == code:
        return lang.endonym
    if in_locale == "en":
        return lang.english_name
    try:
        return Locale.parse(code).get_display_name(in_locale) or lang.english_name
    except (UnknownLocaleError, ValueError):
        return lang.english_name


def normalise_code(raw: str | None) -> str | None:
    """Turn ``pt-BR``/``EN_gb``/`` ar `` into an offered code, or ``None`` when not offered."""
    if not raw or len(raw) > 35:
        return None
    candidate = raw.strip().replace("_", "-").lower()
    if candidate in SUPPORTED_CODES:
        return candidate
    base = candidate.split("-", 1)[0]
    return base if base in SUPPORTED_CODES else None


def _chosen_code() -> str:
    """The chosen language code: cookie, then Accept-Language, then English (also for
    commands and jobs, which have no request)."""
    if not has_request_context():
        return str(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))
    chosen = normalise_code(request.cookies.get(LANG_COOKIE))
    if chosen:
        return chosen
    # Highest quality first; "ur-PK" counts as Urdu. A malformed header is ignored.
    try:
        offered = list(request.accept_languages)
    except (ValueError, TypeError):
        offered = []
    for value, quality in offered:
        code = normalise_code(value)
        if code and quality > 0:
            return code
    return str(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))


# English is written and formatted the British way (23 November 2026), not Babel's default US.
FORMAT_LOCALES = {"en": "en_GB"}


def select_locale() -> str:
    """Flask-Babel locale selector: the chosen language, as the locale used for formatting."""
    code = _chosen_code()
    return FORMAT_LOCALES.get(code, code)


def current_language() -> Language:
    return language(str(get_locale() or "en")) or languages()[0]


TRANSLATIONS_PATH = Path(__file__).resolve().parent.parent / "translations"


@cache
def catalogue_status(code: str) -> dict[str, bool]:
    """Whether a UI catalogue is machine-drafted and whether a person has reviewed it.

    Read from the header comment of ``translations/<code>/LC_MESSAGES/messages.po``
    (``# Machine-drafted: yes`` and ``# Reviewed: no``), so the footer tells the truth about
    each language. English is the source language: neither drafted nor in need of review.
    """
    status = {"machine_drafted": False, "reviewed": True}
    po_file = TRANSLATIONS_PATH / code / "LC_MESSAGES" / "messages.po"
    if code == "en" or not po_file.exists():
        return status
    with po_file.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            key, _, value = line.lstrip("# ").partition(":")
            flag = value.strip().lower() == "yes"
            if key.strip().lower() == "machine-drafted":
                status["machine_drafted"] = flag
            elif key.strip().lower() == "reviewed":
                status["reviewed"] = flag
    return status


# A stand-in for the language code: built into a link once per request, then replaced by each
# offered code (codes are lowercase ASCII letters, so they need no escaping in a path).
_CODE_PLACEHOLDER = "xlangcodex"


def _with_code(template: str, code: str) -> str | None:
    """``template`` (a ``site.language_set`` URL built for the placeholder code) for ``code``.

    The code is the last segment of the path, so it is found just before the query string;
    ``None`` when the URL is not shaped that way (the caller then builds it the slow way)."""
    path, question, query = template.partition("?")
    if not path.endswith("/" + _CODE_PLACEHOLDER):
        return None
    return f"{path[: -len(_CODE_PLACEHOLDER)]}{code}{question}{query}"


def language_link(code: str, external: bool = False) -> str:
    """The link that switches to ``code`` and comes back to this page: the same URL as
    ``url_for('site.language_set', code=code, next=<this page>, _external=external)``, with
    one ``url_for`` per request instead of one per language (the layout shows every language
    twice on every page). Cached on the request object (``g`` can outlive a request)."""
    cache: dict[bool, str] | None = getattr(request, "_citizen_language_links", None)
    if cache is None:
        cache = {}
        request._citizen_language_links = cache  # type: ignore[attr-defined]
    template = cache.get(external)
    if template is None:
        template = cache[external] = url_for(
            "site.language_set", code=_CODE_PLACEHOLDER, next=request.full_path.rstrip("?"),
            _external=external)
    link = _with_code(template, code)
    if link is None:
        link = url_for("site.language_set", code=code, next=request.full_path.rstrip("?"),
                       _external=external)
    return link


@cache
def _wtforms_catalogue(locale: str) -> support.NullTranslations:
    """WTForms' own messages ("Not a valid choice.", "Field cannot be longer than …") for a
    locale, parsed once per process. Flask-WTF would parse the catalogue again for every
    request that builds a form."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsTranslations:
    """What Flask-WTF looks for in ``request.wtforms_translations``: WTForms' messages in the
    request's current locale, from the per-process cache."""

    def ugettext(self, string: str) -> str:
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


_WTFORMS_TRANSLATIONS = _WTFormsTranslations()


def _request_translations() -> support.NullTranslations:
    """Flask-Babel's translations for the current locale, looked up once per request and locale.

    Flask-Babel finds them again for every string (several context lookups each time); a page
    translates dozens. The entry is kept with the locale object it was made for, so a
    ``force_locale`` block (mail in the recipient's language) or ``refresh()`` gets its own."""
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    cached: tuple[Locale | None, support.NullTranslations] | None = g.get("_citizen_translations")
    if cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    g._citizen_translations = (locale, translations)
    return translations


@pass_context
def _template_gettext(context: Context, string: str, **variables: Any) -> str:
    """``_()`` and ``gettext()`` in templates: what Jinja's "newstyle" gettext does with
    Flask-Babel's callables (translate, mark safe under autoescaping, ``%`` formatting), in one
    call instead of four."""
    rv: str = _request_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    # Jinja formats every message, even without variables (so "%%" becomes "%"); a message
    # without "%" comes out of that unchanged.
    return rv % variables if variables or "%" in rv else rv


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, num: int,
                       **variables: Any) -> str:
    """``ngettext()`` in templates (see :func:`_template_gettext`)."""
    variables.setdefault("num", num)
    rv: str = _request_translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


def _install_template_gettext(app: Flask) -> None:
    """Replace the gettext functions Flask-Babel gave Jinja by faster ones with the same
    output (Jinja's i18n extension and newstyle gettext stay on: ``{% trans %}`` works)."""
    if not getattr(app.jinja_env, "newstyle_gettext", False):
        return  # Flask-Babel did not set up Jinja: leave it alone
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext,
                                 ngettext=_template_ngettext)


def init_app(app: Flask) -> None:
    _install_template_gettext(app)

    @app.context_processor
    def _inject_language() -> dict[str, object]:
        lang = current_language()
        return {
            "current_language": lang,
            "languages": languages(),
            "catalogue_status": catalogue_status(lang.code),
            "language_link": language_link,
        }

    @app.before_request
    def _share_wtforms_translations() -> None:
        # Flask-WTF (flask_wtf/i18n.py) loads the catalogue into this attribute on first use
        # in each request unless it is already set.
        request.wtforms_translations = _WTFORMS_TRANSLATIONS  # type: ignore[attr-defined]
