"""Command line: ``python -m citizen.selection select ...``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .engine import DEFAULT_LEGACY_DRAWS, METHODS, select
from .errors import InfeasibleQuotasError, SelectionError
from .io import load_problem
from .report import write_outputs


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m citizen.selection",
                                     description="Fair stratified selection of citizens' "
                                                 "assemblies (leximin).")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("select", help="select a panel")
    s.add_argument("--categories", required=True, type=Path,
                   help="quota file (category,feature,min,max or feature,value,min,max)")
    s.add_argument("--respondents", required=True, type=Path, help="pool file")
    s.add_argument("--panel-size", required=True, type=int)
    s.add_argument("--method", choices=METHODS, default="leximin")
    s.add_argument("--seed", type=int, default=None,
                   help="non-negative integer; a secret seed is drawn and recorded if omitted")
    s.add_argument("--households", default=None, metavar="COLUMN",
                   help="column naming each person's household (one person per household)")
    s.add_argument("--id-column", default=None, metavar="COLUMN")
    s.add_argument("--transparent", type=int, default=None, metavar="M",
                   help="round the lottery to M equally likely panels (for a public draw)")
    s.add_argument("--public-number", type=int, default=None, metavar="N",
                   help="with --transparent: the number (1..M) drawn in public")
    s.add_argument("--reserves", type=int, default=None,
                   help="number of reserves (default: the panel size)")
    s.add_argument("--legacy-draws", type=int, default=DEFAULT_LEGACY_DRAWS)
    s.add_argument("--out", required=True, type=Path, help="output directory")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.seed is not None and args.seed < 0:
            raise SelectionError("bad_seed", "The seed must be a non-negative integer.",
                                 seed=args.seed)
        problem = load_problem(args.categories, args.respondents, args.panel_size,
                               households=args.households, id_column=args.id_column)
        reserves = args.panel_size if args.reserves is None else args.reserves
        reserves = max(0, min(reserves, len(problem.people) - args.panel_size))
        result = select(problem, args.method, args.seed, transparent=args.transparent,
                        transparent_number=args.public_number, reserves=reserves,
                        legacy_draws=args.legacy_draws)
        write_outputs(problem, result, args.out)
    except InfeasibleQuotasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(json.dumps(exc.params["diagnosis"], indent=2), file=sys.stderr)
        return 3
    except SelectionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    f = result.fairness
    print(f"Selected {len(result.panel)} of {len(problem.people)} by {result.method} "
          f"(seed {result.seed}); smallest probability {f.minimum:.4f}, "
          f"Gini {f.gini:.4f}, geometric mean {f.geometric_mean:.4f}. "
          f"Output written to {args.out}.")
    return 0
