"""Every act's examples and near-misses run as tests: an example must be recognised as its act,
a near-miss must not be. The act files' own sentences and those a rule set adds (``acts:`` in a
centre file) run the same way, each as the only message of the act's speaker (so position
gates pass and mood gates apply), with the rule set's example index.

``replycheck rules check`` runs them after the rules' examples; tests run the act files' own.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ..model import AnalysedConversation, Conversation, Proofreading, Readability, Turn
from .definitions import ActExamples


@dataclass(frozen=True)
class ActExampleResult:
    act: str
    kind: str  # example | near_miss
    index: int
    text: str
    where: str  # the act file, or the centre file that added it
    passed: bool
    found: tuple[str, ...] = ()  # the acts recognised in the sentence
    evidence: str = ""  # why the act was (wrongly) recognised, for a near-miss

    @property
    def test_id(self) -> str:
        return f"act:{self.act}-{self.kind}-{self.index}"

    def explain(self) -> str:
        """One line."""
        what = "example" if self.kind == "example" else "near-miss"
        head = f"{self.test_id}: {'ok' if self.passed else 'FAILED'}: {what} {self.text!r} ({self.where})"
        if self.passed:
            return head
        if self.kind == "example":
            others = ", ".join(self.found) or "no act"
            return f"{head}: not recognised as {self.act} (found: {others}); reword it, or add a closer example"
        return f"{head}: recognised as {self.act} ({self.evidence}); the near-miss is too close to the act's examples"


def act_sentences(definitions: Mapping[str, Any], added: Mapping[str, ActExamples] | None = None
                  ) -> list[tuple[str, str, int, str, str]]:
    """(act, kind, index, text, where) for every example and near-miss, the act files' first."""
    out = []
    for name, d in sorted(definitions.items()):
        if not d.meaning:
            continue  # recognised by token patterns only: its sentences are the pattern tests' business
        extra = (added or {}).get(name, ActExamples())
        for kind, own, more in (("example", d.examples, extra.examples), ("near_miss", d.near_misses, extra.near_misses)):
            for i, text in enumerate(own + more):
                out.append((name, kind, i, text, d.path if i < len(own) else extra.where))
    return out


def run_act_examples(recogniser: Any, nlp: Any, added: Mapping[str, ActExamples] | None = None,
                     only: set[str] | None = None) -> list[ActExampleResult]:
    """Each act's examples and near-misses (``only`` these acts, when given) through the whole
    recogniser with the rule set's additions."""
    index = recogniser.examples_for(added)
    rows = [r for r in act_sentences(recogniser.definitions, added) if only is None or r[0] in only]
    docs = list(nlp.pipe([text for *_, text, _ in rows])) if rows else []
    results = []
    for (act, kind, i, text, where), doc in zip(rows, docs):
        speaker = recogniser.definitions[act].speaker
        turn = Turn(0, speaker, speaker, text, 0, len(text))
        analysed = AnalysedConversation(Conversation("chat", (turn,), text), (doc,), Proofreading("none", ()),
                                        Readability(0, 0, 0.0, 0, 0, None, None, 0), (), "")
        # a sentence out of any conversation: nothing was said before it (see ``needs: old_data``)
        acts = recogniser.recognise(analysed, gate_position=False, examples=index).acts
        found = tuple(sorted({a.name for a in acts}))
        hit = next((a for a in acts if a.name == act), None)
        passed = (hit is not None) if kind == "example" else (hit is None)
        results.append(ActExampleResult(act, kind, i, text, where, passed, found, hit.evidence if hit else ""))
    return results
