"""Masking personal data in what the page shows and the report a learner downloads.

Transcripts are real customers' conversations: card numbers, phone numbers, email addresses and
postcodes turn up in them. ``mask_text`` hides those four kinds of data. It is a pure function
and it keeps the length of the text (every hidden character becomes one ``•``), so the
character offsets in a report still point at the same places after masking and highlights
land where they did before.

The checker always judges the original text (masking first would hide, say, a full card number
the learner asked for); masking applies only to what is shown or downloaded.
"""
from __future__ import annotations

import re
from typing import Any

MASK = "\u2022"  # •

# 13-19 digits, single spaces or hyphens between groups: card numbers (PANs). Runs of more
# digits are something else (and are not cut into a card-sized piece).
_CARD = re.compile(r"(?<![\w.])\d(?:[ -]?\d){12,18}(?![\w])")

# UK numbers: 0 + 9 or 10 digits, or +44 / 0044 with an optional (0); groups split by one space
# or hyphen; an area code may sit in brackets. Other international numbers: + and 8-15 digits.
_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:"
    r"(?:\+|00)44[ -]?(?:\(0\)[ -]?)?\d(?:[ -]?\d){8,9}"
    r"|\(0\d{2,4}\)[ -]?\d(?:[ -]?\d){5,7}"
    r"|0\d(?:[ -]?\d){8,9}"
    r"|\+[1-9]\d{0,2}(?:[ -]?\d){7,13}"
    r")"
    r"(?![\d])"
)

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

# The full UK postcode format (outward code, optional space, inward code); GIR 0AA too.
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b", re.IGNORECASE)


def _hide(text: str, keep: str = "") -> str:
    """Every letter and digit of ``text`` becomes ``•``; separators stay, so the shape shows."""
    return "".join(MASK if ch.isalnum() and ch not in keep else ch for ch in text)


def _mask_card(match: re.Match) -> str:
    value = match.group(0)
    digits_seen = 0
    total = sum(ch.isdigit() for ch in value)
    out = []
    for ch in value:
        if ch.isdigit():
            digits_seen += 1
            out.append(ch if digits_seen > total - 4 else MASK)  # keep the last four, as receipts do
        else:
            out.append(ch)
    return "".join(out)


def _mask_email(match: re.Match) -> str:
    value = match.group(0)
    local, _, domain = value.partition("@")
    return local[:1] + _hide(local[1:]) + "@" + _hide(domain)


def _mask_all(match: re.Match) -> str:
    return _hide(match.group(0))


def mask_text(text: str) -> str:
    """``text`` with card numbers, phone numbers, email addresses and UK postcodes hidden.

    The result has exactly the same length as ``text``.

    >>> mask_text("Card 4929 1234 5678 9012, call 07700 900418")
    'Card •••• •••• •••• 9012, call ••••• ••••••'
    """
    if not text:
        return text
    text = _EMAIL.sub(_mask_email, text)  # first: an address can hold digits
    text = _CARD.sub(_mask_card, text)
    text = _PHONE.sub(_mask_all, text)
    return _POSTCODE.sub(_mask_all, text)


# Keys whose values are identifiers or enumerations, never free text.
_NOT_TEXT = frozenset({"rule", "criterion", "id", "level", "status", "role", "channel", "decision",
                       "backend", "category", "model", "version"})


def mask_data(value: Any, _key: str | None = None) -> Any:
    """A copy of ``value`` (the report dict, or any JSON-like data) with every text masked."""
    if isinstance(value, str):
        return value if _key in _NOT_TEXT else mask_text(value)
    if isinstance(value, dict):
        return {k: mask_data(v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(v, _key) for v in value]
    return value
