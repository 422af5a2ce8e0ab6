"""Train the act classifiers: ``python -m checker.acts.train [--corpus corpora/acts]``.

Deterministic: the same corpus, act files and encoder give the same ``classifier.npz``.

- The sentence corpus (``corpora/acts/*.jsonl``, see ``corpora/acts/ACTS.md``) is split by a
  hash of each sentence's text: about a quarter is **held out** and never trained on; the rest,
  plus every act file's examples (positive) and near-misses (negative), trains one
  L2-regularised logistic regression per act on the sentences of that act's speaker: each
  sentence's vector joined to its words and word pairs (those in at least two training
  sentences), so that both what it means and how it is put count.
- Each act's threshold is chosen by 4-fold cross-validation on the training part (best F1).
- ``--report`` prints each act's precision, recall and F1 on the held-out part, measured with
  the whole recogniser (gates, patterns, classifier, examples), which ``replycheck eval`` also
  prints.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .definitions import ActDefinition, load_definitions
from .meaning import CLASSIFIER_PATH, WordFeatures, data_hash, probabilities, word_features

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpora" / "acts"
HELD_OUT_SHARE = 0.25
L2 = 0.1
STEPS = 300
LEARNING_RATE = 0.05
FOLDS = 4
MIN_COUNT = 2  # a word or word pair joins the features when at least this many training sentences have it
MIN_PRECISION = 0.0  # 0.85 was tried: better held-out precision, worse transcript judgements


@dataclass(frozen=True)
class LabelledSentence:
    text: str
    speaker: str
    acts: frozenset[str]
    held_out: bool
    origin: str


def held_out(text: str) -> bool:
    digest = hashlib.sha256(text.strip().lower().encode("utf-8")).digest()
    return digest[0] < int(256 * HELD_OUT_SHARE)


def read_corpus(folder: Path = CORPUS_DIR, known: Iterable[str] | None = None) -> list[LabelledSentence]:
    known = set(known) if known is not None else None
    out: list[LabelledSentence] = []
    seen: set[tuple[str, str]] = set()
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, speaker, acts = row["text"].strip(), row["speaker"], frozenset(row.get("acts") or ())
            except (ValueError, KeyError, TypeError, AttributeError):
                raise SystemExit(f"{path.name}:{n}: not a sentence record (see corpora/acts/ACTS.md)") from None
            if speaker not in ("agent", "customer") or not text:
                raise SystemExit(f"{path.name}:{n}: speaker must be agent or customer, and text non-empty")
            if known is not None and not acts <= known:
                raise SystemExit(f"{path.name}:{n}: unknown act(s) {', '.join(sorted(acts - known))}")
            key = (speaker, text.lower())
            if key in seen:
                continue
            seen.add(key)
            out.append(LabelledSentence(text, speaker, acts, held_out(text), path.name))
    return out


def _fit(vectors: Any, words: WordFeatures, y: Any) -> tuple[Any, Any]:
    """Class-balanced L2 logistic regressions, one per column of ``y``, on each sentence's vector
    joined to its word features, fitted together by a fixed number of Adam steps from zero
    (deterministic). Returns (weights (acts, dims + vocabulary), bias (acts,))."""
    import numpy as np

    n, dims = vectors.shape
    positives = np.clip(y.sum(0), 1, None)
    negatives = np.clip(n - y.sum(0), 1, None)
    balance = np.where(y > 0, n / (2 * positives), n / (2 * negatives))
    w = np.zeros((dims + words.shape[1], y.shape[1]))
    b = np.zeros(y.shape[1])
    m, v = np.zeros_like(w), np.zeros_like(w)
    mb, vb = np.zeros_like(b), np.zeros_like(b)
    for step in range(1, STEPS + 1):
        logits = vectors @ w[:dims] + words.times(w[dims:]) + b
        error = balance * (1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30))) - y) / n
        grad = np.vstack([vectors.T @ error, words.transposed_times(error)]) + L2 * w / n
        grad_b = error.sum(0)
        for value, g, m_, v_ in ((w, grad, m, v), (b, grad_b, mb, vb)):
            m_ *= 0.9
            m_ += 0.1 * g
            v_ *= 0.999
            v_ += 0.001 * g * g
            value -= LEARNING_RATE * (m_ / (1 - 0.9 ** step)) / (np.sqrt(v_ / (1 - 0.999 ** step)) + 1e-8)
    return w.T, b


def _best_threshold(scores: Any, y: Any) -> float:
    import numpy as np

    # a false act costs more than a missed one (it can fail a learner who did nothing wrong):
    # the best F1 among thresholds whose precision reaches MIN_PRECISION, else the best F1
    candidates = []
    for t in np.arange(0.2, 0.96, 0.025):
        pred = scores >= t
        tp = float((pred & (y > 0)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y > 0)).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        precision = tp / (tp + fp) if tp + fp else 0.0
        candidates.append((precision >= MIN_PRECISION, f1, -float(t)))
    best = max(candidates)
    return -best[2]


def train(definitions: dict[str, ActDefinition], sentences: list[LabelledSentence], encoder: Any) -> dict[str, Any]:
    import numpy as np
    from collections import Counter

    rows: list[tuple[str, str, frozenset[str]]] = [(s.text, s.speaker, s.acts) for s in sentences if not s.held_out]
    for d in definitions.values():
        rows.extend((t, d.speaker, frozenset({d.name})) for t in d.examples)
        rows.extend((t, d.speaker, frozenset()) for t in d.near_misses)
    counts = Counter(w for r in rows for w in word_features(r[0]))
    vocabulary = sorted(w for w, c in counts.items() if c >= MIN_COUNT)
    columns = {w: i for i, w in enumerate(vocabulary)}
    texts = [r[0] for r in rows]
    vectors_all = encoder.embed(texts).astype(np.float64)
    words_all = WordFeatures.of(texts, columns)
    folds_all = np.array([int(hashlib.sha256(t.encode()).hexdigest(), 16) % FOLDS for t in texts])
    trained: dict[str, tuple[Any, float, float]] = {}
    for speaker in ("agent", "customer"):
        acts = [d.name for d in definitions.values() if d.speaker == speaker and d.examples and d.meaning]
        idx = np.array([i for i, r in enumerate(rows) if r[1] == speaker])
        if not acts or not len(idx):
            continue
        vectors, words, folds = vectors_all[idx], words_all.take(idx), folds_all[idx]
        y = np.array([[1.0 if a in rows[i][2] else 0.0 for a in acts] for i in idx])
        keep = [c for c in range(len(acts)) if 3 <= y[:, c].sum() < len(y)]
        acts, y = [acts[c] for c in keep], y[:, keep]
        # cross-validated scores choose each act's threshold
        scores = np.zeros_like(y)
        for f in range(FOLDS):
            part = np.flatnonzero(folds != f)
            rest = np.flatnonzero(folds == f)
            w, b = _fit(vectors[part], words.take(part), y[part])
            scores[rest] = probabilities(vectors[rest], words.take(rest), w, b)
        w, b = _fit(vectors, words, y)
        for c, name in enumerate(acts):
            trained[name] = (w[c], float(b[c]), _best_threshold(scores[:, c], y[:, c]))
    names = [n for n in definitions if n in trained]
    return {
        "acts": np.array(names),
        "weights": np.array([trained[n][0] for n in names], dtype=np.float32),
        "bias": np.array([trained[n][1] for n in names], dtype=np.float32),
        "thresholds": np.array([trained[n][2] for n in names], dtype=np.float32),
        "vocabulary": np.array(vocabulary),
        "model": np.array(encoder.model),
        "data_hash": np.array(data_hash(sorted(rows))),
    }


def evaluate_held_out(recogniser: Any, nlp: Any, sentences: list[LabelledSentence]) -> dict[str, dict[str, float]]:
    """Per act: precision, recall, F1 and support on the held-out sentences, with the whole
    recogniser (each sentence as a one-message turn of its speaker; position gates are not
    tested here, mood gates are). Only the acts the corpus labels are measured: an act no
    sentence carries (``placeholder``, found by patterns and not part of ``ACTS.md``) would
    count every hit as a false alarm."""
    from ..model import Conversation, Turn, AnalysedConversation, Proofreading, Readability

    test = [s for s in sentences if s.held_out]
    turns = tuple(Turn(i, s.speaker, s.speaker, s.text, 0, len(s.text)) for i, s in enumerate(test))
    docs = tuple(nlp.pipe([s.text for s in test]))
    conversation = Conversation("chat", turns, "")
    analysed = AnalysedConversation(conversation, docs, Proofreading("none", ()),
                                    Readability(0, 0, 0.0, 0, 0, None, None, 0), (), "")
    found: dict[int, set[str]] = {}
    definitions = recogniser.definitions
    acted = recogniser.recognise(analysed, gate_position=False)
    for act in acted.acts:
        found.setdefault(act.turn, set()).add(act.name)
    results: dict[str, dict[str, float]] = {}
    labelled = {name for s in sentences for name in s.acts}
    for name, d in sorted(definitions.items()):
        if name not in labelled:
            continue
        tp = fp = fn = 0
        for i, s in enumerate(test):
            if s.speaker != d.speaker:
                continue
            truth, pred = name in s.acts, name in found.get(i, set())
            tp += truth and pred
            fp += pred and not truth
            fn += truth and not pred
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        results[name] = {"precision": p, "recall": r, "f1": f1, "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}
    return results


def format_results(results: dict[str, dict[str, float]]) -> str:
    lines = [f"  {'act':30} {'support':>7} {'precision':>9} {'recall':>7} {'F1':>6}"]
    for name, r in results.items():
        if not r["support"] and not r["fp"]:
            continue
        lines.append(f"  {name:30} {r['support']:7d} {r['precision']:9.2f} {r['recall']:7.2f} {r['f1']:6.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import numpy as np

    from ..nlp import DEFAULT_MODEL, load_model
    from .encoder import load_encoder
    from .recognise import ActRecogniser

    parser = argparse.ArgumentParser(prog="python -m checker.acts.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--out", type=Path, default=CLASSIFIER_PATH)
    parser.add_argument("--report", action="store_true", help="only print held-out figures for the shipped classifier")
    args = parser.parse_args(argv)
    definitions = load_definitions()
    sentences = read_corpus(args.corpus, definitions)
    encoder, status = load_encoder()
    if encoder is None:
        print(f"cannot train: {status.reason}", file=sys.stderr)
        return 2
    if not args.report:
        data = train(definitions, sentences, encoder)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(args.out, **data)
        n_train = sum(1 for s in sentences if not s.held_out)
        print(f"trained {len(data['acts'])} act classifiers on {n_train} corpus sentences + act-file examples -> {args.out}")
    nlp = load_model(DEFAULT_MODEL)
    recogniser = ActRecogniser(nlp, definitions, encoder, status)
    results = evaluate_held_out(recogniser, nlp, sentences)
    print(f"held-out sentences: {sum(1 for s in sentences if s.held_out)}")
    print(format_results(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
