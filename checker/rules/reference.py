"""The rule-type reference, generated from the rule types' own field metadata.

``replycheck rules types [TYPE]`` prints it; ``docs/tutor-guide.md`` holds it between
``<!-- fields:TYPE -->`` / ``<!-- /fields:TYPE -->`` markers, rewritten by
``python -m checker.rules.reference --write docs/tutor-guide.md`` (a test fails when the guide
and the code disagree, so the guide cannot drift).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from .base import RULE_TYPES, Rule, field_default, rule_fields
from . import types as _types  # noqa: F401  (registers the rule types)

KINDS = {
    str: "text", bool: "true / false", int: "whole number", float: "number", dict: "mapping",
    "str_list": "list of text", "swap_map": "mapping: text → text", "pattern_map": "mapping: name → list of regular expressions",
    "token_patterns": "list of spaCy token patterns",
}
HEADER = "header"  # the common header table's marker name


def _default(f: Any) -> str:
    value = field_default(f)
    if f.metadata.get("required"):
        return "**required**"
    if value in ("", (), {}, None):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        if len(value) > 3 or any(len(str(v)) > 20 for v in value):
            return f"({len(value)} built in)"
        return "[" + ", ".join(value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def summary(type_name: str) -> str:
    """The first paragraph of the rule type's module docstring: what the type does."""
    doc = sys.modules[RULE_TYPES[type_name].__module__].__doc__ or ""
    return " ".join(doc.strip().split("\n\n")[0].split())


def field_rows(cls: type[Rule], header: bool) -> list[tuple[str, str, str, str]]:
    """(field, kind, default, what it does) for the header fields, or for a type's own fields."""
    own = set(rule_fields(cls)) - set(rule_fields(Rule))
    rows = []
    for name, f in rule_fields(cls).items():
        if (name in own) == header:
            continue
        meta = f.metadata
        kind = KINDS.get(meta.get("kind"), str(meta.get("kind")))
        choices = [c for c in (meta.get("choices") or ()) if c]
        doc = meta.get("doc") or ""
        if choices:
            doc += f" (one of: {', '.join(choices)})" if kind != "list of text" else f" (from: {', '.join(choices)})"
        if meta.get("kind") == "str_list" and not choices:
            doc += f"; or `{name}_from: file.txt`"
        rows.append((name, kind, _default(f), doc))
    return rows


def table(cls: type[Rule], header: bool = False) -> str:
    rows = field_rows(cls, header)
    if not rows:
        return "_No fields of its own: only the common header._"
    out = ["| field | kind | default | what it does |", "|---|---|---|---|"]
    pipe = "\\|"
    out += [f"| `{n}` | {k} | {d} | {doc.replace('|', pipe)} |" for n, k, d, doc in rows]
    return "\n".join(out)


def block(name: str) -> str:
    """The generated text for one marker: the header table, or one type's table."""
    if name == HEADER:
        return table(Rule, header=True)
    return f"{summary(name).replace('``', '`')}\n\n{table(RULE_TYPES[name])}"


_MARKED = re.compile(r"^(<!-- fields:(?P<name>[\w-]+) -->\n)(?P<body>.*?)^(<!-- /fields:(?P=name) -->)", re.S | re.M)


def regenerate(text: str) -> str:
    """``text`` with every marked block rewritten from the code."""
    def fill(m: re.Match) -> str:
        name = m.group("name")
        if name != HEADER and name not in RULE_TYPES:
            raise KeyError(f"unknown rule type in a fields marker: {name}")
        return m.group(1) + block(name) + "\n" + m.group(4)

    return _MARKED.sub(fill, text)


def marked_names(text: str) -> list[str]:
    return [m.group("name") for m in _MARKED.finditer(text)]


def render_text(type_name: str | None = None) -> str:
    """Plain-text reference for ``replycheck rules types``."""
    names = [type_name] if type_name else sorted(RULE_TYPES)
    out = []
    if not type_name:
        out += ["Every rule has these header fields:", ""]
        out += [f"  {n:<14} {k:<22} {('default ' + d) if d else '':<22} {doc}" for n, k, d, doc in field_rows(Rule, True)]
        out.append("")
    for name in names:
        cls = RULE_TYPES[name]
        out += [f"type: {name}", f"  {summary(name).replace('``', '')}"]
        rows = field_rows(cls, header=False)
        out += [f"  {n:<22} {k:<22} {('default ' + d) if d else '':<24} {doc}" for n, k, d, doc in rows] or ["  (only the header fields)"]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] in ("--write", "--check"):
        path = Path(args[1])
        old = path.read_text(encoding="utf-8")
        new = regenerate(old)
        if args[0] == "--check":
            if new != old:
                print(f"{path}: the field tables are out of date; run python -m checker.rules.reference --write {path}")
                return 1
            return 0
        path.write_text(new, encoding="utf-8")
        print(f"{path}: {len(marked_names(new))} field tables written")
        return 0
    print(render_text(args[0] if args else None), end="")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
