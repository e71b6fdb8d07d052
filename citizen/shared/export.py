"""Streaming export writers: CSV (UTF-8 with a byte-order mark), XLSX and JSON Lines.

Every writer takes the columns (with their data dictionary) and an *iterator* of rows, and
writes straight to a file on disk, so memory stays flat however many rows there are. Text
cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) are neutralised by a leading apostrophe, in every format, so a file
opened in Excel or LibreOffice — or a JSON file turned into a spreadsheet later — can never run
a formula a respondent typed. The data dictionary says so.

No Flask and no database here: the feature packages turn their rows into plain values.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
XLSX_MAX_ROWS = 1_048_576  # Excel's limit per sheet, header included
XLSX_MAX_CELL = 32_767  # Excel's limit on the characters in one cell
FORMATS = ("csv", "xlsx", "jsonl")
CSV_CHUNK = 500  # rows handed to csv.writer.writerows at a time

Cell = str | int | float | bool | date | datetime | None


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export and its entry in the data dictionary."""

    key: str
    label: str
    description: str = ""
    kind: str = "text"  # text, number, date-time, code, list
    values: str = ""  # allowed values, when there is a fixed list


DICTIONARY_HEADER = ("column", "label", "type", "description", "values")


def dictionary_rows(columns: Sequence[ExportColumn]) -> Iterator[tuple[str, str, str, str, str]]:
    for column in columns:
        yield column.key, column.label, column.kind, column.description, column.values


def neutralise(value: str) -> str:
    """``value`` made safe for a spreadsheet: a leading apostrophe when it starts like a
    formula. Anything else is returned unchanged."""
    if value and value.startswith(FORMULA_PREFIXES):
        return NEUTRALISER + value
    return value


def plain(value: Any) -> Cell:
    """A cell value for a text format: strings neutralised, dates in ISO 8601, lists joined."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return neutralise("; ".join(str(v) for v in value))
    return neutralise(str(value))


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return NEUTRALISER + value if value and value.startswith(FORMULA_PREFIXES) else value
    if isinstance(value, bool):
        return "true" if value else "false"
    return plain(value)


# A field that starts like a formula, in the csv module's output: a formula character right
# after a comma or a line break, or after the quote that opens a quoted field. A carriage return
# is always quoted by the csv module, so only its quoted form counts (an unquoted one ends the
# record). A match inside a quoted field after a line break is harmless: it only sends the
# chunk down the careful path. The pattern starts at the formula character (rare) and looks
# back, which is several times faster than starting at the (frequent) commas.
_FORMULA_FIELD = re.compile(r'[=+@\t-](?<=[,\n][=+@\t-])|[=+@\t\r-](?<=[,\n]"[=+@\t\r-])')


def _may_hold_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES) or text.startswith('"') or (
        _FORMULA_FIELD.search(text) is not None)


_PLAIN_TYPES = frozenset({str, int, float, type(None)})
_DATED_TYPES = _PLAIN_TYPES | {datetime}


def _careful_csv_row(row: Sequence[Any]) -> list[Any]:
    return [_csv_cell(value) for value in row]


def _plain_rows(chunk: list[Sequence[Any]]) -> list[Sequence[Any]] | None:
    """``chunk`` with dates and times as ISO 8601 text (as :func:`_csv_cell` writes them), or
    ``None`` when a cell is of another kind (the chunk then goes cell by cell)."""
    out: list[Sequence[Any]] = []
    for row in chunk:
        kinds = set(map(type, row))
        if kinds <= _PLAIN_TYPES:
            out.append(row)
        elif kinds <= _DATED_TYPES:
            out.append([v.isoformat() if type(v) is datetime else v for v in row])
        else:
            return None
    return out


def _taken(buffer: io.StringIO) -> str:
    """What ``buffer`` holds, leaving it empty."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def write_csv(path: Path, columns: Sequence[ExportColumn], rows: Iterable[Sequence[Any]],
              header: Sequence[str] | None = None, neutralised: bool = False) -> int:
    """Write ``rows`` under a header of column keys to ``path`` as UTF-8 CSV with a byte-order
    mark (so Excel reads the accents and scripts right); return the number of data rows.

    Rows are written CSV_CHUNK at a time, through a string buffer (one file write per chunk).
    A chunk whose cells are all strings, numbers, dates and times or empty is written by the
    csv module as it is, then the text is checked for any field that starts like a formula;
    only a chunk with such a field (or with other kinds of cell) is written again cell by cell,
    neutralising each. The result is the same either way; the check just spares a Python call
    per cell in the usual case. ``neutralised``: the caller guarantees every cell is a string
    that went through :func:`neutralise`, a number or empty, so chunks go to the csv module as
    they are, unchecked (the consultation export stores its cells that way when each response
    is submitted)."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="", buffering=1 << 16) as handle:
        csv.writer(handle).writerow([_csv_cell(h) for h in (header or [c.key for c in columns])])
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        remaining = iter(rows)
        while chunk := list(islice(remaining, CSV_CHUNK)):
            count += len(chunk)
            plain_rows = chunk if neutralised else _plain_rows(chunk)
            if plain_rows is not None:
                writer.writerows(plain_rows)
                text = _taken(buffer)
                if neutralised or not _may_hold_formula(text):
                    handle.write(text)
                    continue
            writer.writerows(_careful_csv_row(row) for row in chunk)
            handle.write(_taken(buffer))
    return count


def write_dictionary_csv(path: Path, columns: Sequence[ExportColumn]) -> None:
    """The data dictionary as its own CSV file."""
    write_csv(path, (), dictionary_rows(columns), header=DICTIONARY_HEADER)


def write_xlsx(path: Path, columns: Sequence[ExportColumn], rows: Iterable[Sequence[Any]],
               sheet_name: str = "Data", dictionary_sheet: str = "Data dictionary",
               max_rows: int = XLSX_MAX_ROWS) -> int:
    """Write ``rows`` to an Excel workbook with a data dictionary sheet, in XlsxWriter's
    constant-memory mode (each row goes to disk as soon as it is written). Past Excel's row
    limit the data carries on in a new sheet (``Data (2)``, …) with the header repeated."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "yyyy-mm-dd hh:mm",
        "remove_timezone": True,
        "tmpdir": str(path.parent),
    })
    try:
        bold = workbook.add_format({"bold": True})
        keys = [c.key for c in columns]
        sheets = 1
        sheet = workbook.add_worksheet(sheet_name)
        dictionary = workbook.add_worksheet(dictionary_sheet)
        for col, text in enumerate(DICTIONARY_HEADER):
            dictionary.write_string(0, col, text, bold)
        for r, entry in enumerate(dictionary_rows(columns), start=1):
            for col, text in enumerate(entry):
                dictionary.write_string(r, col, _xlsx_text(text))
        dictionary.set_column(0, 0, 24)
        dictionary.set_column(1, 1, 36)
        dictionary.set_column(3, 3, 80)

        def start(current: Any) -> None:
            for col, key in enumerate(keys):
                current.write_string(0, col, key, bold)
            current.freeze_panes(1, 0)

        start(sheet)
        row_index = 0
        count = 0
        for row in rows:
            row_index += 1
            if row_index >= max_rows:
                sheets += 1
                sheet = workbook.add_worksheet(f"{sheet_name} ({sheets})")
                start(sheet)
                row_index = 1
            for col, value in enumerate(row):
                _write_xlsx_cell(sheet, row_index, col, value)
            count += 1
        # The dictionary sheet comes after the data, but open the workbook on the data.
        workbook.worksheets()[0].activate()
    finally:
        workbook.close()
    return count


def _xlsx_text(value: str) -> str:
    value = neutralise(value)
    if len(value) > XLSX_MAX_CELL:
        marker = " [cut: longer than a spreadsheet cell can hold]"
        value = value[: XLSX_MAX_CELL - len(marker)] + marker
    return value


def _write_xlsx_cell(sheet: Any, row: int, col: int, value: Any) -> None:
    if value is None:
        return
    if type(value) is str:
        sheet.write_string(row, col, _xlsx_text(value))
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day))
    elif isinstance(value, list | tuple):
        sheet.write_string(row, col, _xlsx_text("; ".join(str(v) for v in value)))
    else:
        sheet.write_string(row, col, _xlsx_text(str(value)))


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return neutralise(str(value))


def write_jsonl(handle: io.TextIOBase | Any, columns: Sequence[ExportColumn],
                rows: Iterable[Sequence[Any]], neutralised: bool = False) -> int:
    """Write one JSON object per row (keys are the column keys) to a text ``handle``
    (``neutralised``: as for :func:`write_csv`)."""
    keys = [c.key for c in columns]
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    count = 0
    # No prefix can match the empty tuple's startswith: strings pass as they are.
    prefixes = () if neutralised else FORMULA_PREFIXES
    for row in rows:
        # The usual types inline (as in write_csv); anything else through _json_value.
        handle.write(dumps({
            k: v if (kind := type(v)) is int or v is None or kind is float
            else (NEUTRALISER + v if v.startswith(prefixes) else v) if kind is str
            else _json_value(v)
            for k, v in zip(keys, row, strict=True)
        }))
        handle.write("\n")
        count += 1
    return count


def dictionary_json(columns: Sequence[ExportColumn]) -> str:
    return json.dumps(
        {"columns": [dict(zip(DICTIONARY_HEADER, entry, strict=True)) for entry in dictionary_rows(columns)],
         "note": "Text starting with = + - @, a tab or a carriage return has a leading apostrophe "
                 "added, so that spreadsheets never run it as a formula."},
        ensure_ascii=False, indent=2,
    )


def write_jsonl_zip(path: Path, columns: Sequence[ExportColumn], rows: Iterable[Sequence[Any]],
                    data_name: str = "data.jsonl", dictionary_name: str = "data_dictionary.json",
                    extra_files: Sequence[tuple[str, Path]] = (), neutralised: bool = False) -> int:
    """A zip holding the rows as JSON Lines (streamed into the archive) and the data
    dictionary as a JSON file, plus any ``extra_files`` (name in the zip, file on disk)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(dictionary_name, dictionary_json(columns))
        with archive.open(data_name, "w", force_zip64=True) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False)
            count = write_jsonl(text, columns, rows, neutralised)
            text.flush()
            text.detach()
        for name, extra in extra_files:
            archive.write(extra, name)
    return count


def write(fmt: str, path: Path, columns: Sequence[ExportColumn],
          rows: Iterable[Sequence[Any]], neutralised: bool = False) -> int:
    """Write ``rows`` in ``fmt`` (csv, xlsx or jsonl, the last as a zip with its dictionary);
    ``neutralised``: every string cell is neutralised already (see :func:`write_csv`)."""
    if fmt == "csv":
        return write_csv(path, columns, rows, neutralised=neutralised)
    if fmt == "xlsx":
        return write_xlsx(path, columns, rows)
    if fmt == "jsonl":
        return write_jsonl_zip(path, columns, rows, neutralised=neutralised)
    raise ValueError(f"unknown export format {fmt!r}")
