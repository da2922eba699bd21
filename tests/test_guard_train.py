"""The shipped guard models match their training data and script."""

from __future__ import annotations

import json
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
        assert train.CHOSEN_ON[train.GROUPINGS[name][0]] == chosen["chosen_on"]
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


def test_prompt_threshold_comes_from_leave_one_family_out() -> None:
    meta = load_model("prompt").meta
    assert "leave-one-family-out" in meta["threshold"]["chosen_on"]
    cv = meta["cross_validation"]["family"]
    assert cv["folds"] == cv["groups"] >= 40  # one fold per family
    for key in ("corpus.jsonl.gz", "ordinary.yaml", "harmful.yaml"):
        assert key in meta["data_files"]


def test_leave_one_family_out_holds_out_each_family_whole() -> None:
    import numpy as np

    examples = train.prompt_examples(random.Random(train.SEED))
    labels = np.array([label for _, label, _ in examples])
    names = [train.lofo_family(style) for _, _, style in examples]
    splits, groups, left_out = train.folds(examples, labels, "family")
    assert left_out == 0 and len(splits) == groups == len(set(names))
    tested = np.zeros(len(examples), dtype=int)
    for fit_rows, test_rows in splits:
        held = {names[i] for i in test_rows}
        assert len(held) == 1 and not held & {names[i] for i in fit_rows}
        tested[test_rows] += 1
    assert (tested == 1).all()
    families = set(names)
    for family in ("clinc", "gpteacher-roleplay", "ordinary-creative", "hand-harmful-violence", "advbench",
                   "trustairlab-itw", "encoded+sources", "gen:citizen-multilingual"):
        assert family in families


def test_sample_weights_balance_classes_and_families() -> None:
    import numpy as np

    examples = train.prompt_examples(random.Random(train.SEED))
    rows = np.arange(len(examples))
    weights = train.sample_weights(examples, rows)
    labels = np.array([label for _, label, _ in examples])
    assert abs(weights[labels == 1].sum() - weights[labels == 0].sum()) < 1e-6 * len(rows)
    names = np.array([train.lofo_family(style) for _, _, style in examples])
    big, small = weights[names == "clinc"].sum(), weights[names == "ordinary-maths"].sum()
    assert big / small < (names == "clinc").sum() / (names == "ordinary-maths").sum() / 3


def test_training_data_holds_no_hold_out_or_dev_text() -> None:
    from pathlib import Path

    from govai.guards.corpus import HOLDOUT, HOLDOUT_INDIRECT, HOLDOUT_V2, REPO_ROOT, fold

    examples = train.prompt_examples(random.Random(train.SEED))
    trained = {fold(text) for text, _, _ in examples}
    held = [json.loads(line)["text"] for path in (HOLDOUT, HOLDOUT_V2)
            for line in path.read_text(encoding="utf-8").splitlines()]
    held += [json.loads(line)["document"] for line in HOLDOUT_INDIRECT.read_text(encoding="utf-8").splitlines()]
    assert len(held) > 2000
    assert not trained & {fold(text) for text in held}
    dev = Path(REPO_ROOT.parent / "shared" / "evalsets" / "guardrails" / "prompts-dev.jsonl")
    if dev.exists():
        dev_texts = {fold(json.loads(line)["text"]) for line in dev.read_text(encoding="utf-8").splitlines()}
        assert not trained & dev_texts


def test_reserved_collections_include_the_issue_16_list() -> None:
    from govai.guards.corpus import RESERVED_REPOS

    for repo in ("centerforaisafety+HarmBench", "mik0w+pallms", "f+awesome-chatgpt-prompts",
                 "JailbreakBench+artifacts", "paul-rottger+exaggerated-safety", "microsoft+BIPIA"):
        assert repo in RESERVED_REPOS


def test_labelled_sources_in_the_corpus_carry_their_labels() -> None:
    from govai.guards.corpus import DATA, label_key, load_corpus

    files = {"hh-redteam": "hh_labels.jsonl", "pyrit-objectives": "pyrit_objective_labels.jsonl"}
    rows = load_corpus()
    for family, name in files.items():
        labels = {r["key"]: r["label"] for r in map(json.loads, (DATA / name).read_text(encoding="utf-8").splitlines())}
        assert set(labels.values()) == {"harmful", "benign", "unclear"}
        kept = [r for r in rows if r["family"] in (family, f"{family}-benign")]
        assert len(kept) > 300
        for row in kept:  # harmful rows in the family, benign ones in its -benign family; unclear never
            expected = "harmful" if row["family"] == family else "benign"
            assert row["label"] == expected == labels[label_key(row["text"])]


def test_no_indirect_hold_out_injection_is_trained_on() -> None:
    from govai.guards.corpus import HOLDOUT_INDIRECT, HOLDOUT_INDIRECT_SEP, fold

    trained = {fold(text) for make in (train.document_examples, train.prompt_examples)
               for text, _, _ in make(random.Random(train.SEED))}
    held: list[str] = []
    for path in (HOLDOUT_INDIRECT, HOLDOUT_INDIRECT_SEP):
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
            if row["injection_span"]:
                start, end = row["injection_span"]
                held.append(row["document"][start:end])
    assert len(held) == 220
    assert not trained & {fold(text) for text in held}
