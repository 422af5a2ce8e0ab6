"""YAML as tutors and assessors write it, read safely and with every number bounded.

``yaml.SafeLoader`` refuses Python tags but not numbers no program can use: a 5000-digit
integer (Python refuses to convert it), ``.inf`` and ``.nan`` (they end up as ``Infinity`` and
``NaN`` in a report, which is not JSON) and integers too large for a float (``float()``
overflows). ``BoundedLoader`` refuses them where they are written, as a YAML error with the
line, and the loaders turn that into one clear message. Nesting too deep for the parser is
reported the same way (:func:`load`).
"""
from __future__ import annotations

import math
from typing import Any

import yaml

MAX_INT_DIGITS = 15  # ample for any weight, score, count or version; far below float's range
MAX_NESTING = 200  # rule files nest a few levels; the composer recurses once a level


class NumberError(yaml.constructor.ConstructorError):
    pass


class BoundedLoader(yaml.SafeLoader):
    """A SafeLoader whose integers have at most ``MAX_INT_DIGITS`` digits and whose floats are finite."""

    def construct_yaml_int(self, node):
        digits = sum(ch.isalnum() for ch in str(node.value))
        value = super().construct_yaml_int(node) if digits <= 3 * MAX_INT_DIGITS else None
        if value is None or abs(value) >= 10 ** MAX_INT_DIGITS:
            raise NumberError(None, None, f"the number {_brief(node.value)} is too large "
                                          f"(at most {MAX_INT_DIGITS} digits)", node.start_mark)
        return value

    def construct_yaml_float(self, node):
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise NumberError(None, None, f"{_brief(node.value)} is not a finite number "
                                          "(infinity and NaN cannot be used)", node.start_mark)
        return value


BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_yaml_int)
BoundedLoader.add_constructor("tag:yaml.org,2002:float", BoundedLoader.construct_yaml_float)


def _brief(text: Any) -> str:
    text = str(text)
    return repr(text if len(text) <= 24 else text[:20] + "…")


class YamlProblem(Exception):
    """Why a YAML text cannot be used, and the line (1-based) when known."""

    def __init__(self, problem: str, line: int | None):
        self.problem = problem
        self.line = line
        super().__init__(problem)


def problem_of(exc: BaseException) -> YamlProblem:
    """A YAMLError (or the parser's RecursionError) as one line and a line number."""
    if isinstance(exc, RecursionError):
        return YamlProblem(f"nested too deeply (more than about {MAX_NESTING} levels)", None)
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return YamlProblem(problem, mark.line + 1 if mark else None)


def too_deep(text: str) -> bool:
    """Cheap pre-check: more opening brackets or indentation levels than any sane file has."""
    depth = best = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            best = max(best, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
    if best > MAX_NESTING:
        return True
    indents = {len(line) - len(line.lstrip(" ")) for line in text.splitlines() if line.strip()}
    return len(indents) > MAX_NESTING


def compose(text: str):
    """The node tree of ``text``; raises YamlProblem."""
    if too_deep(text):
        raise YamlProblem(f"nested too deeply (more than {MAX_NESTING} levels)", None)
    try:
        return yaml.compose(text, Loader=BoundedLoader)
    except (yaml.YAMLError, RecursionError) as exc:
        raise problem_of(exc) from None


def construct(text: str, node) -> Any:
    """Python values for an already composed ``node`` of ``text``; raises YamlProblem."""
    loader = BoundedLoader(text)
    try:
        return loader.construct_document(node)
    except (yaml.YAMLError, RecursionError) as exc:
        raise problem_of(exc) from None
    finally:
        loader.dispose()


def load(text: str) -> Any:
    """``yaml.safe_load`` with bounded numbers and nesting; raises YamlProblem."""
    node = compose(text)
    return None if node is None else construct(text, node)
