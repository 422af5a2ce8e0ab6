"""Make a synthetic cohort from a corpus of transcripts: for demos, the tests and the benchmark.

    python -m checker.batch.sample corpora/labelled /tmp/cohort --count 1000

Writes ``DEST/learner_0001/00000_<name>`` … cycling through the corpus's transcripts, ``per_learner``
files per learner folder. Each copy is changed a little so that no two are duplicates, without
changing what is being judged: a JSON transcript gets a ``ticket`` field, an ``.eml`` an
``X-Ticket`` header, an email an ``[ref …]`` on its subject line, a chat a closing customer line
quoting a reference number.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

TRANSCRIPT_SUFFIXES = (".txt", ".json", ".eml")


def corpus_files(corpus: str | Path) -> list[Path]:
    """The corpus's transcripts, taking turns between kinds (chat .txt, chat .json, email .txt,
    .eml…) so that even a small cohort has some of each."""
    files = sorted(p for p in Path(corpus).rglob("*") if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES)
    if not files:
        raise ValueError(f"no .txt, .json or .eml transcripts under {corpus}")
    groups: dict[tuple[str, str], list[Path]] = {}
    for path in files:
        groups.setdefault((path.parent.name, path.suffix.lower()), []).append(path)
    ordered: list[Path] = []
    queues = [list(g) for _, g in sorted(groups.items())]
    while any(queues):
        for queue in queues:
            if queue:
                ordered.append(queue.pop(0))
    return ordered


def vary(data: bytes, suffix: str, n: int) -> bytes:
    """A copy of a transcript that differs from every other copy, judged the same way."""
    ref = f"T{n:06d}"
    if suffix == ".json":
        obj = json.loads(data.decode("utf-8"))
        obj["ticket"] = ref
        return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if suffix == ".eml":
        return data.replace(b"\n", f"\nX-Ticket: {ref}\n".encode(), 1)
    text = data.decode("utf-8")
    subject = re.search(r"^Subject:.*$", text, re.MULTILINE)
    if subject:
        return (text[: subject.end()] + f" [ref {ref}]" + text[subject.end():]).encode("utf-8")
    return (text.rstrip("\n") + f"\nCustomer: Thanks again, my reference is {ref}.\n").encode("utf-8")


def make_cohort(corpus: str | Path, dest: str | Path, count: int, per_learner: int = 20, start: int = 0) -> list[Path]:
    """Write ``count`` transcripts under ``dest``; return their paths in the order written."""
    sources = corpus_files(corpus)
    contents = [(p, p.read_bytes()) for p in sources]
    dest = Path(dest)
    written = []
    for n in range(start, start + count):
        src, data = contents[n % len(contents)]
        folder = dest / f"learner_{n // per_learner + 1:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{n:05d}_{src.name}"
        target.write_bytes(vary(data, src.suffix.lower(), n))
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("dest")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--per-learner", type=int, default=20)
    args = parser.parse_args(argv)
    files = make_cohort(args.corpus, args.dest, args.count, args.per_learner)
    print(f"wrote {len(files)} transcripts under {args.dest}")


if __name__ == "__main__":  # pragma: no cover
    main()
