"""The hostile-input suite: what a hostile or careless user sends, against the real CLI, rule-set
loader, batch and web app (issue 10). Prints each failure and the totals; exits 1 when any case
ends in a traceback, a hang, a lost input or a wrong status.

    .venv/bin/python benchmarks/hostile.py [--subprocess] [--only AREA] [--list]

Areas: encodings, sizes, blanks, nesting, numbers, regexes (rule sets), usage, zips, symlinks,
permissions, batch (tables), signals, stores (corrupt results.sqlite), web (HTML/XSS, CSRF,
413, API misuse, overrun).

How each kind of case runs
    CLI cases call ``checker.cli.main`` (the console script's entry point) in a forked child
    with the spaCy model already loaded, standard input and output redirected, and a time
    limit (``--subprocess``: a fresh ``python -m checker.cli`` each, slower). Batch, signal and
    store cases run ``python -m checker.cli batch``/``results`` as a user would. Web cases start
    ``replycheck serve`` (``python -m checker.cli serve``) on a free loopback port with 2 check
    processes and a 6 s limit, and send real HTTP requests.

What counts
    traceback   "Traceback" in any output, or a 500 from the web app;
    hang        no answer within the case's limit (60 s; 120 s for a batch);
    slow        a "blanks" case (long runs of spaces or tabs where headings are looked for) taking 5 s
                more than a check of the plain chat in the same run: more is a pattern backtracking;
    lost input  a batch input missing from results.csv and errors.csv, a batch failure of the
                input's own making classed ``internal``, or content silently dropped (exit 0
                with fewer messages than sent);
    status      an exit code or HTTP status other than the documented one, or an error that is
                not one line.
Cases marked [parse] exercise checker/parse (decoding, line separators, JSON/quote nesting,
.eml bodies), which is rewritten on another branch; the totals list them separately.
"""
from __future__ import annotations

import argparse
import codecs
import csv
import gzip
import http.client
import io
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CLI_TIMEOUT = 60.0
SLOW = 5.0  # seconds a "blanks" case may take beyond the plain chat's check, measured in the same run
BASELINE: list[float] = []  # the plain chat's check, in seconds
BATCH_TIMEOUT = 120.0

CHAT = ("Agent: Hello, you're through to Sam at Brightwave. How can I help today?\n"
        "Customer: My parcel hasn't arrived and I'm annoyed.\n"
        "Agent: I'm sorry your parcel is late. Could you confirm your postcode, please?\n"
        "Customer: AB1 2CD\n"
        "Agent: Thank you. It will arrive tomorrow. Does that answer your question?\n"
        "Customer: Yes thanks\n"
        "Agent: Thanks for contacting us. Have a lovely day.\n")
TURNS = 7


@dataclass
class Result:
    area: str
    name: str
    problem: str | None = None  # traceback | hang | slow | lost | status
    detail: str = ""
    parse_area: bool = False
    seconds: float | None = None  # how long the case took, where its time is judged


@dataclass
class Run:
    code: int | None
    out: bytes
    err: bytes
    hung: bool = False
    seconds: float = 0.0


RESULTS: list[Result] = []


def record(area: str, name: str, problem: str | None = None, detail: str = "", parse_area: bool = False,
           seconds: float | None = None) -> None:
    RESULTS.append(Result(area, name, problem, detail[:300], parse_area, seconds))


# ---------------------------------------------------------------- running the CLI

class Cli:
    def __init__(self, use_subprocess: bool):
        self.use_subprocess = use_subprocess
        if not use_subprocess:
            import checker.cli  # noqa: F401  (everything a check imports, loaded once before forking)
            import checker.parse  # noqa: F401
            import checker.rules.loader  # noqa: F401
            from checker.nlp import DEFAULT_MODEL, load_model

            load_model(DEFAULT_MODEL)

    def run(self, argv: list[str], stdin: bytes = b"", timeout: float = CLI_TIMEOUT, cwd: Path | None = None) -> Run:
        started = time.monotonic()
        if self.use_subprocess:
            try:
                p = subprocess.run([PY, "-m", "checker.cli", *argv], input=stdin, capture_output=True, timeout=timeout,
                                   cwd=cwd or ROOT)
                return Run(p.returncode, p.stdout, p.stderr, seconds=time.monotonic() - started)
            except subprocess.TimeoutExpired as exc:
                return Run(None, exc.stdout or b"", exc.stderr or b"", hung=True, seconds=timeout)
        with tempfile.TemporaryDirectory() as tmp:
            fin, fout, ferr = (Path(tmp) / n for n in ("in", "out", "err"))
            fin.write_bytes(stdin)
            pid = os.fork()
            if pid == 0:  # child: the real entry point, output to files
                try:
                    if cwd:
                        os.chdir(cwd)
                    for fd, path, mode in ((0, fin, os.O_RDONLY), (1, fout, os.O_WRONLY | os.O_CREAT),
                                           (2, ferr, os.O_WRONLY | os.O_CREAT)):
                        os.dup2(os.open(path, mode, 0o600), fd)
                    code = 0
                    try:
                        from checker.cli import main

                        main(argv)
                    except SystemExit as exc:
                        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                    except BaseException:
                        import traceback

                        traceback.print_exc()
                        code = 99
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(locals().get("code", 98))
            deadline = time.monotonic() + timeout
            while True:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    return Run(None, fout.read_bytes(), ferr.read_bytes(), hung=True, seconds=timeout)
                time.sleep(0.02)
            code = os.waitstatus_to_exitcode(status)
            return Run(code, fout.read_bytes(), ferr.read_bytes(), seconds=time.monotonic() - started)


def judge_cli(area: str, name: str, run: Run, codes: set[int], *, one_line: bool = True, turns: int | None = None,
              must_not: tuple[bytes, ...] = (), parse_area: bool = False, max_seconds: float | None = None) -> None:
    """codes: the exit codes the documentation allows; one_line: an error is one line on stderr."""
    text = run.out + run.err
    if run.hung:
        return record(area, name, "hang", f"no answer in {run.seconds:.0f} s", parse_area)
    if max_seconds is not None and run.seconds > max_seconds + BASELINE[0]:
        return record(area, name, "slow", f"{run.seconds:.1f} s (the plain chat {BASELINE[0]:.1f} s)", parse_area)
    if b"Traceback" in text:
        return record(area, name, "traceback", run.err.decode(errors="replace")[-300:], parse_area)
    if run.code not in codes:
        return record(area, name, "status", f"exit {run.code} (expected {sorted(codes)}): "
                      f"{run.err.decode(errors='replace')[:200]}", parse_area)
    if run.code == 2 and one_line and run.err.decode(errors="replace").count("\n") != 1:
        return record(area, name, "status", f"not one line: {run.err.decode(errors='replace')[:200]!r}", parse_area)
    for bad in must_not:
        if bad in text:
            return record(area, name, "lost", f"output holds {bad!r} (content changed)", parse_area)
    if turns is not None and run.code == 0:
        try:
            got = len(json.loads(run.out)["turns"])
        except (ValueError, KeyError):
            return record(area, name, "status", "exit 0 without report JSON", parse_area)
        if got != turns:
            return record(area, name, "lost", f"{got} messages read of {turns} sent (exit 0)", parse_area)
    record(area, name, None, parse_area=parse_area, seconds=run.seconds if max_seconds is not None else None)


# ---------------------------------------------------------------- transcripts

def chat_lines(n: int, text: str = "Hello {i}") -> str:
    return "".join(f"Agent: {text.format(i=i)}\nCustomer: Hi there {i}\n" for i in range(n))


def json_chat(**extra) -> dict:
    return {"channel": "chat", "messages": [{"role": "agent", "text": "Hello, how can I help?"},
                                            {"role": "customer", "text": "My order is late."},
                                            {"role": "agent", "text": "Sorry. It comes tomorrow. Bye."}], **extra}


def check_cases() -> list[tuple[str, str, bytes, str, set[int], dict]]:
    """(area, name, bytes, suffix, exit codes, judge options) for ``replycheck check FILE --format json``."""
    ok = {0, 2}
    cases = [
        # encodings
        ("encodings", "utf-8 with BOM", codecs.BOM_UTF8 + CHAT.encode(), ".txt", {0}, {"turns": TURNS}),
        ("encodings", "utf-16 LE with BOM", CHAT.encode("utf-16"), ".txt", {0}, {"turns": TURNS}),
        ("encodings", "utf-16 BE with BOM", codecs.BOM_UTF16_BE + CHAT.encode("utf-16-be"), ".txt", {0}, {"turns": TURNS}),
        ("encodings", "utf-16 LE without BOM", CHAT.encode("utf-16-le"), ".txt", ok, {}),
        ("encodings", "utf-32", CHAT.encode("utf-32"), ".txt", ok, {}),
        ("encodings", "windows-1252 pound sign", CHAT.replace("late", "late, £20").encode("cp1252"), ".txt", {0},
         {"turns": TURNS, "must_not": ("Â£".encode(),)}),
        ("encodings", "invalid utf-8 in mostly utf-8", CHAT.replace("late", "late, £20 \x00").encode().replace(b"\x00", b"\xff"),
         ".txt", ok, {"must_not": ("Â£".encode(),), "parse_area": True}),
        ("encodings", "NUL bytes", CHAT.encode().replace(b"Hello", b"Hel\x00lo"), ".txt", ok, {}),
        ("encodings", "PNG image", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, ".txt", {2}, {}),
        ("encodings", "gzip", gzip.compress(CHAT.encode()), ".txt", {2}, {}),
        ("encodings", "PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", ".pdf", {2}, {}),
        ("encodings", "empty", b"", ".txt", {2}, {}),
        ("encodings", "only whitespace", b"  \n\t\n  \r\n", ".txt", {2}, {}),
        ("encodings", "only a BOM", codecs.BOM_UTF8, ".txt", {2}, {}),
        ("encodings", "CRLF", CHAT.replace("\n", "\r\n").encode(), ".txt", {0}, {"turns": TURNS}),
        ("encodings", "CR only", CHAT.replace("\n", "\r").encode(), ".txt", {0}, {"turns": TURNS}),
        ("encodings", "U+2028 line separators", CHAT.replace("\n", "\u2028").encode(), ".txt", {0, 2},
         {"turns": TURNS, "parse_area": True}),
        ("encodings", "U+0085 next line", CHAT.replace("\n", "\u0085").encode(), ".txt", {0, 2},
         {"turns": TURNS, "parse_area": True}),
        ("encodings", "RTL override and zero-width", CHAT.replace("Sam", "S\u202eam\u200b\u200d").encode(), ".txt", {0},
         {"turns": TURNS}),
        ("encodings", "emoji and combining marks", CHAT.replace("lovely", "lovely 😀👍🏽 e\u0301").encode(), ".txt", {0},
         {"turns": TURNS}),
        ("encodings", "CESU surrogate bytes", CHAT.encode().replace(b"lovely", b"lovely \xed\xa0\xbd"), ".txt", ok, {}),
        ("encodings", "overlong utf-8", CHAT.encode().replace(b"lovely", b"lovely \xc0\xaf"), ".txt", ok, {}),
        ("encodings", "lone surrogate in JSON", json.dumps(json_chat()).replace("Bye.", "Bye \\ud83d").encode(), ".json",
         {2}, {"parse_area": True}),
        ("encodings", "JSON with BOM", codecs.BOM_UTF8 + json.dumps(json_chat()).encode(), ".json", {0}, {"turns": 3}),
        ("encodings", "control characters", CHAT.replace("Hello", "Hello\x07\x1b[31m").encode(), ".txt", {0},
         {"turns": TURNS}),
        # sizes
        ("sizes", "1 MiB message", ("Agent: Hello\nCustomer: " + "word " * 210_000 + "\n").encode(), ".txt", {2}, {}),
        ("sizes", "over 2 MB", ("Agent: Hello\nCustomer: " + "word " * 420_000 + "\n").encode(), ".txt", {2}, {}),
        ("sizes", "50,000 short turns", chat_lines(25_000).encode(), ".txt", {2}, {}),
        ("sizes", "1,200 turns", chat_lines(600).encode(), ".txt", {2}, {}),
        ("sizes", "500 turns", chat_lines(250).encode(), ".txt", {0}, {"turns": 500}),
        ("sizes", "20,001-character message", ("Agent: Hello\nCustomer: " + "x" * 20_001 + "\n").encode(), ".txt", {2}, {}),
        ("sizes", "200 KB line without speakers", ("word " * 40_000).encode(), ".txt", {2}, {}),
        ("sizes", "very long speaker name", ("A" * 5000 + ": hello\nCustomer: hi\n").encode(), ".txt", ok, {}),
        ("sizes", "100,000 blank lines", ("\n" * 100_000 + CHAT).encode(), ".txt", {0}, {"turns": TURNS}),
        ("sizes", "one 50,000-character word", ("Agent: " + "a" * 50_000 + "\nCustomer: hi\n").encode(), ".txt", {2}, {}),
        ("sizes", "JSON with 5,000 messages", json.dumps({"messages": [{"role": "agent", "text": "hi"}] * 5000}).encode(),
         ".json", {2}, {}),
        # blanks: runs of spaces or tabs on lines the readers test for headings, dates and system lines
        ("blanks", "a line of 20,000 spaces", CHAT.replace("Customer: AB1", " " * 20_000 + "\nCustomer: AB1").encode(),
         ".txt", {0}, {"turns": TURNS, "max_seconds": SLOW, "parse_area": True}),
        ("blanks", "a line of 20,000 tabs", CHAT.replace("Customer: AB1", "\t" * 20_000 + "x\nCustomer: AB1").encode(),
         ".txt", ok, {"max_seconds": SLOW, "parse_area": True}),
        ("blanks", "'Response', 1,500 spaces, 'x'", ("Response" + " " * 1500 + "x\n" + CHAT).encode(), ".txt", ok,
         {"max_seconds": SLOW, "parse_area": True}),
        ("blanks", "20 padded reply headings under a rating",
         ("★★★★☆\nGreat service\n" + ("Reply from A" + " " * 186 + " 1\n") * 20 + "Thanks for the review.\n").encode(),
         ".txt", ok, {"max_seconds": SLOW, "parse_area": True}),
        ("blanks", "200 padded post headings", (("Jo " + " " * 150 + "@x\n") * 200 + CHAT).encode(), ".txt", ok,
         {"max_seconds": SLOW, "parse_area": True}),
        ("blanks", "200 padded dots", ((" " * 190 + "·\n") * 200 + CHAT).encode(), ".txt", ok,
         {"max_seconds": SLOW, "parse_area": True}),
        ("blanks", "50 padded action headings", (("Jo replied" + " " * 180 + ")\n") * 50 + CHAT).encode(), ".txt", ok,
         {"max_seconds": SLOW, "parse_area": True}),
        ("blanks", "a name, 2,000 spaces, a colon", CHAT.replace("Customer: AB1", "Jo" + " " * 2000 + ":x\nCustomer: AB1").encode(),
         ".txt", ok, {"max_seconds": SLOW, "parse_area": True}),
        # nesting
        ("nesting", "JSON nested 100,000 deep", ("[" * 100_000 + "]" * 100_000).encode(), ".json", {2},
         {"parse_area": True}),
        ("nesting", "JSON messages nested 10,000 deep",
         ('{"messages": ' + "[" * 10_000 + "]" * 10_000 + "}").encode(), ".json", {2}, {"parse_area": True}),
        ("nesting", "JSON text as a nested object",
         json.dumps({"messages": [{"role": "agent", "text": {"a": [[[["x"]]]]}}]}).encode(), ".json", {2}, {}),
        ("nesting", "JSON top-level array", json.dumps([json_chat()]).encode(), ".json", {2}, {}),
        ("nesting", "email with 1,000 levels of > quoting",
         ("From: sam@example.com\nSubject: Re: order\n\nHello Priya,\nIt comes tomorrow.\nKind regards,\nSam\n\n"
          + "".join(">" * i + " line\n" for i in range(1, 1001))).encode(), ".txt", ok, {"parse_area": True}),
        ("nesting", "email with 50 levels of > quoting",
         ("From: sam@example.com\nSubject: Re: order\n\nHello Priya,\nIt comes tomorrow.\nKind regards,\nSam\n\n"
          + "".join(">" * i + " line\n" for i in range(1, 51))).encode(), ".txt", ok, {}),
        ("nesting", "chat saved as .eml", CHAT.encode(), ".eml", {0, 2}, {"turns": TURNS, "parse_area": True}),
        ("nesting", ".eml with a binary base64 body",
         (b"From: a@example.com\nTo: b@example.com\nSubject: x\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
          + codecs.encode(bytes(range(256)) * 4, "base64")), ".eml", {2}, {"parse_area": True}),
        ("nesting", "multipart .eml 200 parts deep",
         (b"From: a@example.com\nSubject: x\n" + b"".join(f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n".encode()
                                                           for i in range(200)) + b"Content-Type: text/plain\n\nhello\n"),
         ".eml", ok, {}),
        # numbers
        ("numbers", "JSON time with 5,000 digits", json.dumps(json_chat()).replace('"Hello, how can I help?"',
         '"Hello, how can I help?", "time": ' + "9" * 5000).encode(), ".json", {2}, {"parse_area": True}),
        ("numbers", "JSON time NaN", json.dumps(json_chat()).replace('"Hello, how can I help?"',
         '"Hello, how can I help?", "time": NaN').encode(), ".json", ok, {"must_not": (b"NaN,", b": NaN")}),
        ("numbers", "JSON time Infinity", json.dumps(json_chat()).replace('"Hello, how can I help?"',
         '"Hello, how can I help?", "time": Infinity').encode(), ".json", ok, {"must_not": (b": Infinity",)}),
        ("numbers", "JSON time 1e400", json.dumps(json_chat()).replace('"Hello, how can I help?"',
         '"Hello, how can I help?", "time": 1e400').encode(), ".json", ok, {"must_not": (b": Infinity",)}),
        ("numbers", "JSON time -1", json.dumps(json_chat()).replace('"Hello, how can I help?"',
         '"Hello, how can I help?", "time": -1').encode(), ".json", ok, {}),
        ("numbers", "JSON role as a number", json.dumps({"messages": [{"role": 7, "text": "hi"}]}).encode(), ".json",
         {2}, {}),
        ("numbers", "JSON channel as a number", json.dumps(json_chat(channel=3)).encode(), ".json", ok, {}),
        ("numbers", "JSON messages as a number", json.dumps({"messages": 12}).encode(), ".json", {2}, {}),
        ("numbers", "JSON 400-digit float", json.dumps(json_chat()).replace('"Hello, how can I help?"',
         '"Hello, how can I help?", "time": 0.' + "1" * 400).encode(), ".json", ok, {}),
        ("numbers", "timestamps 99:99", CHAT.replace("Agent: Hello", "[99:99] Agent: Hello").encode(), ".txt", {0},
         {"turns": TURNS}),
    ]
    return cases


def run_check_cases(cli: Cli, work: Path, only: str | None) -> None:
    for area, name, data, suffix, codes, opts in check_cases():
        if only and only != area:
            continue
        path = work / f"case{len(RESULTS)}{suffix}"
        if "max_seconds" in opts and not BASELINE:
            path.write_bytes(CHAT.encode())
            BASELINE.append(cli.run(["check", str(path), "--format", "json"]).seconds)
        path.write_bytes(data)
        run = cli.run(["check", str(path), "--format", "json"])
        judge_cli(area, name, run, codes, **opts)


# ---------------------------------------------------------------- rule sets (numbers, regexes)

RULE = "id: tone.house_style\ntype: phrase\ncriterion: tone\nmessage: m\nsource: s\nphrases: [x]\n"


def rules_cases(work: Path) -> list[tuple[str, Path, list[str], set[int]]]:
    """(name, path, extra argv, codes) for ``rules check PATH`` (1: invalid) and ``check --rules PATH`` (2)."""
    out = []
    default = ROOT / "checker" / "rules" / "default"

    def folder(name: str, edit) -> Path:
        target = work / "rulesets" / name.replace(" ", "_").replace("/", "_")
        shutil.copytree(default, target)
        edit(target)
        return target

    def rule(extra: str, lists: dict[str, str] | None = None):
        def edit(target: Path) -> None:
            (target / "tone" / "house_style.yml").write_text(RULE + extra + "\n", encoding="utf-8")
            for fname, text in (lists or {}).items():
                (target / "lists" / fname).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return edit

    def centre(name: str, text: str) -> Path:
        path = work / "rulesets" / f"{name.replace(' ', '_')}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    for name, extra in [
        ("weight 10e400 as an integer", "weight: 1" + "0" * 400), ("weight 1.0e+400", "weight: 1.0e+400"),
        ("weight .inf", "weight: .inf"), ("weight .nan", "weight: .nan"), ("weight 5000 digits", "weight: " + "9" * 5000),
        ("weight -1", "weight: -1"), ("weight 1e6", "weight: 1000000"), ("max_findings -5", "max_findings: -5"),
        ("max_findings 5000 digits", "max_findings: " + "5" * 5000), ("scope email_subject", "scope: email_subject"),
        ("scope notes", "scope: notes"), ("pattern (zz|z)+y", "patterns: ['(zz|z)+y']"),
        ("pattern (a+)+b", "patterns: ['(a+)+b']"), ("pattern (a|ab)*c", "patterns: ['(?:a|ab)*c']"),
        ("pattern unclosed", "patterns: ['(unclosed']"), ("python tag", "why: !!python/object/apply:os.system ['true']"),
        ("hex weight", "weight: 0x" + "f" * 60), ("deep YAML", "why: " + "[" * 5000 + "]" * 5000),
        ("billion laughs", "why: &a [x, x, x, x, x, x, x, x, x]\nsuggestion: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                           "praise: [*b, *b, *b, *b, *b, *b, *b, *b, *b]"),
    ]:
        out.append((f"rule {name}", folder(name, rule(extra)), [], {1}))
    for name, line in [("list file (zz|z)+y", "(zz|z)+y"), ("list file unclosed (", "(unclosed"),
                       ("list file (a+)+", "(a+)+$")]:
        out.append((name, folder(name, rule("patterns_from: lists/house.txt", {"house.txt": f"fine\n{line}\n"})), [], {1}))
    out.append(("list file not UTF-8", folder("list latin1", rule("phrases_from: lists/house.txt",
                                                                   {"house.txt": b"caf\xe9\n"})), [], {1}))
    out.append(("ruleset.yml pass_score 5000 digits",
                folder("pass digits", lambda t: (t / "ruleset.yml").write_text("pass_score: " + "9" * 5000 + "\n")), [], {1}))
    out.append(("ruleset.yml pass_score .inf",
                folder("pass inf", lambda t: (t / "ruleset.yml").write_text("pass_score: .inf\n")), [], {1}))
    out.append(("ruleset.yml a list", folder("meta list", lambda t: (t / "ruleset.yml").write_text("[1, 2]\n")), [], {1}))
    out.append(("criteria weight .inf", folder("crit inf", lambda t: (t / "criteria.yml").write_text(
        (t / "criteria.yml").read_text().replace("    weight: 1\n", "    weight: .inf\n", 1))), [], {1}))
    out.append(("centre criterion weight 1.0e+999", centre("centre inf", "extends: default\ncriteria:\n  tone:\n    weight: 1.0e+999\n"), [], {1}))
    out.append(("centre pass_score 5000 digits", centre("centre digits", "extends: default\npass_score: " + "7" * 5000 + "\n"), [], {1}))
    out.append(("centre new rule (zz|z)+y", centre("centre regex", """\
        extends: default
        new_rules:
          - id: tone.house
            type: phrase
            criterion: tone
            message: m
            source: s
            patterns: ['(zz|z)+y']
        """), [], {1}))
    loop_a = centre("loop a", "extends: loop_b.yml\n")
    centre("loop b", "extends: loop_a.yml\n")
    out.append(("centre extends loop", loop_a, [], {1}))
    out.append(("centre extends missing", centre("missing base", "extends: nowhere.yml\n"), [], {1}))
    out.append(("centre not UTF-8", _write(work / "rulesets" / "latin1.yml", b"extends: default\nname: caf\xe9\n"), [], {1}))
    return out


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def run_rules_cases(cli: Cli, work: Path) -> None:
    sample = work / "rules_sample.txt"
    sample.write_text(CHAT, encoding="utf-8")
    for name, path, extra, codes in rules_cases(work):
        run = cli.run(["rules", "check", str(path), *extra])
        judge_cli("regexes", f"rules check: {name}", run, codes, one_line=False)
        if name in ("rule weight .inf", "rule scope email_subject", "rule pattern (zz|z)+y", "list file (zz|z)+y",
                    "centre criterion weight 1.0e+999"):
            run = cli.run(["check", str(sample), "--rules", str(path)])
            judge_cli("regexes", f"check --rules: {name}", run, {2}, one_line=False)
    # labels for 'replycheck eval'
    for name, text in [("labels 5000 digits", "a.txt:\n  labels: {tone: met}\n  agent: " + "1" * 5000 + "\n"),
                       ("labels .inf", "a.txt:\n  labels: {tone: met}\n  agent: .inf\n"),
                       ("labels nested", "[" * 5000 + "]" * 5000 + "\n"), ("labels a list", "- a\n- b\n")]:
        corpus = work / "corpus" / name.replace(" ", "_")
        corpus.mkdir(parents=True)
        (corpus / "a.txt").write_text(CHAT, encoding="utf-8")
        (corpus / "labels.yml").write_text(text, encoding="utf-8")
        judge_cli("numbers", f"eval {name}", cli.run(["eval", str(corpus)]), {2})


# ---------------------------------------------------------------- usage

def run_usage_cases(cli: Cli, work: Path) -> None:
    fifo = work / "pipe.txt"
    os.mkfifo(fifo)
    folder = work / "a_folder"
    folder.mkdir()
    cases = [
        ("no arguments to check", ["check"], {2}), ("missing corpus", ["eval"], {2}),
        ("bad --format", ["check", "-", "--format", "xml"], {2}), ("negative --timeout", ["check", "-", "--timeout", "-1"], {2}),
        ("no such file", ["check", str(work / "nope.txt")], {2}), ("a FIFO as FILE", ["check", str(fifo)], {2}),
        ("a folder as FILE", ["check", str(folder)], {2}), ("unknown command", ["frobnicate"], {2}),
        ("batch without --out", ["batch", str(folder)], {2}), ("batch missing input", ["batch", "nope", "--out", "o"], {2}),
        ("results of a folder without results", ["results", str(folder)], {2}),
        ("bad --status", ["results", str(folder), "--status", "great"], {2}),
        ("unknown rule set name", ["check", "-", "--rules", "no_such_rules"], {2}),
        ("serve bad port", ["serve", "--port", "70000"], {2}),
        ("--jobs 0", ["batch", str(folder), "--out", str(work / "o"), "--jobs", "0"], {2}),
        ("check --agent with no transcript", ["check", "-", "--agent", "Sam"], {2}),
    ]
    for name, argv, codes in cases:
        judge_cli("usage", name, cli.run(argv, stdin=b"", cwd=work), codes)


# ---------------------------------------------------------------- batch inputs

def zip_bytes(members: dict[str, bytes], encrypt_flag: set[str] = frozenset()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in encrypt_flag:
                info.flag_bits |= 0x1
            zf.writestr(info, data)
    return buf.getvalue()


def batch_inputs(root: Path) -> dict[str, tuple[str, str]]:
    """Build a hostile cohort; display name → (area, expected: scored | failed | duplicate | any)."""
    expect: dict[str, tuple[str, str]] = {}

    def put(rel: str, data: bytes, area: str, outcome: str) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expect[f"cohort/{rel}"] = (area, outcome)

    put("good/chat.txt", CHAT.encode(), "batch", "scored")
    put("good/email.eml", b"From: Sam <sam@example.com>\nTo: p@example.com\nSubject: Re: order\n\nHello Priya,\n\n"
        b"Thank you for your email. Your order will arrive tomorrow.\n\nKind regards,\nSam\n", "batch", "any")
    put("enc/png.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "encodings", "failed")
    put("enc/empty.txt", b"", "encodings", "failed")
    put("enc/utf16.txt", CHAT.replace("Sam", "Samira").encode("utf-16"), "encodings", "scored")
    put("sizes/mib.txt", ("Agent: Hello\nCustomer: " + "word " * 210_000 + "\n").encode(), "sizes", "failed")
    put("sizes/turns.txt", chat_lines(25_000).encode(), "sizes", "failed")
    put("nesting/deep.json", ("[" * 100_000 + "]" * 100_000).encode(), "nesting", "failed")
    put("numbers/digits.json", json.dumps(json_chat()).replace('"Hello, how can I help?"',
        '"Hello, how can I help?", "time": ' + "9" * 5000).encode(), "numbers", "failed")
    put("numbers/surrogate.json", json.dumps(json_chat()).replace("Bye.", "Bye \\ud83d").encode(), "encodings", "failed")
    put("zips/slip.zip", zip_bytes({"ok.txt": CHAT.replace("Sam", "Zed").encode(), "../evil.txt": CHAT.encode(),
                                    "/abs/evil.txt": CHAT.encode(), "a/../../evil2.txt": CHAT.encode()}), "zips", "-")
    expect.update({"cohort/zips/slip.zip/ok.txt": ("zips", "scored"), "cohort/zips/slip.zip/../evil.txt": ("zips", "failed"),
                   "cohort/zips/slip.zip//abs/evil.txt": ("zips", "failed"),
                   "cohort/zips/slip.zip/a/../../evil2.txt": ("zips", "failed")})
    del expect["cohort/zips/slip.zip"]
    put("zips/corrupt.zip", b"PK\x03\x04" + b"\x00" * 100, "zips", "failed")
    put("zips/encrypted.zip", zip_bytes({"secret.txt": b"x"}, {"secret.txt"}), "zips", "-")
    del expect["cohort/zips/encrypted.zip"]
    expect["cohort/zips/encrypted.zip/secret.txt"] = ("zips", "failed")
    put("zips/bomb.zip", zip_bytes({"zeros.txt": b"\x00" * (50 * 1024 * 1024)}), "zips", "-")
    del expect["cohort/zips/bomb.zip"]
    expect["cohort/zips/bomb.zip/zeros.txt"] = ("zips", "failed")
    inner = zip_bytes({"inner.txt": CHAT.replace("Sam", "Ivo").encode()})
    put("zips/nested.zip", zip_bytes({"inner.zip": inner}), "zips", "-")
    del expect["cohort/zips/nested.zip"]
    expect["cohort/zips/nested.zip/inner.zip/inner.txt"] = ("zips", "scored")
    jsonl = "\n".join([
        json.dumps({"conversation_id": "r1", **json_chat()}),
        '{"conversation_id": "r2", "messages": [{"role": "agent", "text": "hi", "time": ' + "9" * 5000 + "}]}",
        '{"conversation_id": "r3", "messages": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "{not json",
        "[1, 2, 3]",
        json.dumps({"conversation_id": "r6", "messages": [{"role": "agent", "text": "Hello \ud83d"},
                                                          {"role": "customer", "text": "hi"}]}),
    ]) + "\n"
    put("tables/rows.jsonl", jsonl.encode(), "batch", "-")
    del expect["cohort/tables/rows.jsonl"]
    for suffix, outcome in [("#r1", "scored"), ("#line2", "failed"), ("#line3", "failed"), ("#line4", "failed"),
                            ("#line5", "failed"), ("#r6", "failed")]:
        expect[f"cohort/tables/rows.jsonl{suffix}"] = ("batch", outcome)
    put("tables/bigfield.csv", ("conversation_id,transcript\nc1," + '"' + "x" * 3_000_000 + '"\n').encode(), "sizes", "-")
    del expect["cohort/tables/bigfield.csv"]
    expect["cohort/tables/bigfield.csv#c1"] = ("sizes", "failed")
    put("tables/header_only.csv", b"conversation_id,role,text\n", "batch", "failed")
    put("tables/nul.csv", b"conversation_id,role,text\nc1,agent,he\x00llo\nc1,customer,hi\n", "encodings", "-")
    del expect["cohort/tables/nul.csv"]
    expect["cohort/tables/nul.csv#c1"] = ("encodings", "any")
    # links and special files
    (root / "links").mkdir()
    (root / "links" / "loop").symlink_to(root)
    (root / "links" / "self").symlink_to(root / "links" / "self")
    (root / "links" / "dangling.txt").symlink_to(root / "nowhere.txt")
    os.mkfifo(root / "links" / "pipe.txt")
    for name in ("loop", "self", "dangling.txt", "pipe.txt"):
        expect[f"cohort/links/{name}"] = ("symlinks", "failed")
    # permissions (meaningful when the batch runs as an ordinary user)
    put("perm/locked/chat.txt", CHAT.replace("Sam", "Lee").encode(), "permissions", "-")
    del expect["cohort/perm/locked/chat.txt"]
    put("perm/unreadable.txt", CHAT.replace("Sam", "Kim").encode(), "permissions", "failed")
    os.chmod(root / "perm" / "unreadable.txt", 0)
    os.chmod(root / "perm" / "locked", 0)
    expect["cohort/perm/locked"] = ("permissions", "failed")
    return expect


def as_user() -> list[str]:
    """When we are root, run without the capabilities that override file permissions, so an
    unreadable file or folder means something (still root, so the interpreter stays readable)."""
    if os.geteuid() == 0 and shutil.which("setpriv"):
        return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
    return []


def open_up(path: Path) -> None:
    for p in [path, *path.rglob("*")]:
        try:
            if not p.is_symlink() and p.is_dir() and p.name != "locked":
                os.chmod(p, 0o777)
            elif not p.is_symlink() and p.is_file() and p.name != "unreadable.txt":
                os.chmod(p, 0o666)
        except OSError:
            pass


def run_batch_cases(work: Path) -> None:
    base = work / "batch"
    root = base / "cohort"
    root.mkdir(parents=True)
    expect = batch_inputs(root)
    out = base / "out"
    out.mkdir()
    open_up(base)
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(base))
    cmd = as_user() + [PY, "-m", "checker.cli", "batch", str(root), "--out", str(out), "--jobs", "2", "--quiet"]
    started = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=base, capture_output=True, timeout=BATCH_TIMEOUT * 3, env=env)
    except subprocess.TimeoutExpired:
        for display, (area, _) in expect.items():
            record(area, f"batch input {display}", "hang", "the batch did not finish")
        return
    took = time.monotonic() - started
    text = p.stdout + p.stderr
    if b"Traceback" in text or p.returncode not in (1,):
        record("batch", "batch over the hostile cohort", "traceback" if b"Traceback" in text else "status",
               f"exit {p.returncode}: {p.stderr.decode(errors='replace')[-300:]}")
    else:
        record("batch", f"batch over the hostile cohort (exit 1, {took:.0f} s)")
    rows: dict[str, dict[str, str]] = {}
    for name in ("results.csv", "errors.csv"):
        path = out / name
        if path.exists():
            for row in csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")):
                rows[row["file"]] = dict(row, _from=name)
    for display, (area, outcome) in expect.items():
        row = rows.get(display)
        name = f"batch input {display.removeprefix('cohort/')}"
        parse_area = display.endswith(("surrogate.json", "#r6"))
        if row is None:
            record(area, name, "lost", "in neither results.csv nor errors.csv", parse_area)
            continue
        state = "scored" if row["_from"] == "results.csv" else row.get("status", "failed")
        if row.get("error_type") == "internal":
            record(area, name, "lost", f"classed internal (retried every run): {row.get('message', '')}", parse_area)
        elif outcome not in ("any", state):
            record(area, name, "status", f"{state}, expected {outcome}: {row.get('message', '')}", parse_area)
        else:
            record(area, name)
    unexpected = sorted(set(rows) - set(expect))
    if unexpected:
        record("batch", "no input invented", "status", f"unexpected rows: {unexpected[:5]}")
    else:
        record("batch", "no input invented")
    # nothing written outside the output folder by the zip members
    escaped = [p for p in (base / "evil.txt", base / "evil2.txt", Path("/abs/evil.txt")) if p.exists()]
    record("zips", "zip members never written outside", "lost" if escaped else None, str(escaped))
    os.chmod(root / "perm" / "locked", 0o755)
    os.chmod(root / "perm" / "unreadable.txt", 0o644)


def run_store_cases(cli: Cli, work: Path) -> None:
    base = work / "stores"
    src = base / "in"
    src.mkdir(parents=True)
    (src / "a.txt").write_text(CHAT, encoding="utf-8")
    good = base / "good"
    p = subprocess.run([PY, "-m", "checker.cli", "batch", str(src), "--out", str(good), "--jobs", "1", "--quiet"],
                       cwd=ROOT, capture_output=True, timeout=BATCH_TIMEOUT)
    if p.returncode != 0:
        record("stores", "a clean batch for the store cases", "status", p.stderr.decode(errors="replace")[-300:])
        return
    data = (good / "results.sqlite").read_bytes()
    damages = {
        "text file": b"not a database\n" * 100,
        "random bytes": bytes((i * 131 + 7) % 256 for i in range(8192)),
        "zeroed after the header": data[:100] + b"\x00" * (len(data) - 100),
        "truncated to half": data[: len(data) // 2],
        "header only": data[:100],
        "empty file": b"",
    }
    for name, damaged in damages.items():
        out = base / name.replace(" ", "_")
        shutil.copytree(good, out)
        (out / "results.sqlite").write_bytes(damaged)
        run = cli.run(["results", str(out)])
        judge_cli("stores", f"results with results.sqlite {name}", run, {0, 2})
        run = cli.run(["batch", str(src), "--out", str(out), "--jobs", "1", "--quiet"], timeout=BATCH_TIMEOUT)
        judge_cli("stores", f"batch --out with results.sqlite {name}", run, {0, 2})
    out = base / "dir_store"
    shutil.copytree(good, out)
    (out / "results.sqlite").unlink()
    (out / "results.sqlite").mkdir()
    judge_cli("stores", "results.sqlite is a folder",
              cli.run(["batch", str(src), "--out", str(out), "--jobs", "1", "--quiet"], timeout=BATCH_TIMEOUT), {2})
    out_file = base / "out_is_a_file"
    out_file.write_text("x")
    judge_cli("stores", "--out is a file", cli.run(["batch", str(src), "--out", str(out_file), "--quiet"]), {2})


def run_signal_cases(work: Path) -> None:
    from checker.batch.sample import make_cohort

    for sig in (signal.SIGTERM, signal.SIGINT):
        name = signal.Signals(sig).name
        root = work / f"signal_{name}" / "cohort"
        make_cohort(ROOT / "corpora" / "labelled", root, 12, per_learner=4)
        out = root.parent / "out"
        cmd = [PY, "-m", "checker.cli", "batch", str(root), "--out", str(out), "--jobs", "2", "--quiet"]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + BATCH_TIMEOUT
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with sqlite3.connect(f"{(out / 'results.sqlite').as_uri()}?mode=ro", uri=True) as db:
                    if db.execute("SELECT count(*) FROM transcripts").fetchone()[0] >= 1:
                        break
            except sqlite3.Error:
                pass
            time.sleep(0.2)
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        proc.send_signal(sig)
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            record("signals", f"batch stopped by {name}", "hang", "still running 60 s after the signal")
            continue
        time.sleep(1)
        alive = [c for c in children if Path(f"/proc/{c}").exists()
                 and b"multiprocessing" in Path(f"/proc/{c}/cmdline").read_bytes()]
        if b"Traceback" in err:
            record("signals", f"batch stopped by {name}", "traceback", err.decode(errors="replace")[-300:])
        elif proc.returncode not in (0, 130):
            record("signals", f"batch stopped by {name}", "status", f"exit {proc.returncode}")
        elif alive:
            record("signals", f"batch stopped by {name}", "status", f"workers still running: {alive}")
        else:
            record("signals", f"batch stopped by {name}")
        with sqlite3.connect(out / "results.sqlite") as db:
            orphans = db.execute("SELECT count(*) FROM transcripts t WHERE state = 'scored' AND NOT EXISTS "
                                 "(SELECT 1 FROM criteria c WHERE c.key = t.key)").fetchone()[0]
        record("signals", f"no transcript without criteria after {name}", "lost" if orphans else None, f"{orphans}")
        again = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=BATCH_TIMEOUT * 3)
        with sqlite3.connect(out / "results.sqlite") as db:
            scored = db.execute("SELECT count(DISTINCT key) FROM criteria").fetchone()[0]
        record("signals", f"resume after {name} completes", None if again.returncode == 0 and scored == 12 else "lost",
               f"exit {again.returncode}, {scored}/12 with criteria")


# ---------------------------------------------------------------- web

class Server:
    def __init__(self, work: Path, stall: str):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("REPLYCHECK_")}
        env.update(PYTHONPATH=str(ROOT), REPLYCHECK_TEST_STALL=stall, REPLYCHECK_CHECK_WORKERS="2")
        self.log = open(work / "serve.log", "wb")
        self.proc = subprocess.Popen([PY, "-m", "checker.cli", "serve", "--port", str(self.port), "--threads", "8",
                                      "--timeout", "6"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"replycheck serve exited: {(work / 'serve.log').read_text()}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("replycheck serve did not start in 180 s")

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None,
                timeout: float = 60) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.putrequest(method, path)
            hdrs = {"Content-Length": str(len(body)), **(headers or {})}
            for k, v in hdrs.items():
                conn.putheader(k, v)
            conn.endheaders()
            try:
                if body:
                    conn.send(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def stop(self) -> list[str]:
        children = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout.split()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        time.sleep(1)
        return [c for c in children if Path(f"/proc/{c}").exists()
                and b"multiprocessing.spawn" in Path(f"/proc/{c}/cmdline").read_bytes()]


def judge_web(name: str, server: Server, method: str, path: str, body: bytes, headers: dict, statuses: set[int],
              check=None, area: str = "web", parse_area: bool = False) -> None:
    try:
        status, hdrs, data = server.request(method, path, body, headers)
    except TimeoutError:
        return record(area, name, "hang", "no answer in 60 s", parse_area)
    except OSError as exc:
        return record(area, name, "status", f"connection failed: {exc}", parse_area)
    if status == 500 or b"Traceback" in data:
        return record(area, name, "traceback", data[:200].decode(errors="replace"), parse_area)
    if status not in statuses:
        return record(area, name, "status", f"HTTP {status} (expected {sorted(statuses)}): {data[:200]!r}", parse_area)
    if status >= 400 and path.startswith("/api/"):
        try:
            err = json.loads(data)
            assert set(err) >= {"error", "message"}
        except (ValueError, AssertionError):
            return record(area, name, "status", f"error not the documented JSON: {data[:120]!r}", parse_area)
    if "content-security-policy" not in hdrs:
        return record(area, name, "status", "no security headers", parse_area)
    if check is not None:
        problem = check(status, hdrs, data)
        if problem:
            return record(area, name, "lost" if problem.startswith("lost") else "status", problem, parse_area)
    record(area, name, None, parse_area=parse_area)


def api(text, **extra) -> bytes:
    return json.dumps({"text": text, **extra}).encode()


JSON = {"Content-Type": "application/json"}
XSS = ["<script>window.__x=1</script>", "<img src=x onerror=alert(1)>", "</textarea><svg onload=alert(2)>",
       "javascript:alert(3)", "\"><iframe src=//evil>", "{{7*7}}{% raw %}", "<style>body{display:none}</style>",
       "&lt;script&gt;already escaped", "<a href=\"data:text/html,<script>alert(4)</script>\">x</a>"]


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, dict]:
    boundary = "----hostile" + "x" * 12
    parts = []
    for k, v in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for k, (fname, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{fname}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def run_web_cases(work: Path) -> None:
    stall = "Stall-9931"
    server = Server(work, stall)
    try:
        for i, payload in enumerate(XSS):
            text = CHAT.replace("Have a lovely day.", f"Have a lovely day. {payload}").replace("AB1 2CD", f"AB1 2CD {payload}")
            body = urllib.parse.urlencode({"text": text}).encode()

            def no_raw(status, hdrs, data, payload=payload):
                if payload.startswith("<") and payload.encode() in data:
                    return f"raw payload in the page: {payload}"
                return None

            judge_web(f"XSS {i + 1} in the form (CSRF on: 400 and escaped)", server, "POST", "/check", body,
                      {"Content-Type": "application/x-www-form-urlencoded"}, {400}, no_raw)
            judge_web(f"XSS {i + 1} through the API", server, "POST", "/api/check", api(text), JSON, {200},
                      lambda s, h, d: None if h.get("content-type", "").startswith("application/json") else "not JSON")
        judge_web("XSS in a file name", server, "POST", "/api/check",
                  *multipart({}, {"file": ("<script>alert(1)</script>.exe", b"hi")}), {400},
                  lambda s, h, d: "raw name" if b"<script>" in d and b"\\u003c" not in d and h["content-type"] != "application/json" else None)
        # CSRF
        judge_web("CSRF: form without token", server, "POST", "/check", urllib.parse.urlencode({"text": CHAT}).encode(),
                  {"Content-Type": "application/x-www-form-urlencoded"}, {400},
                  lambda s, h, d: None if b"Have a lovely day" in d else "lost: the text was not kept")
        judge_web("CSRF: forged token", server, "POST", "/check",
                  urllib.parse.urlencode({"text": CHAT, "csrf_token": "forged"}).encode(),
                  {"Content-Type": "application/x-www-form-urlencoded"}, {400})
        judge_web("CSRF: download without token", server, "POST", "/download",
                  urllib.parse.urlencode({"text": CHAT}).encode(), {"Content-Type": "application/x-www-form-urlencoded"},
                  {400})
        judge_web("CSRF: cross-site Origin", server, "POST", "/check", urllib.parse.urlencode({"text": CHAT}).encode(),
                  {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example",
                   "Referer": "https://evil.example/"}, {400})
        # 413
        big = b"a" * (3 * 1024 * 1024)
        for path, ctype in [("/api/check", "application/json"), ("/check", "application/x-www-form-urlencoded")]:
            judge_web(f"413 over waitress's limit at {path}", server, "POST", path, b'{"text": "' + big + b'"}',
                      {"Content-Type": ctype}, {413},
                      lambda s, h, d, p=path: None if (h["content-type"] == "application/json") == p.startswith("/api/")
                      else f"wrong kind of error page: {h['content-type']}")
            judge_web(f"413 over the app's limit at {path}", server, "POST", path,
                      b'{"text": "' + b"a" * (400 * 1024) + b'"}', {"Content-Type": ctype}, {413})
        body, hdrs = multipart({}, {"file": ("big.txt", b"Agent: hi\n" * 40_000)})
        judge_web("413 multipart upload", server, "POST", "/api/check", body, hdrs, {413})
        judge_web("413 claimed Content-Length", server, "POST", "/api/check", b"", {**JSON, "Content-Length": "999999999"},
                  {413})
        # API misuse
        misuse = [
            ("bad JSON", b"{not json", JSON, {400}), ("JSON array", b"[1,2]", JSON, {400}),
            ("text is a number", api(12), JSON, {400}), ("text is null", api(None), JSON, {400}),
            ("text is a list", api(["a"]), JSON, {400}), ("unknown key", api(CHAT, colour="red"), JSON, {400}),
            ("agent 10,000 characters", api(CHAT, agent="A" * 10_000), JSON, {400}),
            ("agent is a number", api(CHAT, agent=5), JSON, {400}),
            ("unknown rule set", api(CHAT, rules="nope"), JSON, {400}),
            ("rule set path", api(CHAT, rules="../../etc/passwd"), JSON, {400}),
            ("bad channel", api(CHAT, channel="fax"), JSON, {400}), ("mask is text", api(CHAT, mask="maybe"), JSON, {400}),
            ("empty text", api("   "), JSON, {400}), ("no Content-Type", api(CHAT), {}, {415}),
            ("text/plain body", CHAT.encode(), {"Content-Type": "text/plain"}, {415}),
            ("JSON body nested 100,000 deep", b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", JSON, {400}),
            ("JSON body with a 5,000-digit number", b'{"text": "hi", "agent": ' + b"9" * 5000 + b"}", JSON, {400}),
            ("JSON body not UTF-8", b'{"text": "caf\xe9"}', JSON, {400}),
            ("lone surrogate in text", b'{"text": "Agent: hi \\ud83d\\nCustomer: hello\\n"}', JSON, {400}),
            ("NUL in text", api("Agent: hi\x00 there\nCustomer: hello\n"), JSON, {200, 400}),
            ("20,000 turns under the size limit", api("Agent: a\nCustomer: c\n" * 10_000), JSON, {400}),
            ("20,001-character message", api("Agent: hi\nCustomer: " + "x" * 20_001), JSON, {400}),
            ("speaker unknown", api("Sam: hiya\nPriya: hello\nSam: my order\nPriya: ok\n"), JSON, {422}),
            ("binary .txt upload", *multipart({}, {"file": ("a.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))}), {400}),
            (".exe upload", *multipart({}, {"file": ("a.exe", b"MZ\x90\x00")}), {400}),
            ("empty upload", *multipart({}, {"file": ("a.txt", b"")}), {400}),
            (".eml upload", *multipart({}, {"file": ("a.eml", b"From: s@example.com\nSubject: x\n\nHello Priya,\nIt comes "
                                                             b"tomorrow.\nKind regards,\nSam\n")}), {200, 400, 422}),
            ("unknown form field", *multipart({"colour": "red"}, {"file": ("a.txt", CHAT.encode())}), {400}),
        ]
        for name, body, hdrs, statuses in misuse:
            judge_web(f"API: {name}", server, "POST", "/api/check", body, hdrs, statuses,
                      parse_area=name == "lone surrogate in text")
        judge_web("GET /api/check", server, "GET", "/api/check", b"", {}, {405})
        judge_web("unknown page", server, "GET", "/no/such/page", b"", {}, {404})
        judge_web("path traversal in static", server, "GET", "/static/../../etc/passwd", b"", {}, {404})
        judge_web("example that does not exist", server, "GET", "/?example=../../etc/passwd", b"", {}, {404})
        judge_web("about with an unknown rule set", server, "GET", "/about?rules=%00", b"", {}, {404})
        judge_web("healthz", server, "GET", "/healthz", b"", {}, {200},
                  lambda s, h, d: None if json.loads(d)["check_workers"] == 2 else "not 2 check processes")
        # the overrun case: a stuck check gets 503 within its budget while others keep getting 200
        result: dict = {}

        def stuck():
            started = time.monotonic()
            result["status"] = server.request("POST", "/api/check", api(f"Agent: Hello {stall}\nCustomer: hi\n"), JSON)[0]
            result["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=stuck)
        thread.start()
        others = []
        while thread.is_alive():
            others.append(server.request("POST", "/api/check", api(CHAT), JSON)[0])
        thread.join()
        ok = result.get("status") == 503 and result["seconds"] <= 6 + 1.5 and others and set(others) == {200}
        record("web", "an overrunning check gets 503 within its 6 s budget while others get 200s", None if ok else "status",
               f"stuck: {result}, others: {sorted(set(others))} x{len(others)}")
        statuses = [server.request("POST", "/api/check", api(CHAT), JSON)[0] for _ in range(6)]
        record("web", "after the overrun both check processes answer", None if set(statuses) == {200} else "status",
               str(statuses))
    finally:
        alive = server.stop()
        record("signals", "serve stopped by SIGTERM ends its check processes", "status" if alive else None, str(alive))


# ---------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subprocess", action="store_true", help="run each CLI case as a fresh python -m checker.cli")
    parser.add_argument("--only", help="only this area's CLI cases, or 'batch', 'stores', 'signals', 'web', 'rules', 'usage'")
    parser.add_argument("--list", action="store_true", help="list every case, not only the failures")
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    sys.path.insert(0, str(ROOT))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="replycheck-hostile-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o777)
        only = args.only
        cli = Cli(args.subprocess) if only not in ("batch", "signals", "web") else None
        groups = [
            ("check", lambda: run_check_cases(cli, work, None if only in (None, "check") else only)),
            ("rules", lambda: run_rules_cases(cli, work)),
            ("usage", lambda: run_usage_cases(cli, work)),
            ("stores", lambda: run_store_cases(cli, work)),
            ("batch", lambda: run_batch_cases(work)),
            ("signals", lambda: run_signal_cases(work)),
            ("web", lambda: run_web_cases(work)),
        ]
        cli_areas = {"encodings", "sizes", "blanks", "nesting", "numbers"}
        for name, fn in groups:
            if only and not (only == name or (name == "check" and only in cli_areas)):
                continue
            t = time.monotonic()
            fn()
            print(f"  {name}: done in {time.monotonic() - t:.0f} s", file=sys.stderr, flush=True)
    failed = [r for r in RESULTS if r.problem]
    for r in RESULTS if args.list else failed:
        mark = "ok  " if not r.problem else f"{r.problem.upper():9}"
        took = f" ({r.seconds:.1f} s)" if r.seconds is not None else ""
        print(f"{mark} [{r.area}]{' [parse]' if r.parse_area else ''} {r.name}{took}{': ' + r.detail if r.problem else ''}")
    by_area: dict[str, int] = {}
    for r in RESULTS:
        by_area[r.area] = by_area.get(r.area, 0) + 1
    print()
    print(f"{len(RESULTS)} cases in {time.monotonic() - started:.0f} s: "
          + ", ".join(f"{a} {n}" for a, n in sorted(by_area.items())))
    counts = {k: sum(1 for r in failed if r.problem == k) for k in ("traceback", "hang", "slow", "lost", "status")}
    parse_only = [r for r in failed if r.parse_area]
    print(f"tracebacks {counts['traceback']}, hangs {counts['hang']}, slow {counts['slow']}, lost inputs {counts['lost']}, "
          f"wrong statuses {counts['status']}")
    if parse_only:
        print(f"of which in checker/parse (fixed on the parse branch): {len(parse_only)}")
    rest = [r for r in failed if not r.parse_area]
    print("outside checker/parse: " + ", ".join(f"{k} {sum(1 for r in rest if r.problem == k)}"
                                                  for k in ("traceback", "hang", "slow", "lost", "status")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
