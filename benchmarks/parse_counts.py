"""How well transcripts are read: message counts against the labels, without being told the agent.

    .venv/bin/python benchmarks/parse_counts.py [CORPUS]     (default ../shared/devset, else corpora/labelled)

For every entry of CORPUS/labels.yml with ``agent_turns`` and ``customer_turns``, the transcript is
parsed with no ``--agent`` and the channel detected, and the learner's and customer's message counts
are compared with the labels (a colleague who spoke before a transfer is not the learner). Prints the figure and each mismatch; ``replycheck eval`` prints the
same line. Needs no spaCy model, so it runs in a second.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.evaluation import check_message_counts, load_labels  # noqa: E402


def main() -> None:
    default = ROOT.parent / "shared" / "devset"
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else (default if default.is_dir() else ROOT / "corpora/labelled")
    checks = check_message_counts(corpus, load_labels(corpus / "labels.yml"))
    for c in checks:
        if not c.matched:
            got = f"{c.got[0]} agent / {c.got[1]} customer" if c.got else f"not read ({c.error})"
            print(f"mismatch {c.file}: labelled {c.expected[0]} agent / {c.expected[1]} customer, read {got}")
    read = sum(1 for c in checks if c.got is not None)
    print(f"{corpus}: read {read}/{len(checks)}; message counts match the labels without --agent: "
          f"{sum(c.matched for c in checks)}/{len(checks)}")


if __name__ == "__main__":
    main()
