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
    return decode_text(data, source, max_bytes)[0]


def decode_text(data: bytes, source: str = "<input>", max_bytes: int = MAX_INPUT_BYTES) -> tuple[str, tuple[str, ...]]:
    """Decode a transcript's bytes, with a warning when some bytes could not be decoded.

    UTF-8 (with or without BOM) and UTF-16 are read as such. Bytes that are not valid UTF-8 are
    read as Windows-1252 only when nothing in the file is UTF-8; when most of it is, the bad
    sequences become U+FFFD and the report says how many.
    """
    warnings: list[str] = []
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
            text, note = _utf8_or_cp1252(data)
            if note:
                warnings.append(note)
    if text is None:
        raise InputError("cannot decode the text: it is not UTF-8, UTF-16 or Windows-1252", source=source)
    check_not_binary(text, source)
    return text, tuple(warnings)


def check_not_binary(text: str, source: str = "<input>") -> None:
    """Refuse text that is mostly control characters: a binary file decoded by mistake."""
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in LINE_BREAKS + "\t\r")
    if controls > max(3, len(text) // 100):
        raise InputError("this is a binary file, not a text transcript", source=source)


def _utf8_or_cp1252(data: bytes) -> tuple[str | None, str | None]:
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in replaced if ord(ch) > 127 and ch != "\ufffd")
    if good == 0:  # nothing in it is UTF-8: a Windows file, or not text at all
        return try_decode(data, "cp1252"), None
    return replaced, (f"{bad} byte sequence(s) were not valid UTF-8 and show as \ufffd; "
                      "save the file as UTF-8 to keep every character")


# Characters that end a line besides \n and \r (vertical tab, form feed, file/group/record
# separators, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR): each becomes \n, so offsets do not move.
LINE_BREAKS = "\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_TO_NEWLINE = {ord(ch): "\n" for ch in LINE_BREAKS[1:]}


def replace_unencodable(text: str) -> tuple[str, tuple[str, ...]]:
    """Lone surrogates (from JSON escapes or a broken paste) → U+FFFD, one for one, with a warning."""
    try:
        text.encode("utf-8")
        return text, ()
    except UnicodeEncodeError:
        pass
    count = 0
    out = []
    for ch in text:
        if "\ud800" <= ch <= "\udfff":
            out.append("\ufffd")
            count += 1
        else:
            out.append(ch)
    return "".join(out), (f"{count} character(s) that are not valid Unicode (lone surrogates) were replaced by \ufffd",)


def try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def normalise_text(text: str) -> str:
    """Line endings to ``\\n`` (Unicode line and paragraph separators too); drop a BOM and NULs.
    Offsets index the result."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.translate(_TO_NEWLINE)
