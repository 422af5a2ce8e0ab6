import pytest

from checker.nlp import load_model
from checker.proofing.dictionary import british
from checker.proofing.grammar import run_checks


@pytest.fixture(scope="module")
def found():
    nlp = load_model()
    words = british()

    def run(text):
        return [(i.text, i.suggestions[0], i.rule) for i in run_checks(nlp(text), words)]
    return run


@pytest.mark.parametrize("text, wrong, right, rule", [
    ("We was unable to deliver your parcel.", "was", "were", "grammar.agreement"),
    ("The engineer are coming tomorrow.", "are", "is", "grammar.agreement"),
    ("The parcels is in the depot.", "is", "are", "grammar.agreement"),
    ("I will call you on monday.", "monday", "Monday", "grammar.capitals"),
    ("I have sent the Invoice to you.", "Invoice", "invoice", "grammar.capitals"),
    ("We dont charge for that.", "dont", "don't", "grammar.contractions"),
    ("The parcel should of arrived.", "of", "have", "grammar.confusables"),
    ("Sorry for the delay the parcel was held at customs.", "delay the", "delay. The", "grammar.run_on"),
    ("Sorry about the wait the large and small boxes were sent separately.", "wait the", "wait. The", "grammar.run_on"),
    ("So that's all sorted now you'll get an email tomorrow.", "now you", "now. You", "grammar.run_on"),
    ("I will send you email tomorrow.", "email", "an email", "grammar.missing_words"),
    ("It will be with you in few days.", "in few", "in a few", "grammar.missing_words"),
    ("I'll get back you by Friday.", "back you", "back to you", "grammar.missing_words"),
    ("The engineer has went to the wrong address.", "went", "gone", "grammar.word_forms"),
    ("This tariff is more cheaper than the last one.", "more cheaper", "cheaper", "grammar.word_forms"),
    ("I don't have no record of it.", "no", "any", "grammar.word_forms"),
    ("Your right, the fee should not have been added.", "Your", "You're", "grammar.confusables"),
    ("I think your right about the fee.", "your", "you're", "grammar.confusables"),
    ("Once you're address has been changed, we'll write to you.", "you're", "your", "grammar.confusables"),
    ("Your Gym membership is frozen.", "Gym", "gym", "grammar.capitals"),
])
def test_each_check_finds_its_slip(found, text, wrong, right, rule):
    assert (wrong, right, rule) in found(text)


@pytest.mark.parametrize("text", [
    "You can choose free Click and Collect on our website.",
    "Thanks, Sunita. That all matches.",
    "I'm sorry the payment left you short this month.",
    "Reply to the confirmation email I'll send you today.",
    "Leeds is outside our area.",
    "She has been ill all week.",
    "The team are looking into it.",
    "Does that all make sense?",
    "Thank you for your email about order LK-209117.",
    "Would either of those work?",
    "Thank you, those match. Give me a minute to look at both.",  # a clause after a comma, not an object
    "Your ticket was an Off-Peak Day Return, so it is valid on that train.",  # a hyphened name
    "It only charges on days you use your phone abroad.",
    "Is it only the app that's locked?",
    "Tap Plan, then Add-ons, then Roaming.",
    "Having three items missing is bad enough.",
    "I've passed it to our Lettings team, who can arrange a viewing.",
    "Your tenancy is for Apartment 4, Block D.",
    "Dear Sir/Madam,",
    # a capital after what addresses the message, on a product's or screen's name, on a short month
    "@amira_k Your refund went out this morning.",
    "Hi [Customer Name], Thank you for your review.",
    "Kind regards, Kai\n\nP.S. Does that all make sense?",
    "You're on the 12-month Flex plan until June, and the Orders page shows it.",
    "You're through to the Members' Team.",
    "You were roaming from 3rd-6th Mar.",
    # a bare noun as a subject or after a preposition is not judged: mostly a mass noun there
    "Please keep bleach away from children.",
    "The surgery will check whether you need antibiotics or physiotherapy.",
    "We aim to restore power by teatime.",
    # "no." before a number is the sign for 'number'; "your right" held, not "you're right"
    "The driver didn't stop at no. 14 because the gate was locked.",
    "Cancelling now would not affect your right to a refund.",
    "Nothing here changes your right of appeal.",
    # a reflexive fills no relative clause's gap; an auxiliary before its subject makes one question
    "That's a change I can make myself today.",
    # a plural after "between" needs no "and"; a subordinator of several words opens a clause;
    # whom a verb of telling tells, then what, however the parse attaches it
    "Moving a payment between accounts has to be done by our Billing team.",
    "Keep the receipt in case you need it later.",
    "I'll call you today, and in the event that the engineer is delayed again you will get a text.",
    "The shop sold you a card without warning you it expires in March.",
    # a comma may be left out after an opening subordinate clause
    "As soon as it's back I'll send the form to the insurer myself.",
    "Once the engineer has been we'll close the case.",
    # the parser draws "twice and three" into the second subject: still one sentence
    "So the payment went out twice and two promised calls never came.",
    # a modal's bare verb; a group noun with a plural verb; an amount as one thing; "that" as a pronoun
    "Should any part of this letter require clarification, please ask.",
    "The warehouse have confirmed your sofa missed this morning's van.",
    "Four calls to the helpline in one morning is exhausting, I know.",
    "Thanks, that matches.",
    # a noun made from a verb with -al names the act, like "confirmation"
    "Refunds this old need approval from our billing team.",
    "Please check the parcel on arrival.",
    "If I have missed part of your complaint, please reply.",
    "I can see from your account you're on the monthly plan.",
    "Go to Settings > Privacy > Location and switch it on.",
])
def test_correct_british_sentences_are_left_alone(found, text):
    assert found(text) == []


def test_an_auxiliary_before_its_subject_makes_one_question_however_the_parse_splits_it(checker):
    """The parser can hang "anybody" on "Has" and read the noun after it as the subject of the
    main verb; the auxiliary before that subject still makes it one question, not a run-on."""
    from spacy.tokens import Doc

    from checker.proofing.grammar import run_on

    words = ["Has", "anybody", "upstairs", "lost", "power", "?"]
    doc = Doc(checker.nlp.vocab, words=words, pos=["AUX", "PRON", "NOUN", "VERB", "NOUN", "PUNCT"],
              tags=["VBZ", "NN", "NN", "VBN", "NN", "."], heads=[3, 0, 3, 3, 3, 3],
              deps=["aux", "dobj", "nsubj", "ROOT", "dobj", "punct"], sent_starts=[True] + [False] * 5)
    assert [issue.text for issue in run_on(doc, None)] == []
