"""Files for translators: XLIFF 1.2 and a simple JSON layout, both ways.

A file holds one page, one variant and one target language. Its units are ``title``,
``summary``, then ``body`` (HTML, standard pages) or ``line-N`` and ``line-N-alt`` (Easy Read;
the picture name travels in a note). The English version date in the file says which English
text the translation was made from, so an old file uploaded late is marked out of date.

Safety: XML is parsed with the standard library only after refusing any DOCTYPE or ENTITY
declaration (no entity expansion, no external entities), and files are limited in size.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
JSON_FORMAT = "citizen-information-page"
MAX_BYTES = 1_000_000
ALLOWED_UNITS = re.compile(r"^(title|summary|body|line-[1-9][0-9]{0,2}(-alt)?)$")
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class FileError(ValueError):
    """A translation file cannot be used; ``code`` names why and ``params`` give details."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Unit:
    id: str
    source: str
    target: str = ""
    picture: str | None = None


@dataclass
class TranslationFile:
    page_slug: str
    variant: str
    target_language: str
    english_version: datetime | None
    units: list[Unit] = field(default_factory=list)

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)


# ---------------------------------------------------------------- writing


def to_xliff(doc: TranslationFile) -> bytes:
    ET.register_namespace("", XLIFF_NS)
    root = ET.Element(f"{{{XLIFF_NS}}}xliff", {"version": "1.2"})
    file_el = ET.SubElement(root, f"{{{XLIFF_NS}}}file", {
        "original": f"page/{doc.page_slug}/{doc.variant}",
        "source-language": "en",
        "target-language": doc.target_language,
        "datatype": "html",
        "product-name": "citizen",
    })
    header = ET.SubElement(file_el, f"{{{XLIFF_NS}}}header")
    version_note = ET.SubElement(header, f"{{{XLIFF_NS}}}note", {"from": "english-version"})
    version_note.text = doc.english_version.isoformat() if doc.english_version else ""
    body = ET.SubElement(file_el, f"{{{XLIFF_NS}}}body")
    for unit in doc.units:
        attrs = {"id": unit.id}
        if unit.id == "body":
            attrs["datatype"] = "html"
        unit_el = ET.SubElement(body, f"{{{XLIFF_NS}}}trans-unit", attrs)
        ET.SubElement(unit_el, f"{{{XLIFF_NS}}}source").text = unit.source
        ET.SubElement(unit_el, f"{{{XLIFF_NS}}}target").text = unit.target
        if unit.picture:
            ET.SubElement(unit_el, f"{{{XLIFF_NS}}}note", {"from": "picture"}).text = unit.picture
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def to_json(doc: TranslationFile) -> bytes:
    data = {
        "format": JSON_FORMAT,
        "version": 1,
        "page": doc.page_slug,
        "variant": doc.variant,
        "source_language": "en",
        "target_language": doc.target_language,
        "english_version": doc.english_version.isoformat() if doc.english_version else None,
        "units": [
            {"id": u.id, "source": u.source, "target": u.target,
             **({"picture": u.picture} if u.picture else {})}
            for u in doc.units
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


# ---------------------------------------------------------------- reading


def _text(raw: bytes) -> str:
    if not raw or not raw.strip():
        raise FileError("empty")
    if len(raw) > MAX_BYTES:
        raise FileError("too_big", limit=MAX_BYTES // 1000)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileError("not_utf8") from error


def _version(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as error:
        raise FileError("bad_version") from error


def _check_units(units: list[Unit]) -> list[Unit]:
    seen: set[str] = set()
    for unit in units:
        if not ALLOWED_UNITS.match(unit.id):
            raise FileError("unknown_unit", unit=unit.id[:40])
        if unit.id in seen:
            raise FileError("duplicate_unit", unit=unit.id)
        seen.add(unit.id)
    if "title" not in seen:
        raise FileError("missing_unit", unit="title")
    return units


def from_xliff(raw: bytes) -> TranslationFile:
    text = _text(raw)
    if _DECLARATION.search(text):
        raise FileError("declaration")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise FileError("not_xml", line=error.position[0]) from error
    if root.tag != f"{{{XLIFF_NS}}}xliff":
        raise FileError("not_xliff")
    if root.get("version") != "1.2":
        raise FileError("wrong_version", version=(root.get("version") or "?")[:10])
    files = root.findall(f"{{{XLIFF_NS}}}file")
    if len(files) != 1:
        raise FileError("file_count", count=len(files))
    file_el = files[0]
    match = re.fullmatch(r"page/([a-z0-9-]{1,120})/(standard|easy_read)", file_el.get("original", ""))
    if not match:
        raise FileError("not_ours")
    version = None
    for note in file_el.iter(f"{{{XLIFF_NS}}}note"):
        if note.get("from") == "english-version":
            version = _version((note.text or "").strip())
    units = []
    for unit_el in file_el.iter(f"{{{XLIFF_NS}}}trans-unit"):
        source = unit_el.find(f"{{{XLIFF_NS}}}source")
        target = unit_el.find(f"{{{XLIFF_NS}}}target")
        picture = next((n.text for n in unit_el.findall(f"{{{XLIFF_NS}}}note")
                        if n.get("from") == "picture"), None)
        units.append(Unit(
            id=unit_el.get("id", ""),
            source="" if source is None else "".join(source.itertext()),
            target="" if target is None else "".join(target.itertext()),
            picture=(picture or "").strip() or None,
        ))
    return TranslationFile(
        page_slug=match.group(1), variant=match.group(2),
        target_language=file_el.get("target-language", ""), english_version=version,
        units=_check_units(units),
    )


def from_json(raw: bytes) -> TranslationFile:
    text = _text(raw)
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileError("not_json", line=error.lineno) from error
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise FileError("not_ours")
    if data.get("version") != 1:
        raise FileError("wrong_version", version=str(data.get("version"))[:10])
    page, variant = data.get("page"), data.get("variant", "standard")
    if not isinstance(page, str) or variant not in ("standard", "easy_read"):
        raise FileError("not_ours")
    raw_units = data.get("units")
    if not isinstance(raw_units, list):
        raise FileError("not_ours")
    units = []
    for item in raw_units:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k, ""), str) for k in ("id", "source", "target")
        ):
            raise FileError("not_ours")
        picture = item.get("picture")
        units.append(Unit(id=item.get("id", ""), source=item.get("source", ""),
                          target=item.get("target", ""),
                          picture=picture if isinstance(picture, str) else None))
    return TranslationFile(
        page_slug=page, variant=variant, target_language=str(data.get("target_language", "")),
        english_version=_version(data.get("english_version")), units=_check_units(units),
    )


def read(raw: bytes, filename: str) -> TranslationFile:
    """Read an uploaded file, choosing the format by its name (``.xlf``/``.xliff`` or ``.json``)
    or, failing that, by its first character."""
    name = (filename or "").lower()
    if name.endswith(".json"):
        return from_json(raw)
    if name.endswith((".xlf", ".xliff", ".xml")):
        return from_xliff(raw)
    return from_json(raw) if raw.lstrip()[:1] in (b"{", b"[") else from_xliff(raw)
