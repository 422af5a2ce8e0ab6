"""The classifier's sparse features: words and word pairs."""
from checker.acts.meaning import WordFeatures, word_features


def test_word_features_mark_the_start_the_end_and_numbers():
    found = word_features("Thanks, I've refunded £24 to you?")
    assert {"<s> thanks", "i've", "<n>", "£", "? </s>"} <= found


def test_word_features_matrix_weighs_each_known_feature_equally():
    matrix = WordFeatures.of(["a b unknown", "nothing"], {"a": 0, "b": 1})
    assert matrix.shape == (2, 2)
    assert sorted(matrix.cols.tolist()) == [0, 1]
    assert all(abs(v - 2 ** -0.5) < 1e-9 for v in matrix.values)
