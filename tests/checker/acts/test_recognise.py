"""The acts stage on whole conversations: gating, offsets into the source, explanations, and the
pattern-only fallback when the sentence model is missing."""
from __future__ import annotations

import pytest

from checker.acts.encoder import EncoderStatus, load_encoder, _verify, MODEL_SHA256, TOKENIZER_PATH, TOKENIZER_SHA256
from checker.acts.recognise import ActRecogniser
from checker.analyse import analyse
from checker.parse import parse_transcript

CHAT = """Agent: Good morning, you're through to Sam at Fernside Energy. How can I help?
Customer: You've taken my direct debit twice this month.
Agent: I'm sorry you've been charged twice, I can see why that's worrying. Can I take your postcode and date of birth?
Customer: LS6 2AB, 4 March 1980
Agent: Thanks, that all matches. I've refunded the second payment and you'll see it within 3 working days. Does that make sense?
Customer: Yes thanks
Agent: Thanks for contacting Fernside Energy, have a lovely day."""


@pytest.fixture(scope="module")
def acted(checker):
    conversation = parse_transcript(CHAT)
    return checker.acts(checker.analyse(conversation))


def _names(acted, turn):
    return {a.name for a in acted.acts if a.turn == turn}


def test_recognise_agent_and_customer_acts(acted):
    assert {"greeting", "offer_help"} <= _names(acted, 0)
    assert "problem_statement" in _names(acted, 1)
    assert {"specific_acknowledgement", "identity_request"} <= _names(acted, 2)
    assert "gives_identifier" in _names(acted, 3)
    assert "understanding_check" in _names(acted, 4)
    assert "farewell" in _names(acted, 6)


def test_recognise_offsets_point_into_the_source(acted):
    source = acted.conversation.source
    for act in acted.acts:
        turn = acted.conversation.turns[act.turn]
        assert source[act.start:act.end] == turn.text[act.local[0]:act.local[1]]
        assert source[act.start:act.end].strip()


def test_recognise_explains_each_act(acted):
    for act in acted.acts:
        assert act.source in ("meaning", "example", "pattern")
        assert act.evidence
        if act.source == "meaning":
            assert "reads like the example" in act.evidence


def test_greeting_gated_to_the_opening(acted):
    """'have a lovely day' at the end is a farewell, never a greeting."""
    assert "greeting" not in _names(acted, 6)


def test_findings_name_the_act_and_recogniser(checker):
    report = checker.check(CHAT)
    data = report.to_dict()
    assert data["act_recognisers"]["model"] == "all-MiniLM-L6-v2-int8-7bit"
    assert data["acts"] and all({"name", "turn", "start", "end", "confidence", "source", "evidence"} <= set(a) for a in data["acts"])
    greeting = report.criterion("greeting")
    assert greeting.status == "met"


def test_without_the_model_acts_come_from_patterns_and_the_report_says_so(checker):
    recogniser = ActRecogniser(checker.nlp, encoder=None, encoder_status=EncoderStatus(False, "", "the sentence model package is not installed; acts were recognised by patterns only"))
    text = "Agent: Hello [Customer Name], can you confirm your PIN?\nCustomer: ok"
    acted = recogniser.recognise(analyse(parse_transcript(text), checker.nlp, None))
    assert {a.name for a in acted.acts} == {"placeholder", "sensitive_request"}
    assert "patterns only" in acted.recognisers["note"]
    assert acted.recognisers["model"] is None


def test_encoder_hashes_are_verified(tmp_path):
    assert _verify(TOKENIZER_PATH, TOKENIZER_SHA256)
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not the model")
    assert not _verify(fake, MODEL_SHA256)


def test_encoder_vectors_are_unit_length_and_repeatable():
    encoder, status = load_encoder()
    assert status.available, status.reason
    a = encoder.embed(["Could I take your postcode, please?", "Have a lovely evening."])
    b = encoder.embed(["Could I take your postcode, please?"])
    assert a.shape == (2, 384)
    assert abs(float((a[0] ** 2).sum()) - 1.0) < 1e-4
    assert float(abs(a[0] - b[0]).max()) < 1e-5


def test_a_sentence_vector_does_not_depend_on_the_other_sentences():
    """The integer model scales its activations by what one run holds, so each sentence runs
    alone: it gets the very same vector alone, among others, and whatever was embedded before."""
    encoder, status = load_encoder()
    assert status.available, status.reason
    encoder.clear_cache()
    sentences = ["Hi Sam.", "Could I take your postcode, please?", "Have a lovely evening.",
                 "I'm sorry the engineer did not arrive on Tuesday as promised, and I understand how "
                 "frustrating it is to take a day off work and wait in for nobody to turn up."]
    together = encoder.embed(sentences)
    encoder.clear_cache()
    alone = [encoder.embed([s])[0] for s in sentences]
    encoder.clear_cache()
    reversed_order = encoder.embed(sentences[::-1])[::-1]
    assert all((a == b).all() for a, b in zip(alone, together))
    assert (reversed_order == together).all()


def test_the_encoder_is_the_integer_model_derived_from_the_pinned_file(tmp_path, monkeypatch):
    """The integer form is derived into the cache directory once, checked by sha256, and
    derived again when the cached copy is damaged."""
    from checker.acts import fast_model
    from checker.acts.encoder import installed_model_path

    monkeypatch.setenv("REPLYCHECK_CACHE_DIR", str(tmp_path))
    path = fast_model.fast_model_path(installed_model_path())
    assert path.parent == tmp_path and fast_model.file_sha256(path) == fast_model.FAST_MODEL_SHA256
    path.write_bytes(b"damaged")
    assert fast_model.file_sha256(fast_model.fast_model_path(installed_model_path())) == fast_model.FAST_MODEL_SHA256


def test_without_the_integer_model_the_acts_run_on_patterns_and_say_why(monkeypatch):
    from checker.acts import encoder as encoder_module
    from checker.acts.fast_model import FastModelUnavailable

    def unavailable(source):
        raise FastModelUnavailable("onnx is not installed")

    monkeypatch.setattr(encoder_module, "fast_model_path", unavailable)
    encoder, status = encoder_module.load_encoder()
    assert encoder is None and not status.available
    assert "onnx is not installed" in status.reason and "patterns only" in status.reason


def test_two_encoder_threads_give_the_same_vectors():
    """A single check encodes two sentences at once, one core each; the judgements must not depend
    on it (each sentence still runs alone, so its vector is the one a single thread gives)."""
    one, status = load_encoder(threads=1)
    two, _ = load_encoder(threads=2)
    assert status.available, status.reason
    assert one._pool is None and two._pool is not None
    sentences = ["Thanks for waiting, Priya.", "I've reset the router remotely and the line test now passes.",
                 "Is there anything else I can help with today?"] * 3
    assert (one.embed(sentences) == two.embed(sentences)).all()
    two.close()  # what Checker.close does: the threads stop
    assert two._pool._shutdown


# -- what an act needs, whatever recognised it ------------------------------------------------

def _acts_of(checker, text, speaker="agent", agent=None):
    conversation = parse_transcript(text, agent=agent)
    return checker.acts(checker.analyse(conversation)).acts


def test_identity_request_needs_an_identifier(checker):
    """A name alone verifies nobody; a request naming an identifier is an identity request, and
    the act says which identifiers it asks for."""
    asked = [a for a in _acts_of(checker, "Agent: Hi, could you confirm your postcode and date of birth for me please?")
             if a.name == "identity_request"]
    assert asked and set(asked[0].items) == {"postcode", "date of birth"}
    assert "asks for postcode, date of birth" in asked[0].evidence
    assert not [a for a in _acts_of(checker, "Agent: Hi! whats ur name?") if a.name == "identity_request"]


def test_disclosure_needs_new_data(checker):
    """An agent repeating the customer's own figures is acknowledging, not disclosing; a figure
    the customer never gave is account data."""
    text = ("Customer: You took £62.10 from my account on the 5th and again on the 6th.\n"
            "Agent: £62.10 taken on the 5th and again on the 6th isn't right, I'll sort it.\n"
            "Agent: Your balance is now £312.40 and your next payment is due on 14 June.")
    names = [(a.turn, a.name) for a in _acts_of(checker, text)]
    assert (1, "disclosure") not in names
    assert (2, "disclosure") in names


def test_the_customers_own_name_is_no_new_data(checker):
    """Greeting the customer by the name the transcript shows for them discloses nothing."""
    text = ("Margaret Ellery: You took my £96 direct debit twice on 2 March.\n"
            "Northmere Energy: Hi Margaret, so your £96 payment went out twice on 2 March.\n")
    names = [(a.turn, a.name) for a in _acts_of(checker, text, agent="Northmere Energy")]
    assert (1, "disclosure") not in names


def test_escalation_needs_a_verb(checker):
    """A signature line naming a team refers nobody."""
    text = ("Customer: My claim was turned down and I want it looked at again.\n"
            "Agent: I've passed your claim to our Claims Review team, who will call you by Friday.\n"
            "Agent: Claims Review Team")
    names = [(a.turn, a.name) for a in _acts_of(checker, text)]
    assert (1, "escalation") in names
    assert (2, "escalation") not in names


def test_read_back_needs_old_data(checker):
    """A read-back restates what was said or agreed: a sum-up whose figures were all said before
    is one; a sentence bringing a figure nobody has said yet informs, whatever its wording."""
    text = ("Customer: My parcel 88123 was meant to come on Monday and it still isn't here.\n"
            "Agent: So just to recap, parcel 88123 was due on Monday and it hasn't arrived?\n"
            "Customer: Yes.\n"
            "Agent: So just to recap, the parcel left our depot on 14 May and was signed for by J. Patel.")
    names = [(a.turn, a.name) for a in _acts_of(checker, text)]
    assert (1, "read_back") in names
    assert (3, "read_back") not in names


SIGNED_EMAIL = """From: Amy Lowe <amy@example.com>
To: help@hollybank.example
Subject: Payment plan

Hello,

I lost my job in May and can't pay the rest of this year's bill in one go. Can you help?

Amy

From: Hollybank Council <counciltax@hollybank.example>
To: Amy Lowe <amy@example.com>
Subject: RE: Payment plan

Dear Ms Lowe,

I'm sorry to hear you lost your job in May. I've passed your request to our Recovery team, who will call you by Friday.

Thank you.

Kind regards,
[Agent Name]
Council Tax Team
Tel: 0300 555 0199 | Email: counciltax@hollybank.example
If you have received this email in error, please tell the sender and delete it; you must not copy or use it.
"""


def test_an_email_signature_carries_no_acts_but_its_placeholders(checker):
    """Below the sign-off come the sender's details: a contact line refers nobody on and a
    disclaimer blames nobody, but a placeholder left there is still one. A body line "Thank you."
    followed by more of the letter is not the sign-off."""
    acted = checker.acts(checker.analyse(parse_transcript(SIGNED_EMAIL)))
    agent = [t.index for t in acted.conversation.turns if t.role == "agent"][-1]
    text = acted.conversation.turns[agent].text
    signature = text.index("Council Tax Team")
    after = {a.name for a in acted.in_turn(agent) if a.local[0] >= signature}
    assert after <= {"sign_off", "placeholder"}, after  # the signature's name lines sign off
    names = {a.name for a in acted.in_turn(agent)}
    assert {"escalation", "placeholder", "sign_off"} <= names
    assert any(a.name == "placeholder" and acted.conversation.source[a.start:a.end] == "[Agent Name]"
               for a in acted.acts)


def _disclosures(checker, agent_text, customer_text="Can you help me with my account?"):
    conversation = parse_transcript(f"Customer: {customer_text}\nAgent: {agent_text}")
    acted = checker.acts(checker.analyse(conversation))
    return [(a.source, conversation.source[a.start:a.end], a.features) for a in acted.acts if a.name == "disclosure"]


@pytest.mark.parametrize("text, detail", [
    ("We've got 07700 900118 for him.", "07700 900118"),
    ("Sure, I'll send it to the address on file, marta.k82@example.com.", "marta.k82@example.com"),
    ("Is the postcode on the account still YO10 4RP?", "YO10 4RP"),
])
def test_a_persons_contact_detail_the_customer_never_gave_is_a_disclosure_by_its_structure(checker, text, detail):
    found = [d for d in _disclosures(checker, text) if d[0] == "structure"]
    assert found and found[0][1] == detail and "personal_data" in found[0][2]


@pytest.mark.parametrize("agent, customer", [
    ("Thanks, I'll text the code to 07700 900451 now.", "Please text it to 07700 900451"),
    ("Please email photographs of the damage to claims.north@example.com.", "How do I send the photos?"),
    ("You can email us at repairs@example.com or ring us.", "How do I report a repair?"),
    ("If you'd like to complain, please email customer.relations@example.com.", "Who do I complain to?"),
])
def test_the_customers_own_detail_or_the_organisations_address_discloses_nothing(checker, agent, customer):
    assert not [d for d in _disclosures(checker, agent, customer) if d[0] == "structure"]


@pytest.mark.parametrize("text, beyond", [
    ("Thanks for contacting Swift Parcels.", False),
    ("Many thanks again for your patience today!", False),
    ("Thanks, Sarah.", False),
    ("Thank you for contacting us, have a lovely evening.", True),
    ("Thanks for chatting with us today, goodbye.", True),
    ("Take care.", True),
])
def test_an_acts_sentence_records_whether_it_says_more_than_thanks(checker, text, beyond):
    from checker.acts.recognise import Unit, _has

    conversation = parse_transcript(f"Customer: ok\nAgent: {text}")
    analysed = checker.analyse(conversation)
    turn, doc = conversation.turns[1], analysed.docs[1]
    unit = Unit(turn=turn, start=0, end=len(turn.text), span=doc[:], position=0, of=1)
    assert _has("beyond_thanks", unit) is beyond


@pytest.mark.parametrize("text, read", [
    ("@77120 Hi there, sorry you've had no service since Monday.", "Hi there, sorry you've had no service since Monday."),
    ("@dan_w @Flo.22: Thanks for waiting. ^JS", "Thanks for waiting."),
    ("Email us at help@example.com ^KB", "Email us at help@example.com"),
    ("@77120", "@77120"),  # a handle alone stays as it is
    ("Your ref is A^BC", "Your ref is A^BC"),
])
def test_the_encoder_reads_a_post_without_its_handles_and_caret_initials(text, read):
    from checker.acts.recognise import meaning_text

    assert meaning_text(text) == read


def test_a_handle_before_an_acknowledgement_does_not_hide_it(checker):
    """The @handle a social reply starts with is no part of its meaning: the same sentence is
    recognised with it as without it."""
    text = ("Customer: my broadband has been down since yesterday and nobody has told me anything\n"
            "Agent: {}\nCustomer: ok")
    sentence = "Hi there, sorry to hear you've been without service since yesterday, that's really frustrating."
    acts_of = [{a.name for a in checker.acts(checker.analyse(parse_transcript(text.format(s)))).acts if a.turn == 1}
               for s in (sentence, "@77120 " + sentence + " ^RK")]
    assert "specific_acknowledgement" in acts_of[0]
    assert "specific_acknowledgement" in acts_of[1]


def test_the_encoder_started_after_parsing_gives_the_same_acts(checker):
    """``analyse_and_act`` starts the encoder as soon as the messages are parsed, beside named
    entities and proofreading: its acts are those of the stages run one after the other."""
    conversation = parse_transcript(CHAT)
    ruleset = checker.ruleset("default")
    together = checker.analyse_and_act(conversation, ruleset)
    in_turn = checker.acts(checker.analyse(conversation, ruleset.accepted_words), ruleset)
    assert together.acts == in_turn.acts and together.acts


def test_the_encoder_is_started_before_named_entities(checker):
    started = []

    def after_parse(docs):
        started.append(any(d.has_annotation("ENT_IOB") for d in docs))

    analysed = checker.analyse(parse_transcript(CHAT), after_parse=after_parse)
    assert started == [False]  # called once, before the entity recogniser ran
    assert any(d.has_annotation("ENT_IOB") for d in analysed.docs)


def test_embed_later_gives_the_vectors_embed_gives():
    encoder, _ = load_encoder()
    sentences = ["Could I take your postcode, please?", "Thanks for waiting.", "Could I take your postcode, please?"]
    assert (encoder.embed_later(sentences).result() == encoder.embed(sentences)).all()
    encoder.close()


@pytest.mark.parametrize("text, expected", [
    ("Could I take the booking reference and the surname it's under?", "name on the record"),
    ("And the full name on the policy, please?", "name on the record"),
    ("Can I take a name for the new booking?", None),  # a new booking's name, not a check
    ("What's your name?", None),  # to address the customer, not to check the record
    ("Can I have your phone number?", None),
    ("What's the mobile number on the account?", None),  # what finds a mobile account, not a check of it
])
def test_a_detail_asked_for_as_the_record_holds_it_is_named(text, expected):
    from checker.acts.recognise import identifiers_in

    found = identifiers_in(text)
    if expected is None:
        assert "name on the record" not in found
    else:
        assert expected in found


def test_an_emails_closing_part_ends_at_its_sign_off_not_its_signature(checker):
    """However long the signature (a job title, phone lines, a disclaimer), the closing part of
    an email is its last units up to the sign-off: a farewell there is in position."""
    from checker.acts.recognise import EMAIL_CLOSING_UNITS, units_of
    from checker.parse.email_thread import signature_start

    text = ("From: Dev Rao <dev.rao@brookline.example>\nTo: Ann Lee <ann@example.net>\nSubject: Re: Meter\n\n"
            "Dear Ms Lee,\n\nThe engineer will replace the meter on Monday. The visit is free.\n\n"
            "Have a lovely weekend.\n\nKind regards,\nDev Rao\nMetering Officer\nBrookline Energy\n"
            "Tel 0300 000 0000\nLines open 8am to 6pm\nbrookline.example/contact\n")
    conversation = parse_transcript(text, agent="Dev Rao")
    turn = conversation.turns[0]
    units = units_of(turn, checker.nlp(turn.text), signature_start(turn))
    farewell = next(u for u in units if u.text.startswith("Have a lovely weekend"))
    assert len(units) - farewell.position > EMAIL_CLOSING_UNITS  # out of reach counted from the end
    assert farewell.position >= farewell.closing_from
    acted = checker.acts(checker.analyse(conversation))
    assert any(a.name == "farewell" and "lovely weekend" in a.evidence + conversation.source[a.start:a.end]
               for a in acted.acts)
