"""Benchmark the checker against the bare spaCy pipeline on the same text, in one run.

    .venv/bin/python benchmarks/bench.py [--repeat N]

Prints words per second of the analysis, parsing time as a share of the whole check, the ratio of analysis time and whole-check time to a
bare ``nlp.pipe`` over the same turn texts, and warm per-transcript latency p50/p95; the analysis
and the acts in turn against the check's way (the encoder started as soon as the messages are
parsed, beside named entities and proofreading); then the
same whole-check ratio and chat latency with the acts on token patterns only (no sentence model),
the speed the judgement is traded against. Ratios,
not absolute times: these machines are shared and noisy, so both sides are measured
back to back, interleaved, and the best of several rounds is kept.
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


def best_of(rounds: int, fn) -> tuple[float, float]:
    """Best wall-clock and best CPU time (all threads of this process) over the rounds."""
    walls, cpus = [], []
    for _ in range(rounds):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def latencies_of(run, items: list) -> list[float]:
    """Milliseconds for ``run(item)`` on each item in turn, sorted."""
    out = []
    for item in items:
        start = time.perf_counter()
        run(item)
        out.append((time.perf_counter() - start) * 1000)
    return sorted(out)


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

    (bare, bare_cpu) = best_of(args.rounds, lambda: list(nlp.pipe(texts)))
    (bare_per_conversation, _) = best_of(args.rounds, lambda: [list(nlp.pipe([t.text for t in c.turns])) for c in conversations])
    (analysis, analysis_cpu) = best_of(args.rounds, lambda: [checker.analyse(c) for c in conversations])
    (whole, whole_cpu) = best_of(args.rounds, lambda: [checker.check(c) for c in conversations])
    distinct = conversations[: len(conversations) // args.repeat]

    def parse_cold():
        clear_caches()  # parsing pays its per-line tests afresh, as for a new paste
        for c in distinct:
            parse_transcript(c.source, source=c.id)

    (parsing, _) = best_of(args.rounds, parse_cold)
    parsing *= args.repeat  # the same number of transcripts as the whole check

    analysed = [checker.analyse(c) for c in distinct]
    (acts_time, _) = best_of(args.rounds, lambda: [checker.acts(a) for a in analysed])
    acts_time *= args.repeat
    # the check starts the sentence encoder as soon as the messages are parsed, beside named
    # entities and proofreading: the two stages in turn against that, back to back
    ruleset = checker.ruleset("default")
    (in_turn, _) = best_of(args.rounds, lambda: [checker.acts(checker.analyse(c, ruleset.accepted_words), ruleset)
                                                 for c in conversations])
    (overlapped, _) = best_of(args.rounds, lambda: [checker.analyse_and_act(c, ruleset) for c in conversations])

    # the budget's case: a 30-turn chat, warm
    chat30 = [c for c in distinct if c.channel == "chat" and len(c.turns) >= 20]
    chat30.sort(key=lambda c: -len(c.turns))
    chat = chat30[0] if chat30 else distinct[0]
    chat_runs = [chat.source] * max(20, 10 * args.rounds)
    chat_turns = len(chat.turns)
    chat_latencies = latencies_of(checker.check, chat_runs)
    chat_texts = [t.text for t in chat.turns]
    chat_bare = latencies_of(lambda _: list(nlp.pipe(chat_texts)), chat_runs)

    latencies = latencies_of(checker.check, [c.source for c in distinct] * args.rounds)
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]

    # the speed budget against the judgement: the same checks with the acts on token patterns only
    # (what a machine without the sentence model runs; its accuracy is in docs/acts.md)
    patterns_only = Checker(use_encoder=False)
    patterns_only.ruleset("default")
    for c in conversations[:5]:
        patterns_only.check(c)
    (whole_patterns, _) = best_of(args.rounds, lambda: [patterns_only.check(c) for c in conversations])
    chat_patterns = latencies_of(patterns_only.check, chat_runs)

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
