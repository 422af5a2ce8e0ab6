"""Finding the transcripts of a batch: folders, zips, single files, CSV and JSONL.

Discovery happens in two steps so that a run can show a progress bar with a total without
holding any transcript in memory:

1. :func:`discover` walks the inputs and returns a :class:`Plan`: one small :class:`Entry` per
   file or zip member (path, display name, identity key, learner hints) and, for CSV/JSONL
   files, an index of the conversations in them. No transcript text is kept.
2. :func:`iter_submissions` streams the plan: it reads one input at a time and yields a
   :class:`Submission` (bytes plus identity) or, when an input cannot even be read (a corrupt
   zip, a CSV row that is not valid), a Submission that carries the error.

Order is deterministic: folders are walked in sorted order, zip members in name order, CSV/JSONL
conversations in the order their last message appears in the file.

What is an input
    Every file under a folder, except hidden files (``.*``), ``__MACOSX/``, ``Thumbs.db`` and
    ``desktop.ini``, and except the batch's own output folder. ``.zip`` files are opened (also
    inside folders, and one zip inside a zip); ``.csv``/``.tsv`` and ``.jsonl``/``.ndjson`` files
    are tables of messages or conversations; every other file is a transcript, so a PDF or Word
    file is reported as "not a text transcript", never silently skipped.

Tables
    One row per message: a role column (``role``) and a text column (``text``, ``message``,
    ``body``, ``content``), grouped into conversations by a conversation id column
    (``conversation_id``, ``conv_id``, ``transcript_id``, ``chat_id``, ``thread_id``,
    ``ticket_id``, ``case_id``, ``id``, or ``--conversation-column``); without an id column the
    whole file is one conversation. Optional ``time``, ``speaker``, ``channel``, ``subject``.
    One row per conversation: a ``transcript`` column (or ``conversation``, ``text``, ``body``,
    ``content`` when there is no role column) holding the whole pasted transcript; JSONL lines
    may also be ``{"messages": [...]}`` objects in the parser's JSON format.

The learner (``learner_from``)
    ``column``: the learner column of a table row (``--learner-column``, default ``learner``);
    ``folder``: the name of the folder holding the file (for a file at the top of a zip, the
    zip's name); ``file``: the file's name without extension; ``auto`` (default): the column when
    a table row has one, else the folder when the file sits in a subfolder of the folder or zip
    given, else the file name. Table rows without a learner value use the rule for their file.
"""
from __future__ import annotations

import codecs
import csv
import errno
import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from ..errors import InputError, ReplyCheckError
from ..parse import MAX_INPUT_BYTES
from ..parse.table import ID_KEYS, column_key

TABLE_CSV = (".csv", ".tsv")
TABLE_JSONL = (".jsonl", ".ndjson")
IGNORED_NAMES = {"thumbs.db", "desktop.ini", "__macosx", ".ds_store"}
LEARNER_FROM = ("auto", "column", "folder", "file")

ID_COLUMNS = ID_KEYS + ("id",)  # a table of many conversations may name them by a bare "id"
ROLE_COLUMNS = ("role", "sender_role", "speaker_role")
TEXT_COLUMNS = ("text", "message", "body", "content")
TRANSCRIPT_COLUMNS = ("transcript", "conversation", "conversation_text")
TIME_COLUMNS = ("time", "timestamp", "sent_at", "datetime")
SPEAKER_COLUMNS = ("speaker", "name", "sender", "author")
LEARNER_COLUMNS = ("learner", "learner_name", "student", "candidate")
MAX_NESTED_ZIP_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class InputOptions:
    learner_from: str = "auto"
    learner_column: str | None = None  # None: "learner" and its usual synonyms
    conversation_column: str | None = None  # None: the usual id column names
    max_bytes: int = MAX_INPUT_BYTES

    def __post_init__(self):
        if self.learner_from not in LEARNER_FROM:
            raise ValueError(f"learner_from must be one of {LEARNER_FROM}")


@dataclass(frozen=True)
class Submission:
    """One conversation to judge (or an input that could not be read: ``error`` set)."""

    key: str  # identity: absolute path, plus "/member" inside a zip, plus "#id" for a table row
    file: str  # what the assessor sees: the path below the input given, "x.zip/a/b.txt", "m.csv#C17"
    learner: str
    name: str  # the name the parser sees (its extension picks .eml/.json handling)
    data: bytes = b""
    channel: str = "auto"
    line: int | None = None  # first line of a table conversation
    error: ReplyCheckError | None = None

    @property
    def sha256(self) -> str:
        """Hash of the exact bytes: a changed file is judged again."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def content_hash(self) -> str | None:
        """Hash of the content with line endings, trailing spaces and a BOM ignored, for spotting
        duplicate submissions; ``None`` when there is nothing to compare (empty or unread)."""
        if self.error is not None or len(self.data) > MAX_INPUT_BYTES:
            return None
        data = self.data[3:] if self.data.startswith(codecs.BOM_UTF8) else self.data
        data = re.sub(rb"[ \t]+(?=\r?\n|\Z)", b"", data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")).strip()
        return hashlib.sha256(data).hexdigest() if data else None


@dataclass
class TableIndex:
    """Where each conversation of a CSV/JSONL file ends, found by a first pass over the file."""

    kind: str  # csv | jsonl
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    columns: dict[str, str] = field(default_factory=dict)  # role → actual column name
    mode: str = "messages"  # messages | conversations
    last_row: dict[str, int] = field(default_factory=dict)  # conversation id → its last row number
    count: int = 0


@dataclass(frozen=True)
class Entry:
    """One file or zip member found by :func:`discover`. ``members`` is the path inside the zip
    (and inside a zip within it)."""

    kind: str  # file | table | error
    key: str
    display: str
    path: Path
    folder: str  # the learner under --learner-from folder
    stem: str  # the learner under --learner-from file
    in_subfolder: bool  # for --learner-from auto
    members: tuple[str, ...] = ()
    table: TableIndex | None = None
    error: ReplyCheckError | None = None

    @property
    def count(self) -> int:
        return self.table.count if self.table is not None else 1


@dataclass
class Plan:
    """The inputs to walk. Nothing is kept per input: :meth:`entries` walks them afresh, so a
    cohort of any size costs the same memory (a zip's member list is held while it is open)."""

    paths: list[Path]
    options: InputOptions
    excluded: set[Path] = field(default_factory=set)
    _count: int | None = field(default=None, repr=False)

    def entries(self) -> Iterator[Entry]:
        for raw in self.paths:
            path = Path(raw)
            absolute = path.resolve()
            if path.is_dir():
                root_name = absolute.name or str(absolute)
                for fpath, problem in _walk(absolute, self.excluded):
                    rel = fpath.relative_to(absolute).as_posix() if fpath != absolute else ""
                    display = f"{root_name}/{rel}" if rel else root_name
                    if problem is not None:
                        yield _error_entry(fpath, display, InputError(problem, source=display), "/" in rel)
                        continue
                    yield from _file_entries(fpath, display, in_subfolder="/" in rel, options=self.options)
            else:
                yield from _file_entries(absolute, path.name, in_subfolder=False, options=self.options)

    @property
    def count(self) -> int:
        """How many inputs the plan will yield (the progress bar's total), from a first walk."""
        if self._count is None:
            self._count = sum(e.count for e in self.entries())
        return self._count


# ---------------------------------------------------------------- discovery


def _ignored(name: str) -> bool:
    return name.startswith(".") or name.lower() in IGNORED_NAMES


def _stem(name: str) -> str:
    base = PurePosixPath(name).name
    return base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base


def discover(paths: list[str | Path], options: InputOptions | None = None, exclude: list[Path] = ()) -> Plan:
    """The plan for ``paths`` (folders, zips, files; they must exist), leaving out ``exclude``."""
    return Plan([Path(p) for p in paths], options or InputOptions(), {Path(p).resolve() for p in exclude})


def _walk(folder: Path, excluded: set[Path], visited: set[Path] | None = None,
          ancestors: frozenset[Path] = frozenset()) -> Iterator[tuple[Path, str | None]]:
    """(path, None) for each file under ``folder`` in path order (a folder's contents where its
    name sorts), and (path, why) for each thing found that cannot be read as a file, so nothing
    is skipped without a word: a folder that cannot be opened, a symbolic link that loops or
    leads nowhere, a pipe or device. A folder reached twice through symbolic links is walked once."""
    visited = set() if visited is None else visited
    real_folder = folder.resolve()
    visited.add(real_folder)
    ancestors = ancestors | {real_folder}
    try:
        children = sorted(os.scandir(folder), key=lambda d: d.name)
    except OSError as exc:
        yield folder, f"cannot open this folder: {exc.strerror or exc}; its files were not read"
        return
    for child in children:
        if _ignored(child.name):
            continue
        path = Path(child.path)
        try:
            is_dir, is_file, is_link = child.is_dir(), child.is_file(), child.is_symlink()
        except OSError as exc:
            yield path, ("a symbolic link that loops: skipped" if exc.errno == errno.ELOOP
                         else f"cannot read: {exc.strerror or exc}")
            continue
        if is_dir:
            try:
                real = path.resolve(strict=True)
            except (OSError, RuntimeError) as exc:
                yield path, f"cannot follow this symbolic link: {getattr(exc, 'strerror', None) or exc}"
                continue
            if real in excluded:
                continue
            if real in ancestors:
                yield path, "a symbolic link back to a folder that contains it (a loop): skipped"
            elif real in visited:
                yield path, f"this folder was already read through another path ({real}): skipped"
            else:
                yield from _walk(path, excluded, visited, ancestors)
        elif is_file:
            yield path, None
        elif is_link:
            try:
                path.resolve(strict=True)
                why = "a symbolic link to something that is not a file or folder: skipped"
            except RuntimeError:
                why = "a symbolic link that loops: skipped"
            except OSError as exc:
                why = ("a symbolic link that loops: skipped" if exc.errno == errno.ELOOP
                       else "a symbolic link to nothing (its target is missing): skipped")
            yield path, why
        else:
            yield path, "not a regular file (a pipe, socket or device): skipped"


def _error_entry(path: Path, display: str, error: ReplyCheckError, in_subfolder: bool) -> Entry:
    return Entry(kind="error", key=path.as_posix(), display=display, path=path, folder=path.parent.name,
                 stem=_stem(path.name), in_subfolder=in_subfolder, error=error)


def _file_entries(path: Path, display: str, *, in_subfolder: bool, options: InputOptions) -> list[Entry]:
    key = path.as_posix()
    folder = path.parent.name
    lower = path.name.lower()
    base = dict(key=key, display=display, path=path, folder=folder, stem=_stem(path.name), in_subfolder=in_subfolder)
    if lower.endswith(".zip"):
        try:
            with zipfile.ZipFile(path) as zf:
                return _zip_entries(zf, path, (), key, display, _stem(path.name), options)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            return [Entry(kind="error", error=InputError(f"cannot open the zip file: {_zip_reason(exc)}", source=display), **base)]
    if lower.endswith(TABLE_CSV + TABLE_JSONL):
        try:
            with path.open("rb") as fh:
                index = index_table(fh, lower, display, options)
        except ReplyCheckError as exc:
            return [Entry(kind="error", error=exc, **base)]
        except OSError as exc:
            return [Entry(kind="error", error=InputError(f"cannot read the file: {exc.strerror or exc}", source=display), **base)]
        if not index.count:
            return [Entry(kind="error", error=InputError("the table has a header but no rows", source=display), **base)]
        return [Entry(kind="table", table=index, **base)]
    return [Entry(kind="file", **base)]


def _unsafe_member(name: str) -> bool:
    """A member path that would leave the folder it is unpacked in (zip-slip), or is absolute."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def _zip_reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _zip_entries(zf: zipfile.ZipFile, path: Path, outer: tuple[str, ...], key: str, display: str, zip_stem: str,
                 options: InputOptions) -> list[Entry]:
    infos = sorted((i for i in zf.infolist() if not i.is_dir()), key=lambda i: i.filename)
    # hidden files and __MACOSX/ are left out; a path with '..' is not hidden, it is refused (below)
    infos = [i for i in infos if _unsafe_member(i.filename)
             or not any(_ignored(part) for part in PurePosixPath(i.filename).parts)]
    # A zip made from one folder: that folder is the root, as if the folder had been given.
    tops = {PurePosixPath(i.filename).parts[0] for i in infos}
    strip = next(iter(tops)) if len(tops) == 1 and all(len(PurePosixPath(i.filename).parts) > 1 for i in infos) else None
    entries: list[Entry] = []
    for info in infos:
        member = PurePosixPath(info.filename)
        rel_parts = member.parts[1:] if strip else member.parts
        folder = member.parent.name if len(member.parts) > 1 else zip_stem
        m_key, m_display = f"{key}/{info.filename}", f"{display}/{info.filename}"
        lower = member.name.lower()
        base = dict(key=m_key, display=m_display, path=path, folder=folder, stem=_stem(member.name),
                    in_subfolder=len(rel_parts) > 1, members=outer + (info.filename,))
        if _unsafe_member(info.filename):
            entries.append(Entry(kind="error", error=InputError(
                "this zip member's path leaves the zip's folder ('..' or an absolute path): refused, not read",
                source=m_display), **base))
        elif info.flag_bits & 0x1:
            entries.append(Entry(kind="error", error=InputError("this zip member is encrypted: unzip it with its password first",
                                                                source=m_display), **base))
        elif lower.endswith(".zip") and not outer:
            if info.file_size > MAX_NESTED_ZIP_BYTES:
                entries.append(Entry(kind="error", error=InputError("this zip inside the zip is too large to open in memory: "
                                                                    "unzip it first", source=m_display), **base))
                continue
            try:
                inner = zipfile.ZipFile(io.BytesIO(zf.read(info)))
                with inner:
                    entries.extend(_zip_entries(inner, path, (info.filename,), m_key, m_display, _stem(member.name), options))
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                entries.append(Entry(kind="error", error=InputError(f"cannot open the zip inside the zip: {_zip_reason(exc)}",
                                                                    source=m_display), **base))
        elif lower.endswith(TABLE_CSV + TABLE_JSONL):
            try:
                with zf.open(info) as fh:
                    index = index_table(fh, lower, m_display, options)
            except ReplyCheckError as exc:
                entries.append(Entry(kind="error", error=exc, **base))
                continue
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                entries.append(Entry(kind="error", error=InputError(f"cannot read this zip member: {_zip_reason(exc)}",
                                                                    source=m_display), **base))
                continue
            if not index.count:
                entries.append(Entry(kind="error", error=InputError("the table has a header but no rows", source=m_display),
                                     **base))
            else:
                entries.append(Entry(kind="table", table=index, **base))
        else:
            entries.append(Entry(kind="file", **base))
    return entries


# ---------------------------------------------------------------- tables (CSV / JSONL)


def _pick(columns: list[str], wanted: tuple[str, ...] | str | None) -> str | None:
    if wanted is None:
        return None
    options = (wanted,) if isinstance(wanted, str) else wanted
    normalised = {column_key(c): c for c in columns}
    for name in options:
        if column_key(name) in normalised:
            return normalised[column_key(name)]
    return None


def _text_stream(fh: IO[bytes], encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(fh, encoding=encoding, newline="")


def _sniff_encoding(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def index_table(fh: IO[bytes], lower_name: str, display: str, options: InputOptions) -> TableIndex:
    """First pass over a CSV/JSONL file: its layout and where each conversation ends. Streams the
    file (rows are not kept); a file that is not UTF-8 is read again as Windows-1252."""
    kind = "jsonl" if lower_name.endswith(TABLE_JSONL) else "csv"
    head = fh.read(8192)
    fh.seek(0)
    first = _sniff_encoding(head)
    for encoding in (first, "cp1252") if first != "utf-16" else (first,):
        index = TableIndex(kind=kind, encoding=encoding)
        if kind == "csv":
            sample = head.decode(encoding, errors="replace")
            index.delimiter = "\t" if lower_name.endswith(".tsv") else _sniff_delimiter(sample)
        stream = _text_stream(fh, encoding)
        try:
            rows = (_csv_rows if kind == "csv" else _jsonl_rows)(stream, index, display, options, indexing=True)
            for row in rows:
                if row.cid is not None:
                    if row.cid not in index.last_row:
                        index.count += 1
                    index.last_row[row.cid] = row.number
                else:
                    index.count += 1
            return index
        except UnicodeDecodeError:
            fh.seek(0)
            continue
        finally:
            stream.detach()
    raise InputError("cannot decode the file: it is not UTF-8, UTF-16 or Windows-1252", source=display)


def _sniff_delimiter(sample: str) -> str:
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class _Row:
    number: int  # CSV: spreadsheet row (header = 1); JSONL: line number
    cid: str | None  # conversation id of a message row; None for a whole-conversation row
    learner: str = ""
    message: dict[str, Any] | None = None  # a message row
    channel: str = ""
    transcript: bytes | None = None  # a whole-conversation row (bytes for the parser)
    name_suffix: str = ""  # "#row5", "#C17"
    error: ReplyCheckError | None = None


def _csv_rows(stream: IO[str], index: TableIndex, display: str, options: InputOptions, indexing: bool) -> Iterator[_Row]:
    csv.field_size_limit(max(csv.field_size_limit(), options.max_bytes * 2))
    reader = csv.reader(stream, delimiter=index.delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty", source=display) from None
    except csv.Error as exc:
        raise InputError(f"not a valid CSV file: {exc}", source=display, line=1) from None
    header = [h.strip() for h in header]
    if indexing:
        cols = _csv_layout(header, display, options)
        index.columns, index.mode = cols, ("messages" if "role" in cols else "conversations")
    cols = index.columns
    pos = {c: header.index(actual) for c, actual in cols.items()}
    number = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"not a valid CSV file: {exc}", source=display, line=reader.line_num) from None
        number += 1
        if not any(v.strip() for v in values):
            continue  # blank line between rows

        def get(name: str) -> str:
            i = pos.get(name)
            return values[i].strip() if i is not None and i < len(values) else ""

        learner = get("learner")
        if index.mode == "messages":
            cid = get("id") if "id" in pos else ""
            if "id" in pos and not cid:
                yield _Row(number, f"\x00row{number}", error=InputError("this message row has no conversation id",
                                                                        source=display, line=number))
                continue
            message = {"role": get("role"), "text": values[pos["text"]] if pos["text"] < len(values) else ""}
            for extra in ("time", "speaker", "subject"):
                if get(extra):
                    message[extra] = get(extra)
            yield _Row(number, cid, learner=learner, message=message, channel=get("channel").lower())
        else:
            cid = get("id")
            text = values[pos["transcript"]] if pos["transcript"] < len(values) else ""
            yield _Row(number, None, learner=learner, channel=get("channel").lower(), transcript=text.encode("utf-8"),
                       name_suffix=f"#{cid}" if cid else f"#row{number}")


def _csv_layout(header: list[str], display: str, options: InputOptions) -> dict[str, str]:
    found: dict[str, str] = {}
    id_col = _pick(header, options.conversation_column or ID_COLUMNS)
    if options.conversation_column and id_col is None:
        raise InputError(f"no column called {options.conversation_column!r} (columns: {', '.join(header)})", source=display, line=1)
    role = _pick(header, ROLE_COLUMNS)
    text = _pick(header, TEXT_COLUMNS)
    transcript = _pick(header, TRANSCRIPT_COLUMNS)
    if role and text:
        found.update(role=role, text=text)
    elif transcript or text:
        found["transcript"] = transcript or text
    else:
        raise InputError(
            "cannot tell the table's layout: expected 'role' and 'text' columns (one row per message) or a "
            f"'transcript' column (one row per conversation); the columns are: {', '.join(header) or 'none'}",
            source=display, line=1)
    if id_col:
        found["id"] = id_col
    for name, wanted in (("time", TIME_COLUMNS), ("speaker", SPEAKER_COLUMNS), ("channel", ("channel",)),
                         ("subject", ("subject",)), ("learner", options.learner_column or LEARNER_COLUMNS)):
        col = _pick(header, wanted)
        if col and col not in found.values():
            found[name] = col
    if options.learner_column and "learner" not in found and options.learner_from in ("auto", "column"):
        raise InputError(f"no learner column called {options.learner_column!r} (columns: {', '.join(header)})",
                         source=display, line=1)
    return found


def _jsonl_rows(stream: IO[str], index: TableIndex, display: str, options: InputOptions, indexing: bool) -> Iterator[_Row]:
    learner_keys = (options.learner_column,) if options.learner_column else LEARNER_COLUMNS
    id_keys = (options.conversation_column,) if options.conversation_column else ID_COLUMNS
    any_line = False
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        any_line = True
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _Row(number, None, name_suffix=f"#line{number}",
                       error=InputError(f"invalid JSON: {exc.msg}", source=display, line=number))
            continue
        except (ValueError, RecursionError) as exc:  # a number too long for Python, nesting too deep
            why = "nested too deeply" if isinstance(exc, RecursionError) else "a number too long to read"
            yield _Row(number, None, name_suffix=f"#line{number}",
                       error=InputError(f"cannot read this line: {why}", source=display, line=number))
            continue
        if not isinstance(obj, dict):
            yield _Row(number, None, name_suffix=f"#line{number}",
                       error=InputError("each line must be a JSON object", source=display, line=number))
            continue
        learner = next((str(obj[k]).strip() for k in learner_keys if obj.get(k) not in (None, "")), "")
        cid_value = next((obj[k] for k in id_keys if obj.get(k) not in (None, "")), None)
        cid = None if cid_value is None else str(cid_value)
        channel = str(obj.get("channel") or "").lower()
        if isinstance(obj.get("messages"), list) or isinstance(obj.get("transcript"), str):
            suffix = f"#{cid}" if cid else f"#line{number}"
            try:
                if isinstance(obj.get("messages"), list):
                    body = {k: v for k, v in obj.items() if k not in learner_keys}
                    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                else:
                    data = obj["transcript"].encode("utf-8")
            except (ValueError, RecursionError, UnicodeError):  # nesting too deep, a lone surrogate
                yield _Row(number, None, name_suffix=suffix, error=InputError(
                    "cannot read this line: nested too deeply or holding invalid characters", source=display, line=number))
                continue
            yield _Row(number, None, learner=learner, channel=channel, transcript=data, name_suffix=suffix)
        elif "role" in obj and any(k in obj for k in TEXT_COLUMNS):
            text = next(obj[k] for k in TEXT_COLUMNS if k in obj)
            message = {"role": obj.get("role"), "text": text}
            for extra in ("time", "speaker", "subject"):
                if obj.get(extra) not in (None, ""):
                    message[extra] = obj[extra]
            yield _Row(number, cid if cid is not None else "", learner=learner, message=message, channel=channel)
        else:
            yield _Row(number, None, name_suffix=f"#line{number}", error=InputError(
                'a line must be a message {"conversation_id", "role", "text"} or a conversation '
                '{"messages": [...]} / {"transcript": "..."}', source=display, line=number))
    if not any_line and indexing:
        raise InputError("the file is empty", source=display)


def _table_rows(fh: IO[bytes], entry: Entry, options: InputOptions) -> Iterator[_Row]:
    index = entry.table
    stream = _text_stream(fh, index.encoding)
    try:
        if index.kind == "csv":
            yield from _csv_rows(stream, index, entry.display, options, indexing=False)
        else:
            yield from _jsonl_rows(stream, index, entry.display, options, indexing=False)
    finally:
        try:
            stream.detach()  # the caller closes the file
        except ValueError:
            pass


def _table_submissions(fh: IO[bytes], entry: Entry, options: InputOptions) -> Iterator[Submission]:
    """Second pass: group message rows into conversations, yielding each when its last row is read."""
    index = entry.table
    open_convs: dict[str, dict[str, Any]] = {}
    for row in _table_rows(fh, entry, options):
        if row.cid is None:
            learner = _learner(entry, options, row.learner)
            if row.error is not None:
                yield Submission(key=entry.key + row.name_suffix, file=entry.display + row.name_suffix, learner=learner,
                                 name=entry.display + row.name_suffix, line=row.number, error=row.error)
            else:
                yield Submission(key=entry.key + row.name_suffix, file=entry.display + row.name_suffix, learner=learner,
                                 name=entry.display + row.name_suffix, data=row.transcript,
                                 channel=row.channel if row.channel in ("chat", "email") else "auto", line=row.number)
            continue
        conv = open_convs.setdefault(row.cid, {"messages": [], "learner": "", "channel": "", "line": row.number,
                                               "error": None})
        if row.error is not None and conv["error"] is None:
            conv["error"] = row.error
        if row.message is not None:
            conv["messages"].append(row.message)
        conv["learner"] = conv["learner"] or row.learner
        conv["channel"] = conv["channel"] or row.channel
        if index.last_row.get(row.cid) == row.number:
            del open_convs[row.cid]
            yield _conversation_submission(entry, options, row.cid, conv)
    for cid, conv in open_convs.items():  # the file changed between the two passes
        yield _conversation_submission(entry, options, cid, conv)


def _conversation_submission(entry: Entry, options: InputOptions, cid: str, conv: dict[str, Any]) -> Submission:
    suffix = f"#{cid}" if cid and not cid.startswith("\x00") else (f"#{cid[1:]}" if cid else "")
    learner = _learner(entry, options, conv["learner"])
    common = dict(key=entry.key + suffix, file=entry.display + suffix, learner=learner, name=entry.display + suffix,
                  line=conv["line"])
    if conv["error"] is not None:
        return Submission(error=conv["error"], **common)
    body: dict[str, Any] = {}
    if conv["channel"] in ("chat", "email"):
        body["channel"] = conv["channel"]
    body["messages"] = conv["messages"]
    try:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError, UnicodeError):  # nesting too deep, a lone surrogate
        return Submission(error=InputError("cannot read this conversation: nested too deeply or holding invalid "
                                           "characters", source=entry.display, line=conv["line"]), **common)
    return Submission(data=data, **common)


# ---------------------------------------------------------------- reading


def _learner(entry: Entry, options: InputOptions, column_value: str = "") -> str:
    how = options.learner_from
    if how in ("auto", "column") and column_value:
        return column_value
    if how == "folder":
        return entry.folder
    if how == "file":
        return entry.stem
    return entry.folder if entry.in_subfolder else entry.stem


class _ZipCache:
    """Keeps the zip (and the zip inside it) of the last member read open for the next one."""

    def __init__(self):
        self._outer: tuple[Path, zipfile.ZipFile] | None = None
        self._inner: tuple[tuple[Path, str], zipfile.ZipFile] | None = None

    def open_member(self, entry: Entry) -> IO[bytes]:
        if self._outer is None or self._outer[0] != entry.path:
            self.close()
            self._outer = (entry.path, zipfile.ZipFile(entry.path))
        zf = self._outer[1]
        if len(entry.members) == 2:
            if self._inner is None or self._inner[0] != (entry.path, entry.members[0]):
                if self._inner is not None:
                    self._inner[1].close()
                self._inner = ((entry.path, entry.members[0]), zipfile.ZipFile(io.BytesIO(zf.read(entry.members[0]))))
            zf = self._inner[1]
        return zf.open(entry.members[-1])

    def close(self) -> None:
        if self._inner is not None:
            self._inner[1].close()
            self._inner = None
        if self._outer is not None:
            self._outer[1].close()
            self._outer = None


def _open(entry: Entry, zips: _ZipCache) -> IO[bytes]:
    return zips.open_member(entry) if entry.members else entry.path.open("rb")


def iter_submissions(plan: Plan) -> Iterator[Submission]:
    """Stream the plan, one input at a time, in plan order."""
    options = plan.options
    zips = _ZipCache()
    try:
        for entry in plan.entries():
            learner = _learner(entry, options)
            common = dict(key=entry.key, file=entry.display, learner=learner, name=entry.display)
            if entry.kind == "error":
                yield Submission(error=entry.error, **common)
                continue
            try:
                fh = _open(entry, zips)
            except (OSError, zipfile.BadZipFile, EOFError, RuntimeError, KeyError) as exc:
                reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                yield Submission(error=InputError(f"cannot read the file: {reason}", source=entry.display), **common)
                continue
            with fh:
                if entry.kind == "table":
                    try:
                        yield from _table_submissions(fh, entry, options)
                    except ReplyCheckError as exc:
                        yield Submission(error=exc, **common)
                    except (OSError, UnicodeDecodeError, zipfile.BadZipFile, EOFError) as exc:
                        yield Submission(error=InputError(f"cannot read the file: {exc}", source=entry.display), **common)
                    except (ValueError, RecursionError, csv.Error) as exc:  # the rest of the table cannot be read
                        yield Submission(error=InputError(f"cannot read the rest of the file ({type(exc).__name__}: "
                                                          f"{str(exc)[:200]})", source=entry.display), **common)
                    continue
                try:
                    data = fh.read(options.max_bytes + 1)
                except (OSError, zipfile.BadZipFile, EOFError, RuntimeError) as exc:
                    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                    yield Submission(error=InputError(f"cannot read the file: {reason}", source=entry.display), **common)
                    continue
            yield Submission(data=data, **common)
    finally:
        zips.close()
