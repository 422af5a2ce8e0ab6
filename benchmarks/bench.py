"""Benchmark the checker against the bare spaCy pipeline on the same text, in one run.

    .venv/bin/python benchmarks/bench.py [--repeat N]

Prints words per second of the analysis, parsing time as a share of the whole check, the ratio of analysis time and whole-check time to a
bare ``nlp.pipe`` over the same turn texts, and warm per-transcript latency p50/p95; the analysis
and the acts in turn against the check's way (the encoder started as soon as the messages are
parsed, beside named entities and proofreading); then the
same whole-check ratio and chat latency with the acts on token patterns only (no sentence model),
the speed the judgement is traded against. Ratios,
not absolute times: these machines are shared and noisy, so every round runs every variant back
to back (in reverse order on odd rounds), and each variant's best round is kept.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import Checker  # noqa: E402
from checker.parse import clear_caches, parse_transcript, read_file  # noqa: E402


def load_corpus() -> list:
    import yaml

    labels = yaml.safe_load((ROOT / "corpora/labelled/labels.yml").read_text(encoding="utf-8"))
    return [read_file(ROOT / "corpora/labelled" / name, agent=entry.get("agent")) for name, entry in labels.items()]


def best_of(rounds: int, variants: dict) -> dict[str, tuple[float, float]]:
    """Each variant's best wall-clock and best CPU time (all threads of this process) over the
    rounds. Every round runs every variant, in reverse order on odd rounds, so that a slow spell
    of this shared machine falls on all of them alike rather than on whichever ran then."""
    walls: dict[str, list[float]] = {name: [] for name in variants}
    cpus: dict[str, list[float]] = {name: [] for name in variants}
    for r in range(rounds):
        for name, fn in (reversed(variants.items()) if r % 2 else variants.items()):
            start, cpu = time.perf_counter(), time.process_time()
            fn()
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(time.process_time() - cpu)
    return {name: (min(walls[name]), min(cpus[name])) for name in variants}


def latencies_of(runs: dict, items: list) -> dict[str, list[float]]:
    """Milliseconds for each ``run(item)``, sorted, per run; the runs take turns on each item."""
    out: dict[str, list[float]] = {name: [] for name in runs}
    for item in items:
        for name, run in runs.items():
            start = time.perf_counter()
            run(item)
            out[name].append((time.perf_counter() - start) * 1000)
    return {name: sorted(values) for name, values in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="copies of the corpus per round (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the best is kept (default 3)")
    args = parser.parse_args()

    checker = Checker()
    checker.ruleset("default")
    encoder = checker.recogniser.encoder
    if encoder is not None:
        encoder.cache_size = 0  # honest figures: no sentence is ever embedded from the cache here
    conversations = load_corpus() * args.repeat
    texts = [t.text for c in conversations for t in c.turns]
    agent_words = sum(len(t.text.split()) for c in conversations for t in c.agent_turns)
    all_words = sum(len(t.split()) for t in texts)
    nlp = checker.nlp

    # warm up every component once
    for c in conversations[:5]:
        checker.check(c)
    list(nlp.pipe(texts[:50]))

    distinct = conversations[: len(conversations) // args.repeat]
    analysed = [checker.analyse(c) for c in distinct]
    ruleset = checker.ruleset("default")

    def parse_cold():
        clear_caches()  # parsing pays its per-line tests afresh, as for a new paste
        for c in distinct:
            parse_transcript(c.source, source=c.id)

    # the check starts the sentence encoder as soon as the messages are parsed, beside named
    # entities and proofreading: the two stages in turn ("in turn") against that ("overlapped")
    timed = best_of(args.rounds, {
        "bare": lambda: list(nlp.pipe(texts)),
        "bare per conversation": lambda: [list(nlp.pipe([t.text for t in c.turns])) for c in conversations],
        "analysis": lambda: [checker.analyse(c) for c in conversations],
        "whole": lambda: [checker.check(c) for c in conversations],
        "parsing": parse_cold,
        "acts": lambda: [checker.acts(a) for a in analysed],
        "in turn": lambda: [checker.acts(checker.analyse(c, ruleset.accepted_words), ruleset) for c in conversations],
        "overlapped": lambda: [checker.analyse_and_act(c, ruleset) for c in conversations],
    })
    (bare, bare_cpu), (bare_per_conversation, _) = timed["bare"], timed["bare per conversation"]
    (analysis, analysis_cpu), (whole, whole_cpu) = timed["analysis"], timed["whole"]
    parsing = timed["parsing"][0] * args.repeat  # the same number of transcripts as the whole check
    acts_time = timed["acts"][0] * args.repeat
    in_turn, overlapped = timed["in turn"][0], timed["overlapped"][0]

    # the budget's case: a 30-turn chat, warm
    chat30 = [c for c in distinct if c.channel == "chat" and len(c.turns) >= 20]
    chat30.sort(key=lambda c: -len(c.turns))
    chat = chat30[0] if chat30 else distinct[0]
    chat_runs = [chat.source] * max(20, 10 * args.rounds)
    chat_turns = len(chat.turns)
    chat_texts = [t.text for t in chat.turns]
    patterns_only = Checker(use_encoder=False)  # the acts on token patterns only (see below)
    patterns_only.ruleset("default")
    for c in conversations[:5]:
        patterns_only.check(c)
    on_chat = latencies_of({"check": checker.check, "bare": lambda _: list(nlp.pipe(chat_texts)),
                            "patterns only": patterns_only.check}, chat_runs)
    chat_latencies, chat_bare, chat_patterns = on_chat["check"], on_chat["bare"], on_chat["patterns only"]

    latencies = latencies_of({"check": checker.check}, [c.source for c in distinct] * args.rounds)["check"]
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]

    # the speed budget against the judgement: the same checks with the acts on token patterns only
    # (what a machine without the sentence model runs; its accuracy is in docs/acts.md)
    timed = best_of(args.rounds, {"bare": lambda: list(nlp.pipe(texts)),
                                  "patterns only": lambda: [patterns_only.check(c) for c in conversations]})
    whole_patterns = timed["patterns only"][0] * bare / timed["bare"][0]  # against this run's bare pipe

    print(f"corpus: {len(conversations)} transcripts, {len(texts)} messages, {all_words} words ({agent_words} agent words)")
    print(f"bare nlp.pipe over all messages:        {bare:7.3f} s  ({all_words / bare:,.0f} words/s)")
    print(f"bare nlp.pipe per conversation:         {bare_per_conversation:7.3f} s")
    print(f"analysis (spaCy + proofreader + stats):  {analysis:7.3f} s  ({all_words / analysis:,.0f} words/s)")
    print(f"whole check (parse…report, all rules):   {whole:7.3f} s  ({len(conversations) / whole:,.1f} transcripts/s)")
    print(f"parsing (every reader + detector):       {parsing:7.3f} s  = {100 * parsing / (parsing + whole):4.1f} % "
          "of the whole check from text (target < 5 %)")
    print(f"ratio analysis / bare nlp.pipe:          {analysis / bare:5.2f}x")
    print(f"ratio whole check / bare nlp.pipe:       {whole / bare:5.2f}x   (target <= 1.5x)")
    print(f"ratio whole check / per-conversation pipe: {whole / bare_per_conversation:5.2f}x")
    print(f"CPU time (all threads): bare {bare_cpu:.3f} s, analysis {analysis_cpu:.3f} s, whole {whole_cpu:.3f} s "
          f"-> whole/bare {whole_cpu / bare_cpu:.2f}x (what a fully loaded batch worker pays)")
    print(f"warm latency per transcript (from text): p50 {p50:.0f} ms, p95 {p95:.0f} ms over {len(latencies)} checks")
    print(f"acts stage alone (sentence encoder + classifiers + patterns): {acts_time:7.3f} s = {100 * acts_time / whole:4.1f} % of the whole check's time"
          + ("" if encoder is not None else "  (no sentence model installed: patterns only)"))
    print(f"analysis then acts, in turn: {in_turn:7.3f} s; with the encoder started after parsing: {overlapped:7.3f} s "
          f"({100 * (1 - overlapped / in_turn):4.1f} % less)")
    print(f"warm latency, one {chat_turns}-message chat: p50 {statistics.median(chat_latencies):.0f} ms, "
          f"p95 {chat_latencies[int(0.95 * (len(chat_latencies) - 1))]:.0f} ms (target p95 <= 150 ms)")
    print(f"bare nlp.pipe on that chat's messages: p50 {statistics.median(chat_bare):.0f} ms")
    print(f"without the sentence model (acts on patterns only): whole check / bare nlp.pipe {whole_patterns / bare:5.2f}x, "
          f"{chat_turns}-message chat p95 {chat_patterns[int(0.95 * (len(chat_patterns) - 1))]:.0f} ms "
          "(the judgement this costs: docs/acts.md, 'Speed against judgement')")


if __name__ == "__main__":
    main()
