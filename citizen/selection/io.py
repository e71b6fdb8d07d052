"""Reading the two quota/pool CSV layouts and writing results.

Layout A (Nature paper replication): ``category,feature,min,max`` and a respondents file with
one column per category (no identifier column; people are numbered by row).
Layout B (sortition-algorithms): ``feature,value,min,max[,min_flex,max_flex]`` and a
candidates file with an identifier column (``id``, ``nationbuilder_id`` or the first column).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError
from .model import Person, Quota, SelectionProblem

ID_COLUMNS = ("id", "nationbuilder_id", "person_id", "identifier")


@dataclass(frozen=True)
class QuotaFile:
    quotas: tuple[Quota, ...]
    layout: str


def _read_rows(path: Path) -> list[list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise DataError("file_not_found", f"{path}: file not found.", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise DataError("bad_encoding", f"{path}: not a UTF-8 text file ({exc.reason}).",
                        file=str(path)) from None
    except csv.Error as exc:
        raise DataError("bad_csv", f"{path}: not a valid CSV file ({exc}).",
                        file=str(path)) from None
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise DataError("empty_file", f"{path}: the file is empty.", file=str(path))
    return rows


def _int(path: Path, line: int, column: str, text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        try:
            f = float(text.strip())
        except ValueError:
            f = float("nan")
        if f == f and f.is_integer():
            return int(f)
        raise DataError("bad_number",
                        f"{path}, line {line}, column {column!r}: expected a whole number, "
                        f"found {text!r}.", file=str(path), line=line, column=column,
                        text=text) from None


def read_quotas(path: Path) -> QuotaFile:
    rows = _read_rows(path)
    header = [h.strip().lower() for h in rows[0]]
    if header[:4] == ["category", "feature", "min", "max"]:
        layout = "categories"
    elif header[:4] == ["feature", "value", "min", "max"]:
        layout = "features"
    else:
        raise DataError(
            "bad_header",
            f"{path}, line 1: expected the columns 'category,feature,min,max' or "
            f"'feature,value,min,max[,min_flex,max_flex]', found {','.join(rows[0])!r}.",
            file=str(path), line=1, found=",".join(rows[0]))
    names = [h.strip() for h in rows[0]]
    quotas: list[Quota] = []
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise DataError("wrong_field_count",
                            f"{path}, line {i}: expected {len(header)} fields, found {len(row)}.",
                            file=str(path), line=i, expected=len(header), found=len(row))
        cat, val = row[0].strip(), row[1].strip()
        for col, text in ((names[0], cat), (names[1], val)):
            if not text:
                raise DataError("empty_field", f"{path}, line {i}, column {col!r}: empty value.",
                                file=str(path), line=i, column=col)
        lo = _int(path, i, names[2], row[2])
        hi = _int(path, i, names[3], row[3])
        if lo < 0 or hi < lo:
            raise DataError(
                "bad_quota_bounds",
                f"{path}, line {i}: the quota for {cat} = {val} has min {lo} and max {hi}; "
                "need 0 <= min <= max.", file=str(path), line=i, category=cat, value=val,
                min=lo, max=hi)
        if (cat, val) in seen:
            raise DataError("duplicate_quota",
                            f"{path}, line {i}: the quota for {cat} = {val} was already given "
                            f"on line {seen[(cat, val)]}.", file=str(path), line=i,
                            first_line=seen[(cat, val)], category=cat, value=val)
        seen[(cat, val)] = i
        quotas.append(Quota(cat, val, lo, hi))
    if not quotas:
        raise DataError("no_quotas", f"{path}: no quotas found.", file=str(path))
    return QuotaFile(tuple(quotas), layout)


def read_people(path: Path, quotas: tuple[Quota, ...], *, households: str | None = None,
                id_column: str | None = None) -> tuple[Person, ...]:
    rows = _read_rows(path)
    names = [h.strip() for h in rows[0]]
    lower = [h.lower() for h in names]
    cats = sorted({q.category for q in quotas})
    values: dict[str, set[str]] = {}
    for q in quotas:
        values.setdefault(q.category, set()).add(q.value)
    col_of: dict[str, int] = {}
    for c in cats:
        if c in names:
            col_of[c] = names.index(c)
        elif c.lower() in lower:
            col_of[c] = lower.index(c.lower())
        else:
            raise DataError("missing_column",
                            f"{path}, line 1: no column for category {c!r}.",
                            file=str(path), line=1, column=c)
    id_col: int | None = None
    if id_column is not None:
        if id_column not in names:
            raise DataError("missing_column", f"{path}, line 1: no identifier column "
                            f"{id_column!r}.", file=str(path), line=1, column=id_column)
        id_col = names.index(id_column)
    else:
        for cand in ID_COLUMNS:
            if cand in lower:
                id_col = lower.index(cand)
                break
    hh_col: int | None = None
    if households is not None:
        if households not in names:
            raise DataError("missing_column", f"{path}, line 1: no household column "
                            f"{households!r}.", file=str(path), line=1, column=households)
        hh_col = names.index(households)
    people: list[Person] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            raise DataError("wrong_field_count",
                            f"{path}, line {i}: expected {len(names)} fields, found {len(row)}.",
                            file=str(path), line=i, expected=len(names), found=len(row))
        if id_col is not None:
            pid = row[id_col].strip()
            if not pid:
                raise DataError("empty_field",
                                f"{path}, line {i}, column {names[id_col]!r}: empty identifier.",
                                file=str(path), line=i, column=names[id_col])
        else:
            pid = str(i - 1)
        if pid in seen:
            raise DataError("duplicate_id",
                            f"{path}, line {i}: the identifier {pid!r} was already used on "
                            f"line {seen[pid]}.", file=str(path), line=i, id=pid,
                            first_line=seen[pid])
        seen[pid] = i
        feats: dict[str, str] = {}
        for c in cats:
            v = row[col_of[c]].strip()
            if v not in values[c]:
                raise DataError(
                    "unknown_value",
                    f"{path}, line {i}, column {names[col_of[c]]!r}: the value {v!r} is not "
                    f"one of the values with a quota ({', '.join(sorted(values[c]))}).",
                    file=str(path), line=i, column=names[col_of[c]], value=v,
                    allowed=sorted(values[c]))
            feats[c] = v
        hh = None
        if hh_col is not None:
            hh = row[hh_col].strip() or None
        people.append(Person.of(pid, feats, hh))
    if not people:
        raise DataError("no_people", f"{path}: no people found.", file=str(path))
    return tuple(people)


def load_problem(categories: Path, respondents: Path, panel_size: int, *,
                 households: str | None = None, id_column: str | None = None
                 ) -> SelectionProblem:
    qf = read_quotas(categories)
    people = read_people(respondents, qf.quotas, households=households, id_column=id_column)
    return SelectionProblem(people, qf.quotas, panel_size, use_households=households is not None)
