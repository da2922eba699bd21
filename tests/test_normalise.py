"""Normalisation keeps an offset map so spans found in clean text point into what the user typed."""

from govai.text.normalise import normalise


def test_ascii_is_identity() -> None:
    norm = normalise("NI number AB 12 34 56 C")
    assert norm.text == "NI number AB 12 34 56 C"
    assert norm.offsets == list(range(len(norm.text) + 1))


def test_zero_width_and_tag_characters_removed_with_offsets_kept() -> None:
    original = "AB\u200b12\u200d34\U000E0041 56 C"
    norm = normalise(original)
    assert norm.text == "AB1234 56 C"
    start, end = norm.span_to_original(0, len(norm.text))
    assert original[start:end] == original


def test_homoglyphs_fold_to_latin() -> None:
    original = "Сорт code"  # Cyrillic С, о, р
    assert normalise(original).text == "Copt code"


def test_nfkc_fullwidth_digits_map_back() -> None:
    original = "call ０７７００ ９００１２３"
    norm = normalise(original)
    assert norm.text == "call 07700 900123"
    start, end = norm.span_to_original(5, len(norm.text))
    assert original[start:end] == "０７７００ ９００１２３"


def test_ligature_expands_and_maps_to_its_source_character() -> None:
    original = "ﬁle AB"
    norm = normalise(original)
    assert norm.text == "file AB"
    assert norm.span_to_original(0, 2) == (0, 1)
    assert norm.span_to_original(5, 7) == (4, 6)


def test_broken_surrogates_do_not_crash() -> None:
    original = "bad \ud800 text"
    norm = normalise(original)
    assert "\ufffd" in norm.text
    assert len(norm.offsets) == len(norm.text) + 1


def test_empty_text() -> None:
    norm = normalise("")
    assert norm.text == ""
    assert norm.span_to_original(0, 0) == (0, 0)
