"""A small reader for the workbooks XlsxWriter makes (no openpyxl in the project)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
Cell = str | float | bool | None


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _column_index(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref)
    assert letters
    index = 0
    for char in letters.group(0):
        index = index * 26 + ord(char) - 64
    return index - 1


class Workbook:
    """Sheet names in order, each sheet's rows as lists of values, and whether any formula."""

    def __init__(self, path: Path) -> None:
        self.sheets: dict[str, list[list[Cell]]] = {}
        self.has_formula = False
        with zipfile.ZipFile(path) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
            shared: list[str] = []
            if "xl/sharedStrings.xml" in archive.namelist():
                strings = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
                shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
                          for si in strings.findall("m:si", NS)]
            for sheet in workbook.find("m:sheets", NS) or []:
                target = targets[sheet.get(f"{{{NS['r']}}}id")]
                xml = ElementTree.fromstring(archive.read("xl/" + str(target)))
                self.sheets[str(sheet.get("name"))] = self._rows(xml, shared)

    def _rows(self, xml: ElementTree.Element, shared: list[str]) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        for row in xml.iter(f"{{{NS['m']}}}row"):
            values: list[Cell] = []
            for cell in row.findall("m:c", NS):
                if cell.find("m:f", NS) is not None:
                    self.has_formula = True
                index = _column_index(str(cell.get("r")))
                values.extend([None] * (index - len(values)))
                kind = cell.get("t")
                value: Cell
                if kind == "inlineStr":
                    value = _unescape("".join(t.text or "" for t in cell.iter(f"{{{NS['m']}}}t")))
                elif kind == "s":
                    value = _unescape(shared[int(cell.findtext("m:v", "0", NS))])
                elif kind == "b":
                    value = cell.findtext("m:v", "", NS) == "1"
                else:
                    raw = cell.findtext("m:v", None, NS)
                    value = None if raw is None else float(raw)
                values.append(value)
            rows.append(values)
        return rows

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)
