"""Benchmark the selection engine on the shared sortition instances (not a test).

Usage: python bench/selection.py [--data DIR] [--methods leximin,maximin,legacy] [--only NAME]
Every instance runs in a fresh process so wall time and peak memory are per instance.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/bench/sortition"
TARGETS = {"example_small_20": 0.1000, "sortition_algorithms_fixture_22": 0.0909,
           "synth_mass_24": 0.2222, "synth_hd_30": 0.0526, "synth_sf_a_35": 0.0868,
           "synth_nexus_170": 0.0570}


def files(folder: Path) -> tuple[Path, Path] | None:
    for q, r in (("categories.csv", "respondents.csv"), ("features.csv", "candidates.csv")):
        if (folder / q).exists() and (folder / r).exists():
            return folder / q, folder / r
    return None


def run_one(folder: Path, method: str) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    from citizen.selection import load_problem, select

    found = files(folder)
    assert found is not None
    k = int(folder.name.rsplit("_", 1)[1])
    start = time.perf_counter()
    cpu_start = time.process_time()
    problem = load_problem(found[0], found[1], k)
    result = select(problem, method, seed=2021, legacy_draws=1000)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return {"instance": folder.name, "n": len(problem.people), "k": k,
            "categories": len(problem.categories), "method": method, "wall": wall, "cpu": cpu,
            "minimum": result.fairness.minimum, "gini": result.fairness.gini,
            "panels": len(result.lottery) if method != "legacy" else None,
            "types": result.stats.get("types"), "levels": result.stats.get("levels"),
            "algorithm": result.stats.get("algorithm"),
            "profile": sorted(result.probabilities.values()),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path,
                    default=Path(os.environ.get("SORTITION_BENCH_DIR", DEFAULT_DATA)))
    ap.add_argument("--methods", default="leximin")
    ap.add_argument("--only", default=None, help="substring of instance names to run")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--one", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--method", default="leximin", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:
        print(json.dumps(run_one(args.one, args.method)))
        return 0
    folders = sorted(p for sub in ("instances", "synthetic") for p in (args.data / sub).glob("*")
                     if p.is_dir() and files(p) is not None)
    if args.only:
        folders = [f for f in folders if args.only in f.name]
    header = (f"{'instance':34} {'n':>5} {'k':>4} {'cat':>3} {'method':8} {'wall s':>8} {'cpu s':>7} "
              f"{'min prob':>9} {'target':>7} {'panels':>6} {'types':>5} {'MB':>6}  algorithm")
    print(header)
    print("-" * len(header))
    for folder in folders:
        for method in args.methods.split(","):
            try:
                proc = subprocess.run([sys.executable, __file__, "--one", str(folder),
                                       "--method", method], capture_output=True, text=True,
                                      timeout=args.timeout, check=False)
            except subprocess.TimeoutExpired:
                print(f"{folder.name:34} {'':>5} {'':>4} {'':>3} {method:8} "
                      f"{'>' + str(int(args.timeout)):>8}  timed out")
                continue
            if proc.returncode != 0:
                last = proc.stderr.strip().splitlines()[-1:] or ["?"]
                print(f"{folder.name:34} {method:8} failed: {last[0]}")
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            target = TARGETS.get(str(r["instance"]))
            print(f"{r['instance']:34} {r['n']:>5} {r['k']:>4} {r['categories']:>3} "
                  f"{method:8} {r['wall']:>8.2f} {r['cpu']:>7.2f} {r['minimum']:>9.4f} "
                  f"{'' if target is None or method != 'leximin' else f'{target:.4f}':>7} "
                  f"{'' if r['panels'] is None else r['panels']:>6} {r['types']:>5} "
                  f"{r['rss_mb']:>6.0f}  {r.get('algorithm') or ''}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
