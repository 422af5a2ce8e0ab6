from checker.nlp import load_model
from checker.proofing import RawIssue
from checker.proofing.layers import LAYERS


def test_one_issue_a_span_with_the_most_specific_layer_kept():
    doc = load_model()("We was unable to call.")
    backend = [RawIssue(3, 6, "was", "Check the verb.", "grammar", "harper.Grammar", ("were",))]
    issues = LAYERS.review(doc, backend)
    assert [(i.text, i.rule) for i in issues] == [("was", "grammar.agreement")]


def test_backend_messages_lose_markup_and_american_spelling():
    doc = load_model()("Thanks for waiting.")
    backend = [RawIssue(0, 6, "Thanks", "This must be `capitalized`.", "grammar", "harper.Capitalization", ("thanks",))]
    message = LAYERS.review(doc, backend)[0].message
    assert "`" not in message and "capitalised" in message


def test_a_backend_split_of_a_dictionary_word_is_dropped():
    doc = load_model()("We sent a cheque for the overpayment.")
    backend = [RawIssue(26, 37, "overpayment", "Did you mean…", "spelling", "harper.Typo", ("over payment",))]
    assert LAYERS.review(doc, backend) == []


def test_only_the_first_unknown_words_of_a_message_get_hunspells_slow_suggestions():
    from checker.proofing import layers
    from checker.proofing.layers import DEEP_SUGGESTIONS, RawIssue, merge

    class Words:
        deep_calls = 0

        def us_to_uk(self, word):
            return None

        def known(self, word):
            return False

        def rank(self, word, offered=(), deep=False):
            Words.deep_calls += deep
            return ()

    backend = [RawIssue(i * 8, i * 8 + 6, "qzx" + chr(97 + i % 26) + chr(97 + i // 26), "Unknown word", "spelling",
                        "harper.Spelling", ()) for i in range(DEEP_SUGGESTIONS + 15)]
    merge(backend, [], Words())
    assert Words.deep_calls == DEEP_SUGGESTIONS
    assert layers.DEEP_SUGGESTIONS >= 5  # a learner's few slips all get the full suggestions


def test_check_in_a_hyphenated_compound_is_no_cheque():
    from checker.proofing.layers import dictionary_issues

    words = LAYERS.words()
    nlp = load_model()
    flagged = lambda text: [i.text for i in dictionary_issues(nlp(text), words, [])]
    assert flagged("We sent a bill for a check-up she never had.") == []
    assert flagged("The bill for your check-in was paid by card.") == []
    assert flagged("We sent a check for £20 to your address.") == ["check"]


def _proofread(text):
    from checker.proofing import HarperProofreader

    backend = HarperProofreader().check([text]).issues[0]
    return [(i.text, i.suggestions[:1]) for i in LAYERS.review(load_model()(text), backend)]


def test_two_content_words_written_as_one_are_a_spelling_in_use():
    assert _proofread("You can top up the smartcard online or through our webchat.") == []


def test_little_words_run_together_are_still_errors():
    found = dict(_proofread("I will call you back aswell, everytime it fails."))
    assert "aswell" in found and "everytime" in found


def test_the_article_before_an_initialism_follows_the_first_letters_name():
    assert _proofread("We will issue an MOT reminder and send you an SMS.") == []
    assert ("a", ("an",)) in _proofread("Your doctor can send a NHS letter.")


def test_backend_rules_that_only_raised_false_alarms_are_off():
    assert _proofread("That comes to roughly £40, and the flat is 4B Mill Road.") == []
    assert _proofread("You were in Turkey for a week, so your mother was cared for while you were away.") == []


def test_an_american_spelling_that_is_also_a_place_gets_the_british_word():
    assert ("mold", ("mould",)) in _proofread("There is mold on the bedroom wall.")
