"""Writing results: CSV files and a JSON report (deterministic bytes; timings kept apart)."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .engine import SelectionResult
from .model import SelectionProblem


def _r(x: float) -> float:
    return round(float(x), 10)


def report_dict(problem: SelectionProblem, result: SelectionResult, *,
                include_timings: bool = True) -> dict[str, Any]:
    """Everything about a run as plain data (timings optional, as they vary run to run)."""
    data: dict[str, Any] = {
        "method": result.method,
        "seed": result.seed,
        "panel_size": result.panel_size,
        "pool_size": len(problem.people),
        "categories": list(problem.categories),
        "panel": list(result.panel),
        "reserves": list(result.reserves),
        "fairness": {k: _r(v) for k, v in asdict(result.fairness).items()},
        "solver": result.solver,
        "lottery": [
            {"probability": _r(lp.probability),
             "groups": [{"values": list(result.types[t].values), "seats": s}
                        for t, s in lp.composition]}
            for lp in result.lottery],
        "drawn_lottery_panel": (None if result.drawn_lottery_panel is None
                                else result.drawn_lottery_panel + 1),
        "stats": {k: v for k, v in result.stats.items() if not k.endswith("_seconds")},
    }
    if result.legacy_draws is not None:
        data["legacy_draws"] = result.legacy_draws
        data["probabilities_note"] = (f"estimated from {result.legacy_draws} repeated draws")
    if result.transparent is not None:
        tl = result.transparent
        data["transparent"] = {
            "panels": tl.size, "max_deviation": _r(tl.max_deviation), "number": tl.number,
            "list": [list(p) for p in tl.panels]}
    if include_timings:
        data["timings"] = dict(result.timings)
        data["timings"].update({k: v for k, v in result.stats.items()
                                if k.endswith("_seconds")})
    return data


def write_outputs(problem: SelectionProblem, result: SelectionResult, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    people = {p.id: p for p in problem.people}
    cats = list(problem.categories)
    written: list[Path] = []

    def person_row(pid: str) -> list[str]:
        p = people[pid]
        return [p.value(c) for c in cats]

    path = out / "panel.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", *cats, "selection_probability"])
        for pid in result.panel:
            prob = result.probabilities.get(pid)
            w.writerow([pid, *person_row(pid), "" if prob is None else f"{prob:.10f}"])
    written.append(path)
    path = out / "reserves.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["rank", "id", *cats])
        for rank, pid in enumerate(result.reserves, start=1):
            w.writerow([rank, pid, *person_row(pid)])
    written.append(path)
    path = out / "probabilities.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", *cats, "selection_probability"])
        for p in problem.people:
            if p.id in result.probabilities:
                w.writerow([p.id, *person_row(p.id), f"{result.probabilities[p.id]:.10f}"])
    written.append(path)
    if result.transparent is not None:
        path = out / "transparent_panels.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["number", "ids"])
            for i, panel in enumerate(result.transparent.panels, start=1):
                w.writerow([i, " ".join(panel)])
        written.append(path)
    path = out / "report.json"
    path.write_text(json.dumps(report_dict(problem, result, include_timings=False), indent=2,
                               sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(path)
    path = out / "timings.json"
    timing = {**result.timings, **{k: v for k, v in result.stats.items()
                                   if k.endswith("_seconds")}}
    path.write_text(json.dumps(timing, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    written.append(path)
    return written
