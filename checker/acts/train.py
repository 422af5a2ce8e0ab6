"""Train the act classifiers: ``python -m checker.acts.train [--corpus corpora/acts]``.

Deterministic: the same corpus, act files and encoder give the same ``classifier.npz``.

- The sentence corpus (``corpora/acts/*.jsonl``, see ``corpora/acts/ACTS.md``) is split by a
  hash of each sentence's text: about a quarter is **held out** and never trained on; the rest,
  plus every act file's examples (positive) and near-misses (negative), trains one
  L2-regularised logistic regression per act on the sentence vectors of that act's speaker.
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
from .meaning import CLASSIFIER_PATH, data_hash, neighbours, vote

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpora" / "acts"
HELD_OUT_SHARE = 0.25
L2 = 0.1
FOLDS = 4
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


def _fit(x: Any, y: Any, weights: Any) -> tuple[Any, float]:
    """Weighted L2 logistic regression by Newton's method (deterministic)."""
    import numpy as np

    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1), dtype=np.float64)])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, L2)
    reg[-1] = 1e-6
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (weights * (p - y)) + reg * w
        hess = (xb * (weights * p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w[:-1], float(w[-1])


def _balanced(y: Any) -> Any:
    import numpy as np

    pos = max(1.0, float(y.sum()))
    neg = max(1.0, float(len(y) - y.sum()))
    return np.where(y > 0, len(y) / (2 * pos), len(y) / (2 * neg))


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

    rows: list[tuple[str, str, frozenset[str]]] = [(s.text, s.speaker, s.acts) for s in sentences if not s.held_out]
    for d in definitions.values():
        rows.extend((t, d.speaker, frozenset({d.name})) for t in d.examples)
        rows.extend((t, d.speaker, frozenset()) for t in d.near_misses)
    vectors = encoder.embed([r[0] for r in rows]).astype(np.float64)
    trained = [d for d in definitions.values() if d.examples]
    names, weights, biases, thresholds = [], [], [], []
    for d in trained:
        idx = [i for i, r in enumerate(rows) if r[1] == d.speaker]
        x = vectors[idx]
        y = np.array([1.0 if d.name in rows[i][2] else 0.0 for i in idx])
        if y.sum() < 3 or y.sum() == len(y):
            continue
        # cross-validated scores for the threshold
        folds = np.array([int(hashlib.sha256(rows[i][0].encode()).hexdigest(), 16) % FOLDS for i in idx])
        scores = np.zeros(len(idx))
        for f in range(FOLDS):
            train_mask = folds != f
            if y[train_mask].sum() < 2:
                continue
            w, b = _fit(x[train_mask], y[train_mask], _balanced(y[train_mask]))
            lr = 1.0 / (1.0 + np.exp(-np.clip(x[~train_mask] @ w + b, -30, 30)))
            scores[~train_mask] = (lr + vote(*neighbours(x[~train_mask], x[train_mask]), y[train_mask])) / 2
        w, b = _fit(x, y, _balanced(y))
        names.append(d.name)
        weights.append(w)
        biases.append(b)
        thresholds.append(_best_threshold(scores, y))
    speakers = np.array([r[1] for r in rows])
    label_matrix = np.array([[1 if n in r[2] else 0 for n in names] for r in rows], dtype=np.uint8)
    return {
        "vectors": vectors.astype(np.float16),
        "speakers": speakers,
        "labels": label_matrix,
        "acts": np.array(names),
        "weights": np.array(weights, dtype=np.float32),
        "bias": np.array(biases, dtype=np.float32),
        "thresholds": np.array(thresholds, dtype=np.float32),
        "model": np.array(encoder.model),
        "data_hash": np.array(data_hash(sorted(rows))),
    }


def evaluate_held_out(recogniser: Any, nlp: Any, sentences: list[LabelledSentence]) -> dict[str, dict[str, float]]:
    """Per act: precision, recall, F1 and support on the held-out sentences, with the whole
    recogniser (each sentence as a one-message turn of its speaker; position gates are not
    tested here, mood gates are)."""
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
    for name, d in sorted(definitions.items()):
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
