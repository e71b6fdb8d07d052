"""Translation files: XLIFF 1.2 and JSON round trips, and clear errors for bad files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy.orm import Session

from citizen.content import services, xliff
from citizen.content.xliff import FileError
from tests.content.conftest import World

NS = {"x": xliff.XLIFF_NS}


def _fill_xliff(raw: bytes, targets: dict[str, str]) -> bytes:
    root = ET.fromstring(raw)
    for unit in root.iter(f"{{{xliff.XLIFF_NS}}}trans-unit"):
        target = unit.find("x:target", NS)
        assert target is not None
        target.text = targets.get(unit.get("id", ""), target.text)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def test_xliff_round_trip(db_session: Session, world: World) -> None:
    doc = services.export_file(world.page, "ar", "standard")
    raw = xliff.to_xliff(doc)
    root = ET.fromstring(raw)
    assert root.tag == f"{{{xliff.XLIFF_NS}}}xliff" and root.get("version") == "1.2"
    file_el = root.find("x:file", NS)
    assert file_el is not None
    assert file_el.get("source-language") == "en" and file_el.get("target-language") == "ar"
    sources = {u.get("id"): u.find("x:source", NS).text for u in root.iter(  # type: ignore[union-attr]
        f"{{{xliff.XLIFF_NS}}}trans-unit")}
    assert sources["title"] == "Keep warm" and "<h2>Keep warm</h2>" in (sources["body"] or "")

    filled = _fill_xliff(raw, {"title": "ابقَ دافئًا", "summary": "ملخص",
                               "body": "<h2>دفء</h2><p>نص</p><script>x()</script>"})
    t = services.import_file(db_session, world.translator, world.page, "ar", "standard",
                             xliff.read(filled, "page.xlf"), machine_drafted=True)
    assert t.title == "ابقَ دافئًا" and t.summary == "ملخص"
    assert t.body == "<h2>دفء</h2><p>نص</p>"  # sanitised on the way in
    assert t.status == "draft" and t.machine_drafted
    assert t.source_version_at == world.page.english_version_at
    assert t.events[-1].action == "uploaded"
    # Downloading again carries the translation as the target: the round trip is lossless.
    again = services.export_file(world.page, "ar", "standard")
    assert again.unit("title").target == "ابقَ دافئًا"  # type: ignore[union-attr]
    assert xliff.from_xliff(xliff.to_xliff(again)).units == again.units


def test_json_round_trip_for_easy_read(db_session: Session, world: World) -> None:
    english = services.save_text(db_session, world.organiser, world.page, "en", "easy_read",
                                 title="Keep warm", summary="",
                                 lines_text="[warm: A radiator] Keep warm.\nEat hot food.")
    services.publish(db_session, world.organiser, english)
    raw = xliff.to_json(services.export_file(world.page, "ar", "easy_read"))
    data = json.loads(raw)
    assert data["format"] == "citizen-information-page" and data["variant"] == "easy_read"
    ids = [u["id"] for u in data["units"]]
    assert ids == ["title", "summary", "line-1", "line-1-alt", "line-2"]
    assert data["units"][3]["picture"] == "warm"
    targets = {"title": "ابقَ دافئًا", "line-1": "ابقَ دافئًا.", "line-1-alt": "مدفأة",
               "line-2": "كل طعامًا ساخنًا."}
    for unit in data["units"]:
        unit["target"] = targets.get(unit["id"], "")
    t = services.import_file(db_session, world.translator, world.page, "ar", "easy_read",
                             xliff.read(json.dumps(data).encode(), "page.json"))
    assert t.lines == [{"text": "ابقَ دافئًا.", "picture": "warm", "alt": "مدفأة"},
                       {"text": "كل طعامًا ساخنًا.", "picture": None, "alt": ""}]
    assert xliff.from_json(xliff.to_json(services.export_file(world.page, "ar", "easy_read"))
                           ).unit("line-1-alt").target == "مدفأة"  # type: ignore[union-attr]


def test_an_old_file_is_marked_out_of_date(db_session: Session, world: World) -> None:
    raw = _fill_xliff(xliff.to_xliff(services.export_file(world.page, "ar", "standard")),
                      {"title": "قديم", "body": "<p>قديم</p>"})
    master = world.page.translation("en", "standard")
    assert master is not None
    services.save_text(db_session, world.organiser, world.page, "en", "standard",
                       title="Keep warm", body="<p>New English advice.</p>")
    services.publish(db_session, world.organiser, master)
    t = services.import_file(db_session, world.translator, world.page, "ar", "standard",
                             xliff.read(raw, "old.xlf"))
    assert services.is_out_of_date(world.page, t)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="page/test-page/standard"
 source-language="en" target-language="ar" datatype="html"><body><trans-unit id="title">
<source>a</source><target>&lol2;</target></trans-unit></body></file></xliff>"""

EXTERNAL = b"""<?xml version="1.0"?><!doctype x [<!entity xxe SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>"""

GOOD_HEAD = (b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
             b'<file original="page/test-page/standard" source-language="en" target-language="ar">'
             b"<body>")


@pytest.mark.parametrize(("raw", "name", "code"), [
    (b"", "x.xlf", "empty"),
    (b"   \n", "x.json", "empty"),
    (b"x" * (xliff.MAX_BYTES + 1), "x.xlf", "too_big"),
    (b"\xff\xfe<\x00x\x00", "x.xlf", "not_utf8"),
    (BILLION_LAUGHS, "x.xlf", "declaration"),
    (EXTERNAL, "x.xlf", "declaration"),
    (b"<xliff><unclosed>", "x.xlf", "not_xml"),
    (b"<html><body/></html>", "x.xlf", "not_xliff"),
    (b'<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>', "x.xlf",
     "wrong_version"),
    (b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>', "x.xlf",
     "file_count"),
    (GOOD_HEAD.replace(b"page/test-page/standard", b"../etc") + b"</body></file></xliff>",
     "x.xlf", "not_ours"),
    (GOOD_HEAD + b"</body></file></xliff>", "x.xlf", "missing_unit"),
    (GOOD_HEAD + b'<trans-unit id="title"><source/></trans-unit><trans-unit id="evil"><source/>'
     b"</trans-unit></body></file></xliff>", "x.xlf", "unknown_unit"),
    (GOOD_HEAD + b'<trans-unit id="title"><source/></trans-unit><trans-unit id="title"><source/>'
     b"</trans-unit></body></file></xliff>", "x.xlf", "duplicate_unit"),
    (b"{not json", "x.json", "not_json"),
    (b'{"format": "something-else"}', "x.json", "not_ours"),
    (b'{"format": "citizen-information-page", "version": 7}', "x.json", "wrong_version"),
    (b'{"format": "citizen-information-page", "version": 1, "page": "p", "units": "no"}',
     "x.json", "not_ours"),
    (b'{"format": "citizen-information-page", "version": 1, "page": "p", "english_version": '
     b'"yesterday", "units": [{"id": "title", "source": "", "target": ""}]}', "x.json",
     "bad_version"),
])
def test_bad_files_give_clear_errors(raw: bytes, name: str, code: str) -> None:
    with pytest.raises(FileError) as caught:
        xliff.read(raw, name)
    assert caught.value.code == code


def test_files_for_another_page_language_or_variant_are_refused(
    db_session: Session, world: World
) -> None:
    doc = services.export_file(world.page, "ar", "standard")
    doc.unit("title").target = "x"  # type: ignore[union-attr]
    doc.unit("body").target = "<p>x</p>"  # type: ignore[union-attr]
    for page_slug, variant, language, code in (
        ("other-page", "standard", "ar", "wrong_page"),
        ("test-page", "easy_read", "ar", "wrong_variant"),
        ("test-page", "standard", "pl", "wrong_language"),
    ):
        changed = xliff.TranslationFile(page_slug, variant, language, doc.english_version, doc.units)
        with pytest.raises(FileError) as caught:
            services.import_file(db_session, world.translator, world.page, "ar", "standard", changed)
        assert caught.value.code == code
    doc.unit("body").target = "  "  # type: ignore[union-attr]
    with pytest.raises(FileError) as caught:
        services.import_file(db_session, world.translator, world.page, "ar", "standard", doc)
    assert caught.value.code == "empty_target" and caught.value.params["unit"] == "body"
