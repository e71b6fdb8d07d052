"""Precision and recall of the personal-data detector, per kind, on the labelled corpus.

    .venv/bin/python bench/pii_detection.py [--corpus tests/moderation/pii_corpus.jsonl] [--show]

A finding counts as right only when its kind and its exact characters match a label. The
corpus (made-up sentences, no real people) labels names only where they follow a title or
"my name is", as the detector is specified to find. Goals: recall >= 0.98 for e-mail, phone,
NHS number and postcode; precision >= 0.95.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citizen.moderation import pii  # noqa: E402

DEFAULT_CORPUS = ROOT / "tests" / "moderation" / "pii_corpus.jsonl"
RECALL_GOAL_KINDS = ("email", "phone", "nhs_number", "postcode")
RECALL_GOAL = 0.98
PRECISION_GOAL = 0.95


@dataclass
class Scores:
    true_positive: Counter[str] = field(default_factory=Counter)
    false_positive: Counter[str] = field(default_factory=Counter)
    false_negative: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    sentences: int = 0
    seconds: float = 0.0

    def precision(self, kind: str | None = None) -> float:
        tp = self._sum(self.true_positive, kind)
        fp = self._sum(self.false_positive, kind)
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, kind: str | None = None) -> float:
        tp = self._sum(self.true_positive, kind)
        fn = self._sum(self.false_negative, kind)
        return tp / (tp + fn) if tp + fn else 1.0

    @staticmethod
    def _sum(counter: Counter[str], kind: str | None) -> int:
        return counter[kind] if kind else sum(counter.values())


def load(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(rows: list[dict[str, object]]) -> Scores:
    scores = Scores()
    started = time.perf_counter()
    for row in rows:
        text = str(row["text"])
        expected = {(s["kind"], s["start"], s["end"]) for s in row["spans"]}  # type: ignore[attr-defined]
        found = {(f.kind, f.start, f.end) for f in pii.detect(text)}
        scores.sentences += 1
        for kind, _start, _end in found & expected:
            scores.true_positive[kind] += 1
        for kind, start, end in found - expected:
            scores.false_positive[kind] += 1
            scores.misses.append(f"false positive {kind}: {text[start:end]!r} in {text!r}")
        for kind, start, end in expected - found:
            scores.false_negative[kind] += 1
            scores.misses.append(f"missed {kind}: {text[start:end]!r} in {text!r}")
    scores.seconds = time.perf_counter() - started
    return scores


def report(scores: Scores) -> str:
    lines = [f"{'kind':<15}{'labels':>8}{'found':>8}{'right':>8}{'precision':>11}{'recall':>9}"]
    for kind in pii.KINDS:
        labels = scores.true_positive[kind] + scores.false_negative[kind]
        found = scores.true_positive[kind] + scores.false_positive[kind]
        lines.append(f"{kind:<15}{labels:>8}{found:>8}{scores.true_positive[kind]:>8}"
                     f"{scores.precision(kind):>11.3f}{scores.recall(kind):>9.3f}")
    lines.append(f"{'all':<15}{'':>8}{'':>8}{sum(scores.true_positive.values()):>8}"
                 f"{scores.precision():>11.3f}{scores.recall():>9.3f}")
    per_sentence = scores.seconds / max(1, scores.sentences) * 1e6
    lines.append(f"{scores.sentences} sentences in {scores.seconds * 1000:.1f} ms "
                 f"({per_sentence:.0f} µs a sentence)")
    return "\n".join(lines)


def goals_met(scores: Scores) -> list[str]:
    """The goals not met (empty when all are)."""
    failures = [f"recall of {kind} {scores.recall(kind):.3f} < {RECALL_GOAL}"
                for kind in RECALL_GOAL_KINDS if scores.recall(kind) < RECALL_GOAL]
    failures += [f"precision of {kind} {scores.precision(kind):.3f} < {PRECISION_GOAL}"
                 for kind in pii.KINDS if scores.precision(kind) < PRECISION_GOAL]
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", action="store_true", help="list every mistake")
    args = parser.parse_args(argv)
    scores = evaluate(load(args.corpus))
    print(report(scores))
    if args.show or scores.misses:
        print("\nMistakes:" if scores.misses else "\nNo mistakes.")
        for line in scores.misses:
            print("  " + line)
    failures = goals_met(scores)
    print("\nGoals met." if not failures else "\nGoals NOT met: " + "; ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    raise SystemExit(main())
