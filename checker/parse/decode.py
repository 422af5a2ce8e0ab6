"""Bytes → text: size and binary checks, encodings, line endings."""
from __future__ import annotations

import codecs
import unicodedata

from ..errors import InputError

MAX_INPUT_BYTES = 2 * 1024 * 1024  # a long email thread is ~50 KB; 2 MiB leaves room and bounds work


BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a zip archive or Word/Excel document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Word/Excel document",
    b"\x7fELF": "a program",
}


def decode_bytes(data: bytes, source: str = "<input>", max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Decode a transcript's bytes: UTF-8 (with or without BOM), UTF-16, then Windows-1252."""
    if len(data) > max_bytes:
        raise InputError(
            f"input is too large ({len(data) / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.1f} MB): "
            "check one transcript at a time",
            source=source,
        )
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"this looks like {what}, not a text transcript: save or paste it as plain text", source=source)
    text: str | None = None
    if data.startswith(codecs.BOM_UTF8):
        text = try_decode(data[3:], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = try_decode(data, "utf-16")
    elif b"\x00" in data:
        # UTF-16 without a BOM shows as a NUL beside every ASCII character.
        if len(data) % 2 == 0 and data[1::2].count(0) > len(data) // 4:
            text = try_decode(data, "utf-16-le")
        elif len(data) % 2 == 0 and data[0::2].count(0) > len(data) // 4:
            text = try_decode(data, "utf-16-be")
        if text is None:
            raise InputError("this is a binary file, not a text transcript", source=source)
    else:
        text = try_decode(data, "utf-8")
        if text is None:
            text = try_decode(data, "cp1252")
    if text is None:
        raise InputError("cannot decode the text: it is not UTF-8, UTF-16 or Windows-1252", source=source)
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t\f")
    if controls > max(3, len(text) // 100):
        raise InputError("this is a binary file, not a text transcript", source=source)
    return text


def try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def normalise_text(text: str) -> str:
    """Line endings to ``\\n``; drop a BOM and NULs. Offsets index the result."""
    return text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
