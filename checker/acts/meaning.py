"""Recognising acts by meaning, on the sentence encoder's vectors.

Two recognisers, both explainable:

- a **classifier** per act: logistic regression on the sentence vector, trained by
  ``python -m checker.acts.train`` (deterministic) from the training part of the sentence corpus
  (``corpora/acts/``) and each act file's examples and near-misses, shipped as
  ``checker/acts/data/classifier.npz``;
- **examples**: an act also fires when a sentence is very close to one of its examples (a centre
  can add its own in its rule file) and no nearer to one of its near-misses.

Every act found names its nearest example, so a finding can say "reads like the example '…'".
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Sequence

from .definitions import ActDefinition

CLASSIFIER_PATH = Path(__file__).parent / "data" / "classifier.npz"
CLOSE = 0.82  # cosine similarity at which a sentence "says the same" as an example
KNN = 7  # training sentences that vote


@dataclass(frozen=True)
class Classifier:
    acts: tuple[str, ...]
    weights: Any  # (n_acts, 384)
    bias: Any  # (n_acts,)
    thresholds: Any  # (n_acts,) tuned on the training part by cross-validation
    model: str
    data_hash: str
    vectors: Any = None  # (n, 384) the training sentences, for the nearest-neighbour vote
    speakers: Any = None  # (n,) agent | customer
    labels: Any = None  # (n, n_acts) 0/1
    act_speakers: tuple[str, ...] = ()  # the speaker of each act, in ``acts`` order

    def probabilities(self, vectors: Any) -> Any:
        """Per act: the mean of the logistic regression's probability and the vote of the seven
        nearest training sentences of the act's speaker."""
        import numpy as np

        logits = vectors @ self.weights.T + self.bias
        lr = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        if self.vectors is None:
            return lr
        out = np.empty_like(lr)
        for cols, speaker_vectors, speaker_labels in self._by_speaker:
            idx, weights = neighbours(vectors, speaker_vectors)
            for c in cols:
                out[:, c] = (lr[:, c] + vote(idx, weights, speaker_labels[:, c])) / 2
        return out

    @cached_property
    def _by_speaker(self) -> tuple[tuple[list[int], Any, Any], ...]:
        """Per speaker with acts and training sentences: the act columns, and that speaker's
        training vectors and labels, selected once (not copied out of the whole set per call)."""
        import numpy as np

        out = []
        for speaker in ("agent", "customer"):
            cols = [i for i, act_speaker in enumerate(self.act_speakers) if act_speaker == speaker]
            rows = np.flatnonzero(self.speakers == speaker)
            if cols and len(rows):
                out.append((cols, self.vectors[rows], self.labels[rows]))
        return tuple(out)


def neighbours(queries: Any, vectors: Any, k: int = KNN) -> tuple[Any, Any]:
    """For each query row: the indices of its k nearest ``vectors`` rows and their weights
    (similarity cubed, never negative)."""
    import numpy as np

    sims = queries @ vectors.T
    k = min(k, sims.shape[1])
    idx = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    return idx, np.maximum(np.take_along_axis(sims, idx, 1), 0) ** 3


def vote(idx: Any, weights: Any, labels: Any) -> Any:
    """The weighted share of each query's neighbours whose label is 1."""
    import numpy as np

    return (weights * labels[idx]).sum(1) / np.maximum(weights.sum(1), 1e-9)


def load_classifier(path: Path = CLASSIFIER_PATH, model: str = "", speakers: dict[str, str] | None = None) -> Classifier | None:
    if not path.is_file():
        return None
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        meta_model = str(data["model"])
        if model and meta_model != model:
            return None  # trained on another encoder's vectors: useless here
        acts = tuple(str(a) for a in data["acts"])
        return Classifier(acts, data["weights"].astype(np.float32), data["bias"].astype(np.float32),
                          data["thresholds"].astype(np.float32), meta_model, str(data["data_hash"]),
                          data["vectors"].astype(np.float32), data["speakers"].astype(str), data["labels"],
                          tuple((speakers or {}).get(a, "agent") for a in acts))


class ExampleIndex:
    """Every act's examples and near-misses as vectors, embedded once at load."""

    def __init__(self, encoder: Any, definitions: Sequence[ActDefinition]):
        import numpy as np

        self._np = np
        self.by_act: dict[str, tuple[tuple[str, ...], Any, Any]] = {}
        texts: list[str] = []
        for d in definitions:
            texts.extend(d.examples)
            texts.extend(d.near_misses)
        vectors = encoder.embed(texts) if texts else np.zeros((0, 384), dtype=np.float32)
        row = 0
        for d in definitions:
            pos = vectors[row: row + len(d.examples)]
            row += len(d.examples)
            neg = vectors[row: row + len(d.near_misses)]
            row += len(d.near_misses)
            self.by_act[d.name] = (d.examples, pos, neg)

    def nearest(self, act: str, vector: Any) -> tuple[str, float, float]:
        """(nearest example, its similarity, the nearest near-miss's similarity)."""
        examples, pos, neg = self.by_act.get(act, ((), None, None))
        if not examples:
            return "", 0.0, 0.0
        sims = pos @ vector
        best = int(sims.argmax())
        neg_best = float((neg @ vector).max()) if neg is not None and len(neg) else 0.0
        return examples[best], float(sims[best]), neg_best


def data_hash(*parts: Any) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8"))
    return h.hexdigest()[:16]
