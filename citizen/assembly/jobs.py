"""Background jobs of the assembly feature (run by RQ, or inline without Redis)."""

from __future__ import annotations

import logging

from flask import current_app

from citizen.db import unit_of_work

log = logging.getLogger("citizen.assembly")


def run_selection_job(run_id: int) -> str:
    """Run a queued selection or replacement; returns the run's final status."""
    from citizen.assembly.models import SelectionRun
    from citizen.assembly.services import execute_run

    try:
        with unit_of_work(current_app) as session:
            run = execute_run(session, run_id)
            return run.status
    except Exception:  # an unexpected failure must still show on the run's page
        log.exception("selection run %s failed", run_id)
        with unit_of_work(current_app) as session:
            row = session.get(SelectionRun, run_id)
            if row is not None:
                row.status = "failed"
                row.error = "unexpected error"
        return "failed"


def purge_job() -> dict[str, int]:
    """The scheduled form of ``flask purge-assembly-data``."""
    from citizen.assembly.services import purge

    with unit_of_work(current_app) as session:
        return purge(session)
