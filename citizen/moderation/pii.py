"""Finding personal data in free text, and replacing it by markers.

:func:`detect` returns :class:`Finding` spans (kind, start, end) for e-mail addresses, UK phone
numbers, NHS numbers (ten digits with a valid modulus 11 check digit), full UK postcodes,
dates of birth (a date near "born", "DOB", "date of birth", "birthday"), web addresses, and
people's names where they follow a title (Dr, Mr, Mrs, Ms, Miss, Nurse, Sister, ...) or
"my name is". It uses rules, not a model: it runs in microseconds, needs nothing installed
and its mistakes can be explained. ``bench/pii_detection.py`` measures it on a labelled corpus.

Pure Python: no Flask or database (the markers are lazy strings, translated when rendered).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

# Bump whenever what detect() finds or what the markers say changes: exports keep each
# response's automatically redacted text and rebuild it when this differs (a test holds the
# version to a digest of this file, so a change cannot go unnoticed).
DETECTOR_VERSION = 1

KINDS: tuple[str, ...] = (
    "email", "phone", "nhs_number", "postcode", "date_of_birth", "url", "name",
)

LABELS: dict[str, Any] = {
    "email": _l("E-mail address"),
    "phone": _l("Phone number"),
    "nhs_number": _l("NHS number"),
    "postcode": _l("Postcode"),
    "date_of_birth": _l("Date of birth"),
    "url": _l("Web address"),
    "name": _l("Name"),
    "other": _l("Other personal details"),
}

MARKERS: dict[str, Any] = {
    "email": _l("[email address removed]"),
    "phone": _l("[phone number removed]"),
    "nhs_number": _l("[NHS number removed]"),
    "postcode": _l("[postcode removed]"),
    "date_of_birth": _l("[date of birth removed]"),
    "url": _l("[web address removed]"),
    "name": _l("[name removed]"),
    "other": _l("[personal details removed]"),
}

# When two findings overlap, the one whose kind comes first here wins.
_PRIORITY = {"email": 0, "url": 1, "nhs_number": 2, "phone": 3, "date_of_birth": 4,
             "postcode": 5, "name": 6}


@dataclass(frozen=True, order=True)
class Finding:
    start: int
    end: int
    kind: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end}


def label(kind: str) -> Any:
    return LABELS.get(kind, LABELS["other"])


def marker(kind: str) -> Any:
    return MARKERS.get(kind, MARKERS["other"])


# ---------------------------------------------------------------- e-mail and web addresses

_EMAIL = re.compile(
    r"(?<![\w.+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w\-])"
)
_EMAIL_SPELLED = re.compile(
    r"(?<![\w.])[A-Za-z0-9][A-Za-z0-9._\-]*\s*[\[(]\s*at\s*[\])]\s*[A-Za-z0-9\-]+"
    r"(?:\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*[A-Za-z]{2,})+",
    re.IGNORECASE,
)
_TLDS = (r"(?:com|org|net|info|biz|io|me|uk|co\.uk|org\.uk|ac\.uk|gov\.uk|nhs\.uk|ltd\.uk|eu|app"
         r"|ly|gl|tv|co|us|ie|online|site|page|link)")
_URL = re.compile(
    r"(?<![@\w.\-])(?:(?:https?|ftp)://[^\s<>\"'()\[\]]+"
    r"|www\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:/[^\s<>\"'()\[\]]*)?"
    rf"|[A-Za-z0-9][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)*\.{_TLDS}(?![\w@\-])(?:/[^\s<>\"'()\[\]]*)?)",
    re.IGNORECASE,
)


def _trim_trailing(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in ".,;:!?'\")]}":
        end -= 1
    return end


def _emails(text: str) -> list[Finding]:
    found = [Finding(m.start(), m.end(), "email", m.group()) for m in _EMAIL.finditer(text)]
    for m in _EMAIL_SPELLED.finditer(text):
        found.append(Finding(m.start(), m.end(), "email", m.group()))
    return found


def _urls(text: str) -> list[Finding]:
    found = []
    for m in _URL.finditer(text):
        end = _trim_trailing(text, m.start(), m.end())
        value = m.group().lower()
        if not value.startswith(("http", "ftp", "www.")):
            host = m.group().split("/")[0]
            if not host.rsplit(".", 1)[-1].islower():
                continue  # "I waited.Me and my mum" is a missing space, not a web address
        if end - m.start() >= 4:
            found.append(Finding(m.start(), end, "url", text[m.start():end]))
    return found


# ---------------------------------------------------------------- phone and NHS numbers

# A run of digit groups with single separators between them ("07700 900 123", "+44 (0)24 7650").
_DIGIT_RUN = re.compile(
    r"(?<![\w.,\-])(?:\+|\()?\d+(?:(?:[ \u00a0]{1,3}|[\-.]|\)[ \u00a0]?|[ \u00a0]\()\d+)*\)?")
_GROUP = re.compile(r"\d+")


def nhs_check_digit_ok(digits: str) -> bool:
    """Whether a ten-digit string has a valid NHS modulus 11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


_PHONE_STARTS_11 = ("01", "02", "03", "05", "07", "08", "09")


def _uk_phone(national: str) -> bool:
    """Whether digits (starting with 0) look like a whole UK phone number."""
    if not national.startswith("0") or not national.isdigit():
        return False
    if len(national) == 11:
        return national.startswith(_PHONE_STARTS_11)
    if len(national) == 10:  # some small exchanges (01xxx xxxxx) and 0800 xxxxxx
        return national.startswith(("01", "0800", "0500"))
    return False


def _numbers(text: str) -> list[Finding]:
    found: list[Finding] = []
    for run in _DIGIT_RUN.finditer(text):
        value = run.group()
        if len(value) < 9:
            continue  # fewer than nine digits: neither a phone nor an NHS number
        groups = list(_GROUP.finditer(value))
        base = run.start()
        i = 0
        while i < len(groups):
            hit = _number_from(text, value, base, groups, i)
            if hit is None:
                i += 1
                continue
            finding, used = hit
            found.append(finding)
            i += used
    return found


def _number_from(text: str, run: str, base: int, groups: list[re.Match[str]],
                 first: int) -> tuple[Finding, int] | None:
    """The longest phone or NHS number starting at digit group ``first`` of a run."""
    start_offset = groups[first].start()
    parts = [g.group() for g in groups]
    international = False
    skip = 0
    head = parts[first]
    plus = start_offset > 0 and run[start_offset - 1] == "+"
    if (plus and head == "44") or head == "0044":
        international = True
        skip = 1
        if first + 1 < len(parts) and parts[first + 1] == "0":
            skip = 2  # +44 (0)
    elif plus and head.startswith("44"):
        international = True
        parts[first] = head[2:]
    elif first > 0:
        return None  # a number must start at the beginning of a run
    if plus or (start_offset > 0 and run[start_offset - 1] == "("):
        start_offset -= 1
    best: tuple[int, str] | None = None
    digits = ""
    for j in range(first + skip, min(len(parts), first + skip + 5)):
        digits += parts[j]
        if len(digits) > 12:
            break
        if international:
            candidate = digits if digits.startswith("0") else "0" + digits
            if _uk_phone(candidate):
                best = (j, "phone")
        elif _uk_phone(digits):
            best = (j, "phone")
        elif len(digits) == 10 and not digits.startswith("0") and nhs_check_digit_ok(digits):
            best = (j, "nhs_number")
    if best is None:
        return None
    end_index, kind = best
    end = groups[end_index].end()
    if end < len(run) and run[end] == ")" and "(" in run[start_offset:end]:
        end += 1
    start, stop = base + start_offset, base + end
    return Finding(start, stop, kind, text[start:stop]), end_index - first + 1


# ---------------------------------------------------------------- postcodes

_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])("
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[ \u00a0]?([0-9][ABD-HJLNP-UW-Z]{2})|GIR ?0AA)(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"[0-9](?:st|nd|rd|th)")


def _postcodes(text: str) -> list[Finding]:
    found = []
    for m in _POSTCODE.finditer(text):
        value = m.group()
        inward = m.group(2) or ""
        if inward and _ORDINAL.fullmatch(inward):
            continue  # "the M6 2nd", "A45 3rd": roads and ordinals, not postcodes
        if value.islower() and " " not in value:
            continue  # "cv12ab"-like tokens in lower case with no space are too unreliable
        found.append(Finding(m.start(), m.end(), "postcode", value))
    return found


# ---------------------------------------------------------------- dates of birth

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})(?!\d)"
    r"|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH},?\s+(?:\d{{4}}|'\d{{2}})"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{4}})"
)
_CUE = (r"(?:born|birth\s*date|date\s+of\s+birth|d\.\s?o\.\s?b\.?|dob|birthday|b\.d\.)")
_DOB_AFTER_CUE = re.compile(
    rf"\b{_CUE}(?![a-z])[^.!?\n\d]{{0,30}}?(?P<date>{_DATE})", re.IGNORECASE)
_DOB_BEFORE_CUE = re.compile(
    rf"(?P<date>{_DATE})\s*[(,\-–]?\s*(?:\(|is\s+)?(?:my|his|her|their|the)?\s*"
    rf"(?:date\s+of\s+birth|d\.?o\.?b\.?|birthday)\b", re.IGNORECASE)


def _dates_of_birth(text: str) -> list[Finding]:
    found = []
    for pattern in (_DOB_AFTER_CUE, _DOB_BEFORE_CUE):
        for m in pattern.finditer(text):
            found.append(Finding(m.start("date"), m.end("date"), "date_of_birth", m.group("date")))
    return found


# ---------------------------------------------------------------- names after titles

_TITLES = (r"Dr|Doctor|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Nurse|Sister|Matron|Midwife|Sir|Dame"
           r"|Lady|Lord|Rev|Reverend|Father|Pastor|Imam|Rabbi|Cllr|Councillor|Auntie|Aunty|Uncle")
_NAME_WORD = r"(?:(?:Mc|Mac|O['’]|D['’])?[A-Z][a-zà-öø-ÿ'’]+(?:-[A-Z][a-zà-öø-ÿ'’]+)?|[A-Z]\.?)"
_PARTICLE = r"(?:van|von|de|der|da|del|bin|bint|al|el|ul)"
_NAME = rf"{_NAME_WORD}(?:[ \u00a0]+(?:{_PARTICLE}[ \u00a0]+)?{_NAME_WORD})*"
_TITLED = re.compile(
    rf"(?<![\w])(?:{_TITLES}|dr|mr|mrs|ms|DR|MR|MRS|MS)\.?[ \u00a0]+(?P<name>{_NAME})")
_MY_NAME = re.compile(
    rf"\b(?:[Mm]y name is|[Mm]y name's|I am called|I'm called|[Mm]y (?:son|daughter|husband|wife|"
    rf"mum|dad|mother|father|partner|carer|brother|sister|grandson|granddaughter) is called)"
    rf"[ \u00a0]+(?P<name>{_NAME})")
_NOT_NAME_WORDS = """
The A An And Or But Of In On At To For From With By Who What When Where Why How Is Was Were Are
Be Been Has Had Have Said Says Told Tells Asked Came Went Did Does Do Can Could Would Should Will
Practitioner Practitioners Specialist Specialists Associate Associates Manager Managers Team Teams
Station Stations Clinic Clinics Surgery Surgeries Appointment Appointments Service Services Led
Wards Unit Units Home Homes Office Offices Line Lines Call Calls Advice Support Visit Visits
Day Days Week Weeks Monday Tuesday Wednesday Thursday Friday Saturday Sunday
January February March April June July August September October November December
Christmas Universe Right Left Blobby Men Women Muscle Bean Motivator Fixit Sandman
I It He She They We You My Our Your His Her Their This That These Those There Here Not No Yes
Please Thank Thanks Also Then So Very Really Only Just Still Always Never Again Now Today
NHS GP GPs A&E Hospital Practice Health Care Council Walk Drop Out Hours Urgent
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


def _trim_name(words: list[str]) -> list[str]:
    """The words of a name, stopping at the first that is not part of one."""
    kept: list[str] = []
    for word in words:
        bare = word.rstrip(".")
        initial = len(bare) == 1
        if bare in _NOT_NAMES and (not initial or (bare == "I" and not word.endswith("."))):
            break
        kept.append(word)
    while kept and len(kept[-1].rstrip(".")) == 1:
        kept.pop()  # a name does not end with an initial
    return kept


_SPACES = re.compile(r"([ \u00a0]+)")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def _names_by(pattern: re.Pattern[str], text: str) -> list[Finding]:
    found = []
    for m in pattern.finditer(text):
        start = m.start("name")
        pieces = _SPACES.split(m.group("name"))
        kept = _trim_name(pieces[::2])
        if not kept:
            continue
        value = "".join(pieces[: 2 * len(kept) - 1])
        value = _POSSESSIVE.sub("", value)  # possessive: "Mr Evans's"
        if len(value) < 2:
            continue
        found.append(Finding(start, start + len(value), "name", value))
    return found


def _names(text: str) -> list[Finding]:
    return _names_by(_TITLED, text) + _names_by(_MY_NAME, text)


# ---------------------------------------------------------------- together


# Cheap necessary conditions ("gates"), checked before each family of patterns: most free text
# has no '@', no digit run long enough for a phone number, no title, so the expensive patterns
# (several of them case-insensitive, which defeats the regex engine's fast scan) rarely run.
# Each gate is a strict superset of what its patterns can match, so skipping a family whose
# gate is closed never changes the result (tests/moderation/test_pii_fast.py checks this
# against a straightforward run of every pattern).
_ANY_DIGIT = re.compile(r"\d")
# Phone and NHS numbers have at least nine digits in one run, with at most three separating
# characters between digits (see _DIGIT_RUN).
_NUMBER_GATE = re.compile(r"\d(?:\D{0,3}\d){8}")
# Every postcode ends in a digit and two letters ("3XY", "0AA").
_POSTCODE_GATE = re.compile(r"[0-9][^\W\d_]{2}")
# A web address has "://", "www." or a dot before a known top-level domain; lower case only
# (used on ASCII text, lowered).
_URL_GATE = re.compile(rf"://|www\.|\.{_TLDS}")
# A date of birth needs one of the cues; lower case (used on ASCII text, lowered).
_DOB_GATE = re.compile(r"born|birth|d\.?\s?o\.?\s?b|b\.d\.")
# A title followed by what could start a name (every name word starts with a capital).
_TITLED_GATE = re.compile(rf"(?:{_TITLES}|dr|mr|mrs|ms|DR|MR|MRS|MS)\.?[ \u00a0]+[A-Z]")


def _candidates(text: str) -> list[Finding]:
    """Every finding of every pattern, overlapping, skipping patterns that cannot match."""
    found: list[Finding] = []
    if "@" in text:
        found.extend(Finding(m.start(), m.end(), "email", m.group()) for m in _EMAIL.finditer(text))
    if "(" in text or "[" in text:
        found.extend(Finding(m.start(), m.end(), "email", m.group())
                     for m in _EMAIL_SPELLED.finditer(text))
    # Case-insensitive gates on lowered text only when that is exact (ASCII: no letter lowers to
    # two characters or case-folds like the Kelvin sign); otherwise run the patterns.
    ascii_text = text.isascii()
    lowered = text.lower() if ascii_text else ""
    if not ascii_text or _URL_GATE.search(lowered):
        found.extend(_urls(text))
    if _ANY_DIGIT.search(text):
        if _NUMBER_GATE.search(text):
            found.extend(_numbers(text))
        if _POSTCODE_GATE.search(text):
            found.extend(_postcodes(text))
        if not ascii_text or _DOB_GATE.search(lowered):
            found.extend(_dates_of_birth(text))
    if _TITLED_GATE.search(text):
        found.extend(_names_by(_TITLED, text))
    if "y name" in text or "called" in text:
        found.extend(_names_by(_MY_NAME, text))
    return found


def detect(text: str) -> list[Finding]:
    """Every piece of personal data found in ``text``, in order, without overlaps."""
    if not text:
        return []
    candidates = _candidates(text)
    if len(candidates) < 2:
        return candidates
    return _choose(candidates)


def detect_unfiltered(text: str) -> list[Finding]:
    """:func:`detect` without the gates: every pattern runs. Slower, same result (for tests)."""
    if not text:
        return []
    return _choose(_emails(text) + _urls(text) + _numbers(text) + _postcodes(text)
                   + _dates_of_birth(text) + _names(text))


def _choose(candidates: list[Finding]) -> list[Finding]:
    """Overlapping findings resolved: by kind priority, then the earliest, then the longest."""
    candidates.sort(key=lambda f: (_PRIORITY[f.kind], f.start, -(f.end - f.start)))
    chosen: list[Finding] = []
    for finding in candidates:
        if any(finding.start < c.end and c.start < finding.end for c in chosen):
            continue
        chosen.append(finding)
    return sorted(chosen)


def redact(text: str, findings: list[Finding] | None = None,
           marker_for: Callable[[str], str] | None = None) -> str:
    """``text`` with each finding replaced by its marker (``marker_for(kind)``)."""
    findings = detect(text) if findings is None else findings
    make = marker_for or (lambda kind: str(marker(kind)))
    out: list[str] = []
    position = 0
    for finding in sorted(findings):
        if finding.start < position:
            continue
        out.append(text[position:finding.start])
        out.append(make(finding.kind))
        position = finding.end
    out.append(text[position:])
    return "".join(out)


def segments(text: str, findings: list[Finding]) -> list[tuple[str, Finding | None]]:
    """``text`` cut into plain pieces and findings, for highlighting in a page."""
    out: list[tuple[str, Finding | None]] = []
    position = 0
    for finding in sorted(findings):
        if finding.start < position:
            continue
        if finding.start > position:
            out.append((text[position:finding.start], None))
        out.append((text[finding.start:finding.end], finding))
        position = finding.end
    if position < len(text):
        out.append((text[position:], None))
    return out
