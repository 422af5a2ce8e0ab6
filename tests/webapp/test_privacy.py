"""``webapp.privacy``: masking card numbers, phone numbers, email addresses and UK postcodes."""
from __future__ import annotations

import pytest

from webapp.privacy import MASK, mask_data, mask_text

M = MASK


@pytest.mark.parametrize(
    "text, expected",
    [
        # card numbers: the last four digits stay, as on a receipt
        ("card 4929 1234 5678 9012 ok", f"card {M*4} {M*4} {M*4} 9012 ok"),
        ("4929-1234-5678-9012", f"{M*4}-{M*4}-{M*4}-9012"),
        ("4929123456789012.", f"{M*12}9012."),
        ("Amex 3714 496353 98431", f"Amex {M*4} {M*6} {M}8431"),
        # phone numbers
        ("call 07700 900418 now", f"call {M*5} {M*6} now"),
        ("07700900418", M * 11),
        ("+44 7700 900418", f"+{M*2} {M*4} {M*6}"),
        ("+44 (0)20 7946 0958", f"+{M*2} ({M}){M*2} {M*4} {M*4}"),
        ("(020) 7946 0958", f"({M*3}) {M*4} {M*4}"),
        ("0113 496 0000.", f"{M*4} {M*3} {M*4}."),
        ("+33 1 23 45 67 89", f"+{M*2} {M} {M*2} {M*2} {M*2} {M*2}"),
        # email addresses: the first character stays
        ("mail jo.bloggs+x@example.co.uk please", f"mail j{M}.{M*6}+{M}@{M*7}.{M*2}.{M*2} please"),
        # UK postcodes, any case
        ("CT20 2QN, 12/09/1985", f"{M*4} {M*3}, 12/09/1985"),
        ("at M14 6QT.", f"at {M*3} {M*3}."),
        ("ls6 2qt", f"{M*3} {M*3}"),
        ("SW1A1AA", M * 7),
        # nothing personal: left alone
        ("[10:02] £38.50 on 2026-03-04, ref FLT-209114, order 55120", None),
        ("Your balance is 1,234.56 and the code is BW-7730418", None),
        ("Version 3.8.0 from 9am to 5pm, 2 to 4 March", None),
        ("", None),
    ],
    ids=lambda v: v[:30] if isinstance(v, str) else None,
)
def test_mask_text_hides_personal_data(text, expected):
    masked = mask_text(text)
    assert masked == (text if expected is None else expected)


@pytest.mark.parametrize("text", [
    "Customer: my card is 4929 1234 5678 9012 and phone 07700 900418, j@x.com, LS6 2QT",
    "Agent: email me at a.b@c.org\nCustomer: +44 20 7946 0958",
    "nothing to hide here",
])
def test_mask_text_keeps_length_so_offsets_still_point_at_the_same_text(text):
    masked = mask_text(text)
    assert len(masked) == len(text)
    # every character is either unchanged or masked
    assert all(a == b or b == MASK for a, b in zip(text, masked))


def test_mask_text_does_not_cut_a_long_digit_run_into_a_card_number():
    digits = "1234567890123456789012"  # 22 digits: not a card
    assert mask_text(digits) == digits


@pytest.mark.parametrize("value, expected", [
    ({"quote": "07700 900418", "rule": "x.y", "n": 3, "list": ["LS6 2QT", None]},
     {"quote": M * 5 + " " + M * 6, "rule": "x.y", "n": 3, "list": [M * 3 + " " + M * 3, None]}),
    ({"id": "AB1 2CD", "status": "met", "text": "AB1 2CD"}, {"id": "AB1 2CD", "status": "met", "text": M * 3 + " " + M * 3}),
])
def test_mask_data_masks_every_text_but_identifiers(value, expected):
    assert mask_data(value) == expected


def test_mask_data_on_a_real_report_hides_the_customers_details(checker):
    text = (SAMPLE := (
        "Agent: Hello, you're through to Sam. How can I help?\n"
        "Customer: I moved to LS6 2QT and my number is now 07700 900418, email jo@example.com\n"
        "Agent: Thank you. Could you confirm the card number 4929 1234 5678 9012 is yours?\n"
        "Customer: yes\n"
        "Agent: Thanks for contacting us. Have a lovely day.\n"
    ))
    data = mask_data(checker.check(SAMPLE).to_dict())
    flat = repr(data)
    for secret in ("LS6 2QT", "07700 900418", "jo@example.com", "4929 1234 5678"):
        assert secret in text
        assert secret not in flat
    assert "9012" in flat  # the card's last four digits stay
    turn = data["turns"][1]
    assert len(turn["text"]) == turn["end"] - turn["start"]  # offsets unchanged
