import pytest

from checker.proofing.dictionary import _cost, british


@pytest.fixture(scope="module")
def words():
    return british()


@pytest.mark.parametrize("us, uk", [("color", "colour"), ("canceled", "cancelled"), ("organize", "organise"),
                                    ("center", "centre"), ("catalog", "catalogue"), ("fulfill", "fulfil"),
                                    ("analyzed", "analysed"), ("Neighbor", "Neighbour"), ("mold", "mould"),
                                    ("moldy", "mouldy"), ("smolder", "smoulder")])
def test_us_spellings_get_their_british_form(words, us, uk):
    assert words.us_to_uk(us) == uk


@pytest.mark.parametrize("word", ["colour", "doctor", "order", "water", "minister", "cancelled", "size", "prize",
                                  "told", "holder", "golden"])
def test_british_and_ordinary_words_are_left_alone(words, word):
    assert words.us_to_uk(word) is None


@pytest.mark.parametrize("wrong, right", [("untill", "until"), ("adress", "address"), ("wich", "which"),
                                          ("definately", "definitely"), ("truely", "truly"), ("arent", "aren't"),
                                          ("Wednsday", "Wednesday")])
def test_the_first_suggestion_is_the_learners_word(words, wrong, right):
    assert words.rank(wrong)[0] == right


def test_a_suggestion_worse_than_the_best_is_not_offered(words):
    assert "defiantly" not in words.rank("definately", ("definitely", "defiantly"))


def test_learners_slips_cost_less_than_other_edits():
    assert _cost("untill", "until") < _cost("untill", "distill")
    assert _cost("todays", "today's") < _cost("todays", "to days")
