"""Batch detection (``Detector.detect_many``): the same entities as ``detect`` one text at a time, with the NER
model's requests of many texts answered in one call; and the model's faster matrix product changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govai.pii.detector as detector_module
from govai.pii.detector import WINDOW_CHARS, Detector
from govai.pii.ner import DEFAULT_MODEL, load_ner
from govai.pii.registry import ModelRequest, TextDoc

TEXTS = [
    "Spoke to Adaeze Okonkwo (mum) about the referral; call her on 07700 900123.",
    "",
    "   \n\t ",
    "CALLER: my name's tendai moyo and my dob is 3/4/85\nAGENT: thanks Tendai",
    "Present: SO (chair), RB, Ayo Bankole\nSO asked RB to circulate the notes.",
    "Letter to Mr D. Okafor, 14 Mill Lane, Leigh WN7 1XX about his NI number AB 12 34 56 C.",
    "Kind regards,\nPriya Ramanathan\nCaseworker",
]


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector().warm_up()


def test_detect_many_finds_what_detect_finds(detector: Detector) -> None:
    long_text = ("Ms Grace Adjei rang about her rent. " * 700)[: WINDOW_CHARS + 5_000]  # streamed in windows
    texts = [*TEXTS, long_text, *TEXTS]
    assert list(detector.detect_many(texts, batch=3)) == [detector.detect(t) for t in texts]
    assert any(e.label == "PERSON" for e in detector.detect(TEXTS[0]))


def test_detect_many_answers_a_batch_of_texts_in_one_model_call(detector: Detector, monkeypatch) -> None:
    calls: list[int] = []
    real = detector_module.answer

    def counting(request: ModelRequest):  # type: ignore[no-untyped-def]
        calls.append(len(request.texts))
        return real(request)

    monkeypatch.setattr(detector_module, "answer", counting)
    texts = ["Met Kamal Haddad at the hub.", "Chidi Eze signed for it.", "Saw Wren Ashdown today."] * 4
    found = list(detector.detect_many(texts))
    assert len(calls) == 1 and calls[0] >= 2  # every text's windows in one call, not one call per text
    calls.clear()
    assert [detector.detect(t) for t in texts] == found
    assert len(calls) > 1


def test_detect_many_refuses_bytes(detector: Detector) -> None:
    with pytest.raises(TypeError, match="decode bytes first"):
        list(detector.detect_many(["fine", b"not text"]))  # type: ignore[list-item]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(max_size=80) | st.sampled_from(TEXTS), max_size=6))
def test_detect_many_equals_detect_on_any_text(detector: Detector, texts: list[str]) -> None:
    assert list(detector.detect_many(texts, batch=4)) == [detector.detect(t) for t in texts]


def test_recogniser_without_steps_still_runs_in_a_batch() -> None:
    class Shouty:
        name, labels, order = "shouty", ("PERSON",), 99

        def find(self, doc: TextDoc, found):  # type: ignore[no-untyped-def]
            from govai.pii.entities import Entity

            return [Entity(0, 5, "PERSON", 0.9, self.name, ())] if doc.text.startswith("HELLO") else []

    only = Detector([Shouty()])
    assert [[(e.start, e.end) for e in got] for got in only.detect_many(["HELLO there", "bye"])] == [[(0, 5)], []]


def test_numpy_matmul_gives_the_model_the_same_entities() -> None:
    spacy = pytest.importorskip("spacy")
    nlp = load_ner(DEFAULT_MODEL)
    if nlp is None:
        pytest.skip("the NER model is not installed")
    plain = spacy.load(DEFAULT_MODEL, exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"])
    texts = ["Dr Amara Nwosu met Councillor Pete Hughes in Wrexham on Monday.",
             "Handed over to Siobhan O'Neill from Barclays at 5pm.", *TEXTS[:1]]
    ours = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(texts)]
    theirs = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in plain.pipe(texts)]
    assert ours == theirs and any(ours)
    assert type(nlp.get_pipe("ner").model.ops).__name__ == "MatmulOps"
