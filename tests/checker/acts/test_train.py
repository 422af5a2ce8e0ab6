"""The held-out measurement behind ``replycheck eval`` and ``python -m checker.acts.train --report``."""
from checker.acts.train import LabelledSentence, evaluate_held_out


def test_only_the_acts_the_corpus_labels_are_measured(checker):
    # placeholder is found by patterns and is no part of the corpus vocabulary (ACTS.md): measured
    # here, every placeholder in a held-out sentence would count as a false alarm
    sentences = [
        LabelledSentence("Dear [Customer Name], thank you for waiting.", "agent", frozenset({"greeting", "thanks"}), True, "t"),
        LabelledSentence("Thanks for getting in touch with us today.", "agent", frozenset({"thanks"}), True, "t"),
    ]
    results = evaluate_held_out(checker.recogniser, checker.nlp, sentences)
    assert "placeholder" not in results
    assert set(results) == {"greeting", "thanks"}
    assert results["thanks"]["support"] == 2
