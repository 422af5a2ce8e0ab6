"""Dump every judgement on the labelled corpus, to diff before and after a speed change.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/judgements.py OUT.txt

Writes one line per act (transcript, turn, name, source offsets, confidence to 4 places,
recogniser, evidence), per criterion status, per finding and per score to OUT.txt, and the acts
with their confidences in full (``repr``) to OUT.txt.raw. A change that is meant only to be
faster must leave both files byte for byte the same (``diff``).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import Checker  # noqa: E402
from checker.parse import read_file  # noqa: E402


def main(out_path: str) -> None:
    import yaml

    checker = Checker()
    labels = yaml.safe_load((ROOT / "corpora/labelled/labels.yml").read_text(encoding="utf-8"))
    with open(out_path, "w", encoding="utf-8") as out, open(out_path + ".raw", "w", encoding="utf-8") as raw:
        for name, entry in labels.items():
            report = checker.check(read_file(ROOT / "corpora/labelled" / name, agent=entry.get("agent")))
            for a in report.acts:
                print(name, "ACT", a.turn, a.name, a.start, a.end, f"{a.confidence:.4f}", a.source, a.evidence, file=out)
                print(name, "ACT", a.turn, a.name, a.start, a.end, repr(a.confidence), file=raw)
            for c in report.criteria:
                print(name, "CRIT", c.id, c.status, file=out)
            for f in report.findings:
                print(name, "FIND", f.rule_id, f.criterion, f.level, f.status, f.turn, f.start, f.end, f.positive, f.act,
                      f.message, file=out)
            print(name, "SCORE", round(report.score, 3), report.decision, file=out)
    checker.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "judgements.txt")
