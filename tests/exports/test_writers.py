"""The shared streaming writers: formula injection, encodings, dictionaries, constant memory."""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citizen.shared.export import (
    ExportColumn,
    neutralise,
    write_csv,
    write_dictionary_csv,
    write_jsonl_zip,
    write_xlsx,
)
from tests.exports.xlsx_reader import Workbook

COLUMNS = (
    ExportColumn("respondent", "Respondent", "A code for the respondent", "code"),
    ExportColumn("q1", "What did you think?", "Free text, redacted", "text"),
    ExportColumn("n", "A number", "", "number"),
)
DANGEROUS = ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR",
             "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_neutralise_prefixes_formula_starters(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["hello", "", "1+1", "a=b", "Café ☕", "'quoted"])
def test_neutralise_leaves_ordinary_text(value: str) -> None:
    assert neutralise(value) == value


def rows_with_danger() -> Iterator[tuple[str, str, int]]:
    for i, value in enumerate(DANGEROUS):
        yield f"R{i}", value, -i


def test_csv_has_bom_and_no_formula_cells(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    count = write_csv(path, COLUMNS, rows_with_danger())
    assert count == len(DANGEROUS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["respondent", "q1", "n"]
    for row in rows[1:]:
        assert not row[1].startswith(("=", "+", "-", "@", "\t", "\r")), row
        assert row[1].startswith("'")
    # Numbers stay numbers (a negative number is not text that a spreadsheet could run).
    assert rows[2][2] == "-1"


def test_csv_keeps_non_latin_text(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_csv(path, COLUMNS, iter([("R1", "خدمات بهتر — żółć — ਸਿਹਤ", 1)]))
    assert "خدمات بهتر — żółć — ਸਿਹਤ" in path.read_text(encoding="utf-8-sig")


def test_dictionary_csv(tmp_path: Path) -> None:
    path = tmp_path / "dictionary.csv"
    write_dictionary_csv(path, COLUMNS)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["column", "label", "type", "description", "values"]
    assert [r[0] for r in rows[1:]] == ["respondent", "q1", "n"]


def test_xlsx_has_dictionary_sheet_and_only_text_cells(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_xlsx(path, COLUMNS, rows_with_danger())
    workbook = Workbook(path)
    assert workbook.sheetnames == ["Data", "Data dictionary"]
    data = workbook.sheets["Data"]
    assert data[0] == ["respondent", "q1", "n"]
    assert [row[1] for row in data[1:]] == ["'" + value for value in DANGEROUS]
    assert data[2][2] == -1
    assert not workbook.has_formula
    dictionary = workbook.sheets["Data dictionary"]
    assert dictionary[1][:2] == ["respondent", "Respondent"]


def test_xlsx_continues_on_a_new_sheet_past_the_row_limit(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    rows = ((f"R{i}", "x", i) for i in range(25))
    assert write_xlsx(path, COLUMNS, rows, max_rows=11) == 25
    workbook = Workbook(path)
    assert workbook.sheetnames == ["Data", "Data dictionary", "Data (2)", "Data (3)"]
    data = [workbook.sheets[n] for n in ("Data", "Data (2)", "Data (3)")]
    assert all(sheet[0] == ["respondent", "q1", "n"] for sheet in data)
    assert [row[2] for sheet in data for row in sheet[1:]] == list(range(25))


def test_xlsx_dates_and_long_text(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    when = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    write_xlsx(path, COLUMNS, iter([("R1", "x" * 40_000, when)]))
    row = Workbook(path).sheets["Data"][1]
    assert isinstance(row[1], str) and len(row[1]) == 32_767 and row[1].endswith("]")
    # Excel's serial date: days since 1899-12-30, the time as a fraction of a day.
    assert row[2] == pytest.approx(46143 + 9.5 / 24)


def test_jsonl_zip_has_data_and_dictionary(tmp_path: Path) -> None:
    path = tmp_path / "out.zip"
    extra = tmp_path / "equality.csv"
    extra.write_text("a,b\n", encoding="utf-8")
    count = write_jsonl_zip(path, COLUMNS, rows_with_danger(), extra_files=[("equality.csv", extra)])
    assert count == len(DANGEROUS)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["data.jsonl", "data_dictionary.json", "equality.csv"]
        lines = archive.read("data.jsonl").decode("utf-8").splitlines()
        dictionary = json.loads(archive.read("data_dictionary.json"))
    records = [json.loads(line) for line in lines]
    assert records[0] == {"respondent": "R0", "q1": "'" + DANGEROUS[0], "n": 0}
    assert all(r["q1"].startswith("'") for r in records)
    assert [c["column"] for c in dictionary["columns"]] == ["respondent", "q1", "n"]


def test_writers_consume_an_iterator_lazily(tmp_path: Path) -> None:
    """The writers pull rows one at a time: they never need a list."""
    pulled: list[int] = []

    def rows() -> Iterator[tuple[str, str, int]]:
        for i in range(1000):
            pulled.append(i)
            yield f"R{i}", "text", i

    for writer, name in ((write_csv, "a.csv"), (write_xlsx, "a.xlsx"), (write_jsonl_zip, "a.zip")):
        pulled.clear()
        assert writer(tmp_path / name, COLUMNS, rows()) == 1000  # type: ignore[operator]
        assert len(pulled) == 1000


# ---------------------------------------------------------------- the CSV writer's fast path

_CELL_TEXT = st.text(alphabet=st.sampled_from(list("ab ,\"'=+-@\t\r\n;:1é")), max_size=8)
_CELLS = st.one_of(st.none(), st.integers(-50, 50), st.floats(allow_nan=False, allow_infinity=False),
                   _CELL_TEXT, st.booleans(),
                   st.datetimes(timezones=st.just(UTC)),
                   st.lists(_CELL_TEXT, max_size=3))


def _raw_text(path: Path) -> str:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return handle.read()


def _careful_csv(rows: list[list[object]]) -> str:
    """What write_csv must write: every cell through the one-cell converter."""
    import io

    from citizen.shared.export import _csv_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["a", "b", "c"])
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_CELLS, min_size=3, max_size=3), max_size=1200))
def test_csv_fast_path_writes_exactly_what_the_careful_path_does(tmp_path: Path,
                                                                 rows: list[list[object]]) -> None:
    """Chunks of plain cells skip the per-cell conversion; whatever the cells, the file is the
    same as converting every cell (so every formula starter is still neutralised)."""
    path = tmp_path / "fast.csv"
    columns = [ExportColumn(k, k) for k in ("a", "b", "c")]
    assert write_csv(path, columns, rows) == len(rows)
    assert _raw_text(path) == _careful_csv(rows)


def test_csv_chunks_mixing_safe_and_dangerous_rows(tmp_path: Path) -> None:
    """A formula starter anywhere in a chunk of 500, in any position of a field's start."""
    columns = [ExportColumn(k, k) for k in ("a", "b", "c")]
    for danger in [*DANGEROUS, 'x",=1', "line\n=2"]:
        rows: list[list[object]] = [["ok", i, "2026-01-01T00:00:00+00:00"] for i in range(1200)]
        rows[777][1] = danger
        path = tmp_path / "mixed.csv"
        write_csv(path, columns, rows)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            written = list(csv.reader(handle))
        assert written[778][1] == neutralise(danger)
        assert _raw_text(path) == _careful_csv(rows)


def test_neutralised_rows_are_written_as_they_are(tmp_path: Path) -> None:
    """A source that neutralised its strings already (the consultation export) skips the
    check; its output is the same as the checked one."""
    columns = [ExportColumn(k, k) for k in ("a", "b", "c")]
    rows: list[list[object]] = [[neutralise(v), i, None] for i, v in enumerate(DANGEROUS * 200)]
    checked, trusted = tmp_path / "checked.csv", tmp_path / "trusted.csv"
    write_csv(checked, columns, rows)
    write_csv(trusted, columns, rows, neutralised=True)
    assert checked.read_bytes() == trusted.read_bytes()
