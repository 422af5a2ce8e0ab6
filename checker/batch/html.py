"""HTML for assessors: the cohort summary and one feedback page per transcript.

Self-contained pages: inline CSS, the score chart an inline SVG drawn here, no JavaScript, no
external files, so the folder can be zipped and emailed or opened from a USB stick. Every piece
of text that came from an input (learner and file names, transcript text, quotes) is escaped.
The summary is built from SQL aggregates and streamed row by row, so it costs the same memory for
ten transcripts or ten thousand.
"""
from __future__ import annotations

import hashlib
from html import escape
from typing import IO, Any

from .store import ResultStore

PAGE_VERSION = "1"  # bump when the page layout changes, so existing pages are rewritten
STATUS_LABEL = {"met": "met", "partly": "partly", "not_met": "not met", "not_applicable": "n/a",
                "not_assessable": "not assessable"}
STATUS_ORDER = ("met", "partly", "not_met", "not_applicable", "not_assessable")
DECISION_LABEL = {"competent": "Competent", "not_yet_competent": "Not yet competent"}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #e4e4e4;vertical-align:top}th{background:#f4f4f4}td.num,th.num{text-align:right}
.muted{color:#666}.small{font-size:.9rem}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:.6rem;font-size:.85rem;white-space:nowrap}
.met,.competent{background:#dff3e3;color:#125c25}.partly{background:#fff1cc;color:#6b4d00}
.not_met,.not_yet_competent,.failed{background:#fde0e0;color:#8a1111}.not_applicable,.not_assessable,.duplicate{background:#eee;color:#555}
.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}.card{border:1px solid #ddd;border-radius:.4rem;padding:.6rem .9rem;min-width:8rem}
.card b{display:block;font-size:1.5rem}
.bar{background:#eee;height:.7rem;width:8rem;display:inline-block;vertical-align:middle;border-radius:.2rem}
.bar span{display:block;height:100%;background:#2e7d32;border-radius:.2rem}
mark{background:#fff1a8;padding:0 .1rem}
.turn{margin:.4rem 0;padding:.4rem .6rem;border-left:4px solid #ccc;white-space:pre-wrap}
.turn.agent{border-color:#1565c0;background:#f3f8fd}.turn.customer{border-color:#999}.turn .who{font-weight:600;white-space:normal}
ul.links{margin:.2rem 0 0;padding-left:1.2rem}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _head(title: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n")


def learner_anchor(learner: str) -> str:
    return "learner-" + hashlib.sha256(learner.encode("utf-8")).hexdigest()[:12]


# ---------------------------------------------------------------- the score chart


def score_histogram_svg(bins: list[int], pass_score: float, width: int = 640, height: int = 240) -> str:
    """Bars of how many transcripts scored 0–9, 10–19, … 90–100, with the pass mark."""
    left, right, top, bottom = 40, 10, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    step = max(1, -(-max(bins + [1]) // 4))  # whole-number ticks: 4 steps reaching the tallest bar
    most = step * 4
    bar_w = plot_w / len(bins)
    total = sum(bins)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-labelledby="chart-title">',
             f'<title id="chart-title">Score distribution of {total} scored transcripts: '
             + ", ".join(f"{_bin_label(i)}: {n}" for i, n in enumerate(bins)) + "</title>",
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#555"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#555"/>']
    for tick in range(0, 5):
        value = step * tick
        y = top + plot_h - plot_h * tick / 4
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#555">{value:.0f}</text>')
    for i, n in enumerate(bins):
        h = plot_h * n / most
        x = left + i * bar_w + 3
        y = top + plot_h - h
        colour = "#2e7d32" if i * 10 >= pass_score else "#c77800"
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 6:.1f}" height="{h:.1f}" fill="{colour}">'
                     f"<title>{_bin_label(i)}: {n}</title></rect>")
        if n:
            parts.append(f'<text x="{x + (bar_w - 6) / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle">{n}</text>')
        parts.append(f'<text x="{x + (bar_w - 6) / 2:.1f}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle" '
                     f'fill="#333">{_bin_label(i)}</text>')
    px = left + plot_w * min(max(pass_score, 0), 100) / 100
    parts.append(f'<line x1="{px:.1f}" y1="{top - 8}" x2="{px:.1f}" y2="{top + plot_h}" stroke="#8a1111" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{px + 4:.1f}" y="{top - 2}" font-size="11" fill="#8a1111">pass mark {pass_score:g}</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" font-size="12" text-anchor="middle">score</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _bin_label(i: int) -> str:
    return "90–100" if i == 9 else f"{i * 10}–{i * 10 + 9}"


# ---------------------------------------------------------------- the cohort summary


def write_summary(fh: IO[str], store: ResultStore, run: int, context: dict[str, Any]) -> None:
    q = store.query
    criteria = context["criteria"]
    counts = {r["state"]: r["n"] for r in q("SELECT state, COUNT(*) AS n FROM transcripts WHERE run = ? GROUP BY state", (run,))}
    scored, failed, dups = counts.get("scored", 0), counts.get("failed", 0), counts.get("duplicate", 0)
    found = scored + failed + dups
    decisions = {r["decision"]: r["n"] for r in q(
        "SELECT decision, COUNT(*) AS n FROM transcripts WHERE run = ? AND state = 'scored' GROUP BY decision", (run,))}
    competent = decisions.get("competent", 0)
    stats = q("SELECT AVG(score) AS mean, MIN(score) AS lo, MAX(score) AS hi FROM transcripts "
              "WHERE run = ? AND state = 'scored'", (run,))[0]
    median = None
    if scored:
        middle = q("SELECT score FROM transcripts WHERE run = ? AND state = 'scored' ORDER BY score LIMIT ? OFFSET ?",
                   (run, 2 - scored % 2, (scored - 1) // 2))
        median = sum(r["score"] for r in middle) / len(middle)
    bins = [0] * 10
    for r in q("SELECT MIN(CAST(score / 10 AS INTEGER), 9) AS bin, COUNT(*) AS n FROM transcripts "
               "WHERE run = ? AND state = 'scored' GROUP BY bin", (run,)):
        bins[max(0, int(r["bin"]))] += r["n"]
    by_criterion: dict[str, dict[str, int]] = {c["id"]: {} for c in criteria}
    for r in q("SELECT c.criterion, c.status, COUNT(*) AS n FROM criteria c JOIN transcripts t ON t.key = c.key "
               "WHERE t.run = ? AND t.state = 'scored' GROUP BY c.criterion, c.status", (run,)):
        by_criterion.setdefault(r["criterion"], {})[r["status"]] = r["n"]

    w = fh.write
    w(_head("ReplyCheck cohort summary"))
    w("<h1>ReplyCheck cohort summary</h1>\n")
    w(f'<p class="muted">Rule set <b>{_e(context["rules_name"])}</b> {_e(context["rules_version"])} · pass mark '
      f'{context["pass_score"]:g} · inputs: {_e(", ".join(context["inputs"]))}</p>\n')
    w('<div class="cards">')
    for label, value, cls in (("found", found, ""), ("scored", scored, "met"), ("failed", failed, "failed" if failed else ""),
                              ("duplicates", dups, "duplicate" if dups else ""), ("competent", competent, "competent"),
                              ("not yet competent", decisions.get("not_yet_competent", 0), "not_yet_competent")):
        w(f'<div class="card {cls}"><b>{value}</b>{_e(label)}</div>')
    w("</div>\n")
    w(f'<p id="accounting">Every input is accounted for: <b>{scored}</b> scored + <b>{failed}</b> failed + '
      f'<b>{dups}</b> duplicates = <b>{found}</b> found.')
    if failed or dups:
        w(' See <a href="#not-scored">inputs not scored</a> and <code>errors.csv</code>.')
    w("</p>\n")
    if scored:
        w(f"<p>Pass rate <b>{_pct(competent, scored)}</b> ({competent} of {scored} scored transcripts competent). "
          f"Scores: mean {stats['mean']:.1f}, median {median:.1f}, lowest {stats['lo']:.1f}, highest {stats['hi']:.1f}.</p>\n")

    w("<h2>Score distribution</h2>\n")
    w(score_histogram_svg(bins, context["pass_score"]))
    w("\n")

    w("<h2>Criteria</h2>\n")
    w('<p class="small muted">Pass rate = met ÷ (met + partly + not met); n/a and not assessable are left out.</p>\n')
    w('<table id="criteria"><thead><tr><th>criterion</th><th class="num">pass rate</th><th></th>'
      + "".join(f'<th class="num">{_e(STATUS_LABEL[s])}</th>' for s in STATUS_ORDER) + "</tr></thead><tbody>\n")
    missed: list[tuple[float, int, int, dict[str, Any]]] = []
    for c in criteria:
        n = by_criterion.get(c["id"], {})
        assessed = n.get("met", 0) + n.get("partly", 0) + n.get("not_met", 0)
        rate = n.get("met", 0) / assessed if assessed else None
        bar = f'<span class="bar"><span style="width:{100 * rate:.0f}%"></span></span>' if rate is not None else ""
        crit = ' <span class="badge not_met">critical</span>' if c.get("critical") else ""
        w(f'<tr><td>{_e(c["title"])}{crit} <span class="muted small">{_e(c["id"])}</span></td>'
          f'<td class="num">{_pct(n.get("met", 0), assessed)}</td><td>{bar}</td>'
          + "".join(f'<td class="num">{n.get(s, 0)}</td>' for s in STATUS_ORDER) + "</tr>\n")
        short = n.get("partly", 0) + n.get("not_met", 0)
        if assessed and short:
            missed.append((short / assessed, n.get("not_met", 0), assessed, c))
    w("</tbody></table>\n")

    w('<h2 id="most-missed">Most-missed criteria</h2>\n')
    if missed:
        missed.sort(key=lambda m: (-m[0], -m[1], m[3]["id"]))
        w("<ol>\n")
        for share, not_met, assessed, c in missed[:5]:
            n = by_criterion[c["id"]]
            w(f'<li><b>{_e(c["title"])}</b>: short of met in {n.get("partly", 0) + not_met} of {assessed} '
              f'({share * 100:.0f}%): {not_met} not met, {n.get("partly", 0)} partly.</li>\n')
        w("</ol>\n")
    else:
        w("<p>No criterion was missed.</p>\n")

    w("<h2>Learners</h2>\n")
    w('<table id="learners"><thead><tr><th>learner</th><th class="num">scored</th><th class="num">competent</th>'
      '<th class="num">not yet</th><th class="num">mean score</th><th class="num">lowest</th><th class="num">highest</th>'
      '<th class="num">failed</th><th class="num">duplicates</th></tr></thead><tbody>\n')
    for r in q("SELECT learner, SUM(state = 'scored') AS scored, SUM(decision = 'competent') AS competent, "
               "SUM(decision = 'not_yet_competent') AS nyc, AVG(score) AS mean, MIN(score) AS lo, MAX(score) AS hi, "
               "SUM(state = 'failed') AS failed, SUM(state = 'duplicate') AS dups FROM transcripts WHERE run = ? "
               "GROUP BY learner ORDER BY learner COLLATE NOCASE, learner", (run,)):
        def num(v):
            return "–" if v is None else f"{v:.1f}"
        w(f'<tr><td><a href="#{learner_anchor(r["learner"])}">{_e(r["learner"])}</a></td><td class="num">{r["scored"]}</td>'
          f'<td class="num">{r["competent"] or 0}</td><td class="num">{r["nyc"] or 0}</td><td class="num">{num(r["mean"])}</td>'
          f'<td class="num">{num(r["lo"])}</td><td class="num">{num(r["hi"])}</td><td class="num">{r["failed"]}</td>'
          f'<td class="num">{r["dups"]}</td></tr>\n')
    w("</tbody></table>\n")

    w("<h2>Transcripts by learner</h2>\n")
    current = None
    for row in store.rows("run = ?", (run,), order="learner COLLATE NOCASE, learner, seq"):
        if row["learner"] != current:
            if current is not None:
                w("</tbody></table>\n")
            current = row["learner"]
            w(f'<h3 id="{learner_anchor(current)}">{_e(current)}</h3>\n')
            w('<table class="transcripts"><thead><tr><th>file</th><th>channel</th><th class="num">score</th>'
              "<th>decision</th><th>critical failures</th></tr></thead><tbody>\n")
        if row["state"] == "scored":
            w(f'<tr><td><a href="transcripts/{_e(row["page"])}">{_e(row["file"])}</a></td><td>{_e(row["channel"])}</td>'
              f'<td class="num">{row["score"]:.1f}</td><td><span class="badge {_e(row["decision"])}">'
              f'{_e(DECISION_LABEL.get(row["decision"], row["decision"]))}</span></td>'
              f'<td>{_e(row["critical_failures"].replace(";", ", "))}</td></tr>\n')
        else:
            w(f'<tr><td>{_e(row["file"])}</td><td></td><td></td><td><span class="badge {_e(row["state"])}">'
              f'{_e(row["state"])}</span></td><td class="small">{_e(row["error"])}</td></tr>\n')
    if current is not None:
        w("</tbody></table>\n")

    w('<h2 id="not-scored">Inputs not scored</h2>\n')
    if failed or dups:
        w('<table id="errors"><thead><tr><th>file</th><th>learner</th><th>status</th><th>why</th></tr></thead><tbody>\n')
        for row in store.rows("run = ? AND state != 'scored'", (run,)):
            w(f'<tr><td>{_e(row["file"])}</td><td>{_e(row["learner"])}</td><td><span class="badge {_e(row["state"])}">'
              f'{_e(row["state"])}</span></td><td>{_e(row["error"])}</td></tr>\n')
        w("</tbody></table>\n")
    else:
        w("<p>None: every input was scored.</p>\n")
    w('<p class="muted small">Made by ReplyCheck. The same results are in results.csv, results.jsonl, errors.csv and '
      "results.sqlite beside this page.</p>\n</body>\n</html>\n")


# ---------------------------------------------------------------- one transcript's feedback page


def _highlight(text: str, quotes: list[str]) -> str:
    """Escape ``text``, marking the first place each quote appears."""
    spans: list[tuple[int, int]] = []
    for quote in sorted({q for q in quotes if q and q.strip()}, key=len, reverse=True):
        at = text.find(quote)
        if at >= 0 and not any(at < e and s < at + len(quote) for s, e in spans):
            spans.append((at, at + len(quote)))
    out, pos = [], 0
    for s, e in sorted(spans):
        out.append(_e(text[pos:s]))
        out.append(f"<mark>{_e(text[s:e])}</mark>")
        pos = e
    out.append(_e(text[pos:]))
    return "".join(out)


def render_page(report: dict[str, Any], *, learner: str, file: str, context: dict[str, Any]) -> str:
    decision = report.get("decision", "")
    parts = [_head(f"ReplyCheck feedback: {file}")]
    a = parts.append
    a('<p class="small"><a href="../summary.html">← cohort summary</a></p>\n')
    a(f"<h1>Feedback: {_e(file)}</h1>\n")
    a(f'<p class="muted">Learner <b>{_e(learner)}</b> · {_e(report.get("channel"))} · you are: {_e(report.get("agent"))} · '
      f'rules {_e(report["rules"]["name"])} {_e(report["rules"]["version"])} · proofreader '
      f'{_e(report.get("proofreading", {}).get("backend"))}</p>\n')
    a(f'<p><span class="badge {_e(decision)}">{_e(DECISION_LABEL.get(decision, decision))}</span> '
      f'Score <b>{report.get("score", 0):.0f}</b>/100 (pass mark {context["pass_score"]:g})</p>\n')
    if report.get("critical_failures"):
        titles = {c["id"]: c["title"] for c in report["criteria"]}
        a('<p class="badge not_met">Critical: ' + _e(", ".join(titles.get(c, c) for c in report["critical_failures"])) + "</p>\n")
    for warning in report.get("warnings", []):
        a(f'<p class="small">Warning: {_e(warning)}</p>\n')

    a("<h2>Criteria</h2>\n<table><thead><tr><th>criterion</th><th>status</th><th>feedback</th></tr></thead><tbody>\n")
    for c in report["criteria"]:
        quotes = "".join(f'<li class="small">message {e["turn"] + 1 if e["turn"] is not None else "–"}: '
                         f'“{_e(e["quote"])}”</li>' for e in c.get("evidence", []) if e.get("quote"))
        suggestion = f'<br><span class="small">→ {_e(c["suggestion"])}</span>' if c.get("suggestion") else ""
        a(f'<tr><td>{_e(c["title"])}{" (critical)" if c.get("critical") else ""}</td>'
          f'<td><span class="badge {_e(c["status"])}">{_e(STATUS_LABEL.get(c["status"], c["status"]))}</span></td>'
          f'<td>{_e(c["message"])}{suggestion}{"<ul class=links>" + quotes + "</ul>" if quotes else ""}</td></tr>\n')
    a("</tbody></table>\n")

    feedback = report.get("feedback", {})
    if feedback.get("went_well"):
        a("<h2>What went well</h2>\n<ul>" + "".join(f"<li>{_e(x)}</li>" for x in feedback["went_well"]) + "</ul>\n")
    if feedback.get("even_better_if"):
        a("<h2>Even better if</h2>\n<ul>" + "".join(f"<li>{_e(x)}</li>" for x in feedback["even_better_if"]) + "</ul>\n")
    findings = report.get("findings", [])
    if findings:
        a(f"<h2>Findings ({len(findings)})</h2>\n<ul>\n")
        for f in findings:
            where = f'message {f["turn"] + 1}' if f.get("turn") is not None else "notes"
            quote = f' “{_e(f["quote"])}”' if f.get("quote") else ""
            suggestion = f'<br><span class="small">→ {_e(f["suggestion"])}</span>' if f.get("suggestion") else ""
            a(f'<li><span class="badge {_e("not_met" if f["level"] == "error" else "partly")}">{_e(f["level"])}</span> '
              f'{_e(where)}{quote}: {_e(f["message"])} <span class="muted small">{_e(f["rule"])}</span>{suggestion}</li>\n')
        a("</ul>\n")

    quotes_by_turn: dict[int, list[str]] = {}
    for f in findings:
        if f.get("turn") is not None and f.get("quote"):
            quotes_by_turn.setdefault(f["turn"], []).append(f["quote"])
    for c in report["criteria"]:
        for e in c.get("evidence", []):
            if e.get("turn") is not None and e.get("quote"):
                quotes_by_turn.setdefault(e["turn"], []).append(e["quote"])
    a("<h2>Transcript</h2>\n")
    for t in report.get("turns", []):
        when = f' <span class="muted small">{_e(t["time"])}</span>' if t.get("time") else ""
        subject = f'<div class="small">Subject: {_e(t["subject"])}</div>' if t.get("subject") else ""
        a(f'<div class="turn {_e(t["role"])}"><div class="who">{t["index"] + 1}. {_e(t["speaker"])} '
          f'<span class="muted small">({_e(t["role"])})</span>{when}</div>{subject}'
          f'{_highlight(t["text"], quotes_by_turn.get(t["index"], []))}</div>\n')
    if report.get("notes"):
        a(f'<h3>Agent notes</h3>\n<div class="turn">{_e(report["notes"])}</div>\n')
    r = report.get("readability") or {}
    if r:
        fre = r.get("flesch_reading_ease")
        a(f'<p class="small muted">Readability: {r.get("words")} words in {r.get("sentences")} sentences, '
          f'{r.get("avg_sentence_words")} words a sentence (longest {r.get("longest_sentence_words")})'
          f'{"" if fre is None else f", reading ease {fre:.0f}"}.</p>\n')
    a("</body>\n</html>\n")
    return "".join(parts)
