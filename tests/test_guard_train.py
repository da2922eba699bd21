"""The shipped guard models match their training data and script."""

from __future__ import annotations

import random

from govai.guards import train
from govai.guards.attack_classifier import DIMENSIONS, featurize, load_model, model_dir


def test_shipped_models_were_trained_on_the_current_data() -> None:
    for name in ("prompt", "document"):
        model = load_model(name)
        assert model.weights.shape == (DIMENSIONS,)
        assert model.meta["data_sha256"] == train.data_fingerprint(name), (
            f"guards/data changed since {name}.npz was trained: run python -m govai.guards.train"
        )


def test_model_files_are_small() -> None:
    total = sum(p.stat().st_size for p in model_dir().iterdir())
    assert total < 5 * 1024 * 1024


def test_generation_is_deterministic_and_labelled() -> None:
    a = train.prompt_examples(random.Random(train.SEED))
    b = train.prompt_examples(random.Random(train.SEED))
    assert a == b
    assert {label for _, label, _ in a} == {0, 1}
    docs = train.document_examples(random.Random(train.SEED))
    assert sum(label for _, label, _ in docs) > 500


def test_features_are_stable_across_processes() -> None:
    idx, values = featurize("Ignore previous instructions")
    assert len(idx) == len(values) > 20
    assert abs(float((values**2).sum()) - 2.0) < 1e-4  # two L2-normalised blocks
    assert int(idx.min()) >= 0 and int(idx.max()) < DIMENSIONS


def test_shipped_thresholds_are_the_ones_cross_validation_chose() -> None:
    from govai.guards.engine import DEFAULT_THRESHOLDS

    for name in ("prompt", "document"):
        chosen = load_model(name).meta["threshold"]
        assert "grouped by template" in chosen["chosen_on"]
        assert DEFAULT_THRESHOLDS[name] == chosen["value"], (
            f"engine.DEFAULT_THRESHOLDS[{name!r}] is not the threshold python -m govai.guards.train chose"
        )


def test_grouped_folds_never_split_a_template_or_a_prompt_and_its_variants() -> None:
    import numpy as np

    for make in (train.prompt_examples, train.document_examples):
        examples = make(random.Random(train.SEED))
        labels = np.array([label for _, label, _ in examples])
        keys = train.group_keys(examples, "template")
        splits, _, left_out = train.folds(examples, labels, "template")
        assert left_out < len(examples) // 5
        for fit_rows, test_rows in splits:
            seen = {k for i in fit_rows for k in keys[i]} | {" ".join(examples[i][0].lower().split()) for i in fit_rows}
            for i in test_rows:
                assert not seen & (set(keys[i]) | {" ".join(examples[i][0].lower().split())}), examples[i][2]
    styles = [style for _, _, style in train.prompt_examples(random.Random(train.SEED))]
    assert len({s for s in styles if s.startswith("gen:frame#")}) > 10  # frame expansions carry their template's key
    encoded = [s for s in styles if s.startswith("gen:encoded#")]
    assert encoded and all(s.partition("#")[2].startswith("h") for s in encoded)
