"""Recognising acts by meaning, on the sentence encoder's vectors.

Two recognisers, both explainable:

- a **classifier** per act: logistic regression on the sentence vector and the sentence's words
  and word pairs, trained by
  ``python -m checker.acts.train`` (deterministic) from the training part of the sentence corpus
  (``corpora/acts/``) and each act file's examples and near-misses, shipped as
  ``checker/acts/data/classifier.npz``;
- **examples**: an act also fires when a sentence is very close to one of its examples (a centre
  can add its own in its rule file: ``ExampleIndex.with_added``) and no nearer to one of its
  near-misses.

Every act found names its nearest example, so a finding can say "reads like the example '…'".
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping, Sequence

from .definitions import ActDefinition, ActExamples

CLASSIFIER_PATH = Path(__file__).parent / "data" / "classifier.npz"
CLOSE = 0.82  # cosine similarity at which a sentence "says the same" as an example

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+|[?!£]")


def word_features(text: str) -> set[str]:
    """The sentence's words and word pairs, lower-cased, every number as ``<n>``, with ``<s>`` and
    ``</s>`` marking where it starts and ends ("<s> thanks", "? </s>")."""
    words = ["<n>" if w.isdigit() else w for w in _WORD.findall(text.lower().replace("\u2019", "'"))]
    marked = ["<s>", *words, "</s>"]
    return set(words) | {f"{a} {b}" for a, b in zip(marked, marked[1:])}


@dataclass(frozen=True)
class Classifier:
    """One logistic regression per act on the sentence vector (what it means) joined to the
    sentence's words and word pairs (how it is put), learnt together from the sentence corpus."""

    acts: tuple[str, ...]
    weights: Any  # (n_acts, 384 + len(vocabulary))
    bias: Any  # (n_acts,)
    thresholds: Any  # (n_acts,) tuned on the training part by cross-validation
    model: str
    data_hash: str
    vocabulary: tuple[str, ...] = ()  # the word features, in column order after the vector
    act_speakers: tuple[str, ...] = ()  # the speaker of each act, in ``acts`` order

    @cached_property
    def columns(self) -> dict[str, int]:
        """Each word feature's column among the word features."""
        return {w: i for i, w in enumerate(self.vocabulary)}

    def probabilities(self, vectors: Any, texts: Sequence[str]) -> Any:
        """(n, n_acts): each act's probability for each sentence."""
        return probabilities(vectors, WordFeatures.of(texts, self.columns), self.weights, self.bias)


def probabilities(vectors: Any, words: "WordFeatures", weights: Any, bias: Any) -> Any:
    """The logistic regressions' probabilities, (n, n_acts), for sentence vectors (n, dims) and
    their word features, with weights (n_acts, dims + vocabulary): the shipped classifier's and
    training's one formula."""
    import numpy as np

    dims = vectors.shape[1]
    logits = vectors @ weights[:, :dims].T + bias
    logits += words.times(weights[:, dims:].T)
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))


@dataclass(frozen=True)
class WordFeatures:
    """A sparse (sentences × vocabulary) matrix: each sentence's known word features, each worth
    1/sqrt(k) for the k it has."""

    rows: Any
    cols: Any
    values: Any
    shape: tuple[int, int]

    @classmethod
    def of(cls, texts: Sequence[str], columns: dict[str, int]) -> "WordFeatures":
        import numpy as np

        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        for row, text in enumerate(texts):
            found = sorted({columns[w] for w in word_features(text) if w in columns})
            if not found:
                continue
            rows.extend([row] * len(found))
            cols.extend(found)
            values.extend([1.0 / len(found) ** 0.5] * len(found))
        return cls(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64),
                   np.array(values, dtype=np.float64), (len(texts), len(columns)))

    def times(self, weights: Any) -> Any:
        """self @ weights, for weights of shape (vocabulary, k)."""
        import numpy as np

        out = np.zeros((self.shape[0], weights.shape[1]), dtype=np.float64)
        order = np.argsort(self.rows, kind="stable")
        _sum_runs(out, self.rows[order], weights[self.cols[order]] * self.values[order, None])
        return out

    def transposed_times(self, other: Any) -> Any:
        """self.T @ other, for other of shape (sentences, k)."""
        import numpy as np

        out = np.zeros((self.shape[1], other.shape[1]), dtype=np.float64)
        order = np.argsort(self.cols, kind="stable")
        _sum_runs(out, self.cols[order], other[self.rows[order]] * self.values[order, None])
        return out

    def take(self, row_indices: Any) -> "WordFeatures":
        """The rows ``row_indices``, renumbered 0…"""
        import numpy as np

        where = np.full(self.shape[0], -1, dtype=np.int64)
        where[row_indices] = np.arange(len(row_indices))
        keep = where[self.rows] >= 0
        return WordFeatures(where[self.rows[keep]], self.cols[keep], self.values[keep], (len(row_indices), self.shape[1]))


def _sum_runs(out: Any, keys: Any, products: Any) -> None:
    """out[key] = the sum of the products under each key, for keys in non-decreasing order: one
    ``np.add.reduceat`` over the runs (``np.add.at`` took 2.5 times as long to train on)."""
    import numpy as np

    if not len(keys):
        return
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    out[keys[starts]] = np.add.reduceat(products, starts, axis=0)


def load_classifier(path: Path = CLASSIFIER_PATH, model: str = "", speakers: dict[str, str] | None = None) -> Classifier | None:
    if not path.is_file():
        return None
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        meta_model = str(data["model"])
        if model and meta_model != model:
            return None  # trained on another encoder's vectors: useless here
        if "vocabulary" not in data.files:
            return None  # an older classifier file: retrain with python -m checker.acts.train
        acts = tuple(str(a) for a in data["acts"])
        return Classifier(acts, data["weights"].astype(np.float32), data["bias"].astype(np.float32),
                          data["thresholds"].astype(np.float32), meta_model, str(data["data_hash"]),
                          tuple(str(w) for w in data["vocabulary"]),
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

    def with_added(self, encoder: Any, added: Mapping[str, ActExamples]) -> "ExampleIndex":
        """A copy of this index with a rule set's own examples and near-misses added to their
        acts; only the added sentences are embedded (in one batch)."""
        np = self._np
        out = object.__new__(ExampleIndex)
        out._np = np
        out.by_act = dict(self.by_act)
        items = [(name, extra) for name, extra in sorted(added.items()) if extra]
        texts = [t for _, extra in items for t in extra.examples + extra.near_misses]
        if not texts:
            return out
        vectors = encoder.embed(texts)
        row = 0
        for name, extra in items:
            examples, pos, neg = self.by_act.get(name, ((), None, None))
            dim = vectors.shape[1]
            pos = pos if pos is not None else np.zeros((0, dim), dtype=vectors.dtype)
            neg = neg if neg is not None else np.zeros((0, dim), dtype=vectors.dtype)
            new_pos = vectors[row: row + len(extra.examples)]
            row += len(extra.examples)
            new_neg = vectors[row: row + len(extra.near_misses)]
            row += len(extra.near_misses)
            out.by_act[name] = (tuple(examples) + extra.examples, np.concatenate([pos, new_pos]),
                                np.concatenate([neg, new_neg]))
        return out

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
