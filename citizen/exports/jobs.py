"""The export job: runs in an RQ worker (or inline without Redis) and writes the files.

Three short units of work: mark the job running; read and write (a read-only stream); record
the files. The files are written under a temporary name in the job's private folder and moved
into place only when complete.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import current_app

from citizen.db import unit_of_work, utcnow
from citizen.exports.models import ExportJob
from citizen.exports.services import folder_of, make_private_folder
from citizen.exports.sources import EQUALITY_COLUMNS, ExportSpec, equality_aggregate, source_for
from citizen.shared import export as writers

log = logging.getLogger("citizen.exports")


def _name(slug: str, token: str, what: str, extension: str) -> str:
    return f"{slug[:60]}-{what}-{token[:6]}.{extension}"


def run_export(export_id: int) -> int:
    """Build export ``export_id``; return the number of data rows. Never raises for a failed
    export: the job is marked failed (with no personal data in the message) instead."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with unit_of_work(app) as session:
        job = session.get(ExportJob, export_id)
        if job is None or job.status != "queued":
            return 0
        job.status = "running"
        job.started_at = utcnow()
        job.error = None
        token = job.token
    folder = make_private_folder(folder_of(job, app))
    written: list[Path] = []
    try:
        with unit_of_work(app) as session:
            job = session.get(ExportJob, export_id)
            assert job is not None
            files, rows = _write_files(session, job, folder, written)
    except Exception as exc:
        log.exception("export %s failed", export_id)
        for path in written:
            path.unlink(missing_ok=True)
        with unit_of_work(app) as session:
            job = session.get(ExportJob, export_id)
            if job is not None:
                job.status = "failed"
                job.error = type(exc).__name__[:300]
                job.finished_at = utcnow()
        return 0
    with unit_of_work(app) as session:
        job = session.get(ExportJob, export_id)
        if job is not None:
            job.status = "done"
            job.files = files
            job.row_count = rows
            job.finished_at = utcnow()
    log.info("export %s done: %s rows, %s files", token[:6], rows, len(files))
    return rows


def _write_files(session: Any, job: ExportJob, folder: Path,
                 written: list[Path]) -> tuple[list[dict[str, Any]], int]:
    source = source_for(session, job.source, job.consultation_id)
    spec = ExportSpec(columns=list(job.columns), layout=job.layout, date_from=job.date_from,
                      date_to=job.date_to, include_contact=job.include_contact,
                      consultation_id=job.consultation_id, key=secrets.token_bytes(32),
                      file_format=job.file_format)
    columns = source.columns(spec)
    files: list[dict[str, Any]] = []
    what = "responses" if job.source == "consultation" else "pledges"
    layout = f"{what}-{job.layout}"

    def place(temporary: Path, final: Path, kind: str) -> None:
        os.chmod(temporary, 0o600)
        temporary.replace(final)
        written.append(final)
        files.append({"name": final.name, "size": final.stat().st_size, "kind": kind})

    extension = {"csv": "csv", "xlsx": "xlsx", "jsonl": "zip"}[job.file_format]
    data_path = folder / _name(source.slug, job.token, layout, extension)
    temporary = data_path.with_name("." + data_path.name + ".part")
    written.append(temporary)
    rows = writers.write(job.file_format, temporary, columns, source.rows(spec),
                         neutralised=source.neutralised)
    place(temporary, data_path, "data")
    if job.file_format == "csv":
        dictionary = folder / _name(source.slug, job.token, "data-dictionary", "csv")
        temporary = dictionary.with_name("." + dictionary.name + ".part")
        written.append(temporary)
        writers.write_dictionary_csv(temporary, columns)
        place(temporary, dictionary, "dictionary")
    if job.include_equality and job.consultation_id is not None:
        equality = folder / _name(source.slug, job.token, "equality-monitoring-summary", "csv")
        temporary = equality.with_name("." + equality.name + ".part")
        written.append(temporary)
        aggregate = equality_aggregate(session, job.consultation_id, job.date_from, job.date_to)
        writers.write_csv(temporary, EQUALITY_COLUMNS, aggregate)
        place(temporary, equality, "equality")
    # Nothing written should stay readable by others, not even a temporary file.
    return files, rows
