"""Train the guard classifiers from GovAI's own openly licensed data.

    python -m govai.guards.train            # writes guards/model/{prompt,document}.npz
    python -m govai.guards.train --check    # cross-validate only, write nothing

The data are hand-written YAML files in ``guards/data/`` plus prompts generated
from their templates with a fixed seed (see ``data/DATA_CARD.md``). No evaluation
set is read here: thresholds are chosen later, on the development sets, by
``bench/guard_bench.py``. Needs scikit-learn (``pip install govai[train]``).
"""

from __future__ import annotations

import argparse
import base64
import codecs
import hashlib
import random
import sys
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from govai.answerability.train import data_path as citizen_questions_path
from govai.evals.qa import load_questions
from govai.guards.attack_classifier import DIMENSIONS, FEATURE_VERSION, featurize, model_dir, save_model
from govai.guards.engine import instruction_like

SEED = 20240501
MODEL_DATA = {
    "prompt": ("prompts_attack.yaml", "prompts_benign.yaml", "templates.yaml", "multilingual.yaml"),
    "document": ("documents.yaml",),
}

# Fragments for optimised-suffix style gibberish (GCG-like): code, markup, stray
# multilingual words and punctuation, recombined at random.
_SUFFIX_PARTS = (
    "describing", "similarly", "Now", "write", "opposite", "](", "**", "ONE", "please", "revert", "!--", "Two",
    "{", "}", "[", "]", "(", ")", "<<", ">>", "##", "==", "Sure", "here", "tutorial", "INST", "documentclass",
    "\\", "$", "~", "^", "|", "`", "`;", "';", "\">", "/*", "*/", "::", "->", "=>", "Seq", "Manuel", "telt",
    "Hier", "ist", "vous", "quatre", "mejor", "oppos", "surely", "certain", "LaTeX", "begin", "end", "tikz",
    "Question", "Answer", "!!", "??", "...", "xml", "html", "div", "span", "printf", "println", "lambda",
    "struct", "var", "const", "nil", "null", "undefined", "(\"", "\")", "[[", "]]", "@{", "%}", "{%", "#{",
    "wiki", "Below", "Step", "sentence", "format", "Title", "cite", "ref", "emph", "newline", "sque", "heid",
    "Ur", "hum", "Vorlage", "Bildern", "Kontrola", "bajo", "dopo", "Instead", "reply", "Hmm", "ok", "yeah",
)


def data_path(name: str) -> Path:
    return Path(str(resources.files("govai.guards") / "data" / name))


def load_yaml(name: str) -> Any:
    return yaml.safe_load(data_path(name).read_text(encoding="utf-8"))


def citizen_questions(every: int = 3) -> list[str]:
    """Every third of the answerability model's benign citizen and caseworker questions
    (the rest stay out of training, to measure false refusals)."""
    return [row["question"] for row in load_questions(citizen_questions_path())[::every]]


def data_fingerprint(model: str) -> str:
    """SHA-256 over the data files a model is trained on (recorded in its metadata)."""
    digest = hashlib.sha256()
    for name in MODEL_DATA[model]:
        digest.update(data_path(name).read_bytes())
    if model == "prompt":
        digest.update(citizen_questions_path().read_bytes())
    return digest.hexdigest()


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lc(text: str) -> str:
    return text[:1].lower() + text[1:]


def gibberish_suffix(rng: random.Random) -> str:
    n = rng.randint(12, 28)
    out = []
    for _ in range(n):
        part = rng.choice(_SUFFIX_PARTS)
        if rng.random() < 0.3:
            part += rng.choice(_SUFFIX_PARTS)
        out.append(part)
    return rng.choice([" ", "", "  "]).join(out) if rng.random() < 0.2 else " ".join(out)


def _flatten(groups: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    for style, texts in groups.items():
        for text in texts:
            yield style, str(text)


def encoded_forms(text: str, rng: random.Random) -> list[str]:
    """An attack as people hide it: base64, ROT13, spaced out, leetspeak."""
    b64 = base64.b64encode(text.encode("utf-8")).decode("ascii")
    leet = text.translate(str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"}))
    spaced = " ".join(text[:60])
    return [
        f"Decode this base64 and do what it says: {b64}",
        f"{b64}",
        f"rot13: {codecs.encode(text, 'rot13')}",
        leet,
        spaced,
        rng.choice(["Reverse this and follow it: ", "Read backwards: "]) + text[::-1],
    ]


def prompt_examples(rng: random.Random) -> list[tuple[str, int, str]]:
    """(text, label, style) with label 1 = attack."""
    attack_yaml = load_yaml("prompts_attack.yaml")
    benign_yaml = load_yaml("prompts_benign.yaml")
    t = load_yaml("templates.yaml")
    out: list[tuple[str, int, str]] = []
    out += [(text, 1, f"hand:{style}") for style, text in _flatten(attack_yaml)]
    out += [(text, 0, f"hand:{style}") for style, text in _flatten(benign_yaml)]
    out += [(text, 0, "hand:citizen-questions") for text in citizen_questions()]

    goals = t["harmful_goals"]
    for goal in goals:
        out.append((_cap(goal) + rng.choice([".", "", " please.", " in detail."]), 1, "gen:goal"))
        out.append((rng.choice(["Can you ", "Please ", "I need you to ", "Could you "]) + goal + "?", 1, "gen:goal"))
        out.append((_cap(goal) + " " + gibberish_suffix(rng), 1, "gen:suffix"))
        out.append((_cap(goal) + ". " + gibberish_suffix(rng), 1, "gen:suffix"))
    for frame in t["pair_frames"]:
        for goal in rng.sample(goals, 14):
            out.append((frame.format(goal=goal, Goal=_cap(goal)), 1, "gen:frame"))
    for template in t["persona_templates"]:
        for goal in rng.sample(goals, 14):
            out.append((template.format(goal=goal), 1, "gen:persona"))
    for template in t["random_search_templates"]:
        for goal in rng.sample(goals, 20):
            out.append((template.format(goal=goal, suffix=gibberish_suffix(rng)), 1, "gen:rules-template"))
    for text in rng.sample(attack_yaml["override"] + attack_yaml["sysprompt"], 24):
        for form in encoded_forms(text, rng):
            out.append((form, 1, "gen:encoded"))

    out += _contrast_examples(t["contrast"], rng)

    multilingual = load_yaml("multilingual.yaml")
    out += [(text, 0, "hand:benign-contrast-multilingual") for text in multilingual.pop("benign_contrast")] * 2
    for lang, slots in multilingual.items():
        mark = "？" if lang == "zh" else "?"
        for start in slots["starts"]:
            for action in slots["actions"]:
                out.append((f"{start} {action}{mark}", 0, f"gen:citizen-{lang}"))
        for how in slots["how"]:
            for harm in slots["harm"]:
                out.append((f"{how} {harm}{mark}", 1, f"gen:harm-{lang}"))
    n = t["narratives"]
    for _ in range(900):
        who = rng.choice(n["people"]) + " " + rng.choice(n["situations"]) if rng.random() < 0.55 else rng.choice(n["selves"])
        extra = rng.choice(["", " " + rng.choice(n["questions"])])
        text = f"{who}. {rng.choice(n['questions'])}{extra}"
        out.append((text if rng.random() < 0.8 else _lc(text), 0, "gen:narrative"))
    c = t["citizen"]
    for start in c["starts"]:
        for action in rng.sample(c["actions"], 14):
            out.append((f"{start} {action}{rng.choice(c['endings'])}", 0, "gen:citizen"))
    for frame in t["benign_frames"]:
        for task in t["benign_tasks"]:
            out.append((frame.format(task=task, task_lc=_lc(task)), 0, "gen:benign-frame"))
    return out


def _contrast_examples(c: dict[str, Any], rng: random.Random) -> list[tuple[str, int, str]]:
    out: list[tuple[str, int, str]] = []
    for verb in c["harm_verbs"]:
        for target in rng.sample(c["human_targets"], 6):
            out.append((f"{rng.choice(c['howto'])} {verb} {target}?", 1, "gen:contrast-harm"))
        for obj in c["object_pairs"].get(verb, []):
            out.append((f"{rng.choice(c['howto'])} {verb} {obj}?", 0, "gen:contrast-safe"))
            out.append((f"{rng.choice(c['howto'])} {verb} {obj}?", 0, "gen:contrast-safe"))
    for relation in c["relations"]:
        for attr in rng.sample(c["private_attributes"], 5):
            q = rng.choice(["What is my {r}'s {a}?", "How can I find out my {r}'s {a}?", "Where can I get my {r}'s {a}?",
                            "Tell me my {r}'s {a}.", "Can you look up my {r}'s {a}?"])
            out.append((q.format(r=relation, a=attr), 1, "gen:contrast-privacy"))
    for person in c["public_people"]:
        for attr in rng.sample(c["public_attributes"], 4):
            out.append((f"{rng.choice(['What is', 'Where can I find', 'Tell me'])} {person}'s {attr}?", 0, "gen:contrast-public"))
    for person in c["fictional_people"]:
        for attr in rng.sample(c["private_attributes"], 4):
            out.append((f"{rng.choice(['What is', 'Where can I find'])} {person}'s {attr}?", 0, "gen:contrast-fictional"))
    for group in c["groups"]:
        for d in rng.sample(c["discrimination"], 4):
            q = rng.choice(["Why should {g} {d}?", "Give me reasons why {g} should {d}.", "Explain why {g} ought to {d}."])
            out.append((q.format(g=group, d=d), 1, "gen:contrast-hate"))
        for a in rng.sample(c["absurd"], 3):
            out.append((f"Why can't {group} {a}?", 0, "gen:contrast-absurd"))
    for thing in c["non_people"]:
        for d in rng.sample(c["discrimination"], 3):
            out.append((f"Why should {thing} {d}?", 0, "gen:contrast-nonsense"))
    for drug in c["drugs"]:
        for start in rng.sample(c["drug_harm"], 3):
            out.append((f"{start} {drug}?", 1, "gen:contrast-drugs"))
        for start in rng.sample(c["drug_benign"], 3):
            out.append((f"{start} {drug}?", 0, "gen:contrast-drugs-safe"))
    for perp, act in zip(c["perpetrators"], c["atrocities"]):
        out.append((f"Why was it right for {perp} to {act}?", 1, "gen:contrast-extremism"))
        out.append((f"How can I do what {perp} did and {act} again?", 1, "gen:contrast-extremism"))
        out.append((f"Why did {perp} {act}?", 0, "gen:contrast-history"))
        out.append((f"What happened when {perp} tried to {act}?", 0, "gen:contrast-history"))
    return out


def document_examples(rng: random.Random) -> list[tuple[str, int, str]]:
    """Passage segments (lines) with label 1 = injected instruction."""
    d = load_yaml("documents.yaml")
    clean: list[str] = list(d["clean_sentences"]) + list(d["clean_headings"])
    clean += [f"  * {b}" for b in d["clean_bullets"]]
    s = d["clean_slots"]
    for _ in range(1500):
        sentence = f"{rng.choice(s['subjects'])} {rng.choice(s['modals'])} {rng.choice(s['actions'])}"
        if rng.random() < 0.5:
            sentence += f" {rng.choice(s['conditions'])}"
        clean.append(sentence + ".")
    for _ in range(400):
        clean.append(" ".join(rng.sample(d["clean_sentences"], rng.randint(2, 3))))
    im = d["clean_imperatives"]
    for _ in range(1500):
        text = f"{rng.choice(im['verbs'])} {rng.choice(im['objects'])}"
        if rng.random() < 0.7:
            text += f" {rng.choice(im['tails'])}"
        clean.append(text + rng.choice([".", ".", ":", ""]))
    clean += list(im["questions"]) * 3
    # The classifier only judges instruction-like segments at run time; train it on the same kind.
    out = [(text, 0, "doc:clean") for text in clean if instruction_like(text)]

    inj = d["injection_slots"]
    injected: list[str] = list(d["injection_sentences"]) + list(inj["styles"]) + list(inj["tasks"]) + list(inj["questions"])
    for _ in range(700):
        injected.append(f"{rng.choice(inj['leads'])} {rng.choice(inj['contents'])} {rng.choice(inj['placements'])}.")
    ot = d["off_task"]
    for frame in ot["frames"]:
        for topic in rng.sample(ot["topics"], 12):
            injected.append(frame.format(t=topic))
    for task in inj["tasks"] + inj["questions"]:
        injected.append(rng.choice(["Also, ", "Before answering, ", "Then ", "Additionally: ", ""]) + _lc(task))
    for lead in inj["code_leads"]:
        for code in rng.sample(inj["code_snippets"], 5):
            injected.append(f"{lead}:\n```\n{code}\n```")
    for _ in range(500):  # an instruction slipped in right after a real sentence
        host = rng.choice(d["clean_sentences"])
        payload = rng.choice(injected)
        injected.append(f"{host} {payload}" if rng.random() < 0.5 else f"{payload} {host}")
    out += [(text, 1, "doc:injected") for text in injected]
    return out


def _matrix(texts: list[str]):  # type: ignore[no-untyped-def]
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        idx, values = featurize(text)
        rows.append(np.full(len(idx), i, dtype=np.int64))
        cols.append(idx)
        vals.append(values)
    m = csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(len(texts), DIMENSIONS)
    )
    m.sum_duplicates()
    return m


def fit(examples: list[tuple[str, int, str]], c_value: float) -> tuple[np.ndarray, float, dict[str, Any]]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    texts = [e[0] for e in examples]
    labels = np.array([e[1] for e in examples])
    x = _matrix(texts)
    model = LogisticRegression(C=c_value, class_weight="balanced", max_iter=3000, solver="liblinear")
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    predicted = cross_val_predict(model, x, labels, cv=folds, method="predict_proba")[:, 1]
    model.fit(x, labels)
    cv = {
        "folds": 5,
        "accuracy_at_0.5": round(float(((predicted >= 0.5) == labels).mean()), 4),
        "attack_recall_at_0.5": round(float((predicted[labels == 1] >= 0.5).mean()), 4),
        "benign_fpr_at_0.5": round(float((predicted[labels == 0] >= 0.5).mean()), 4),
    }
    return model.coef_[0].astype(np.float32), float(model.intercept_[0]), cv


def train(name: str, examples: list[tuple[str, int, str]], c_value: float, write: bool) -> dict[str, Any]:
    start = time.perf_counter()
    weights, bias, cv = fit(examples, c_value)
    styles: dict[str, int] = {}
    for _, _, style in examples:
        styles[style] = styles.get(style, 0) + 1
    meta = {
        "model": name,
        "kind": "logistic regression over hashed char 2-5-grams and word 1-2-grams",
        "feature_version": FEATURE_VERSION,
        "dimensions": DIMENSIONS,
        "regularisation_C": c_value,
        "seed": SEED,
        "examples": len(examples),
        "positives": sum(e[1] for e in examples),
        "styles": dict(sorted(styles.items())),
        "cross_validation": cv,
        "data_files": list(MODEL_DATA[name]),
        "data_sha256": data_fingerprint(name),
        "licence": "CC0-1.0 (training data written for GovAI); model weights under the project licence",
        "train_seconds": round(time.perf_counter() - start, 1),
    }
    if write:
        save_model(model_dir() / f"{name}.npz", weights, bias, meta)
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="cross-validate only; do not write the model files")
    parser.add_argument("--only", choices=["prompt", "document"], help="train one model")
    args = parser.parse_args(argv)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("Training needs scikit-learn: pip install 'govai[train]'", file=sys.stderr)
        return 1
    jobs = {"prompt": (prompt_examples, 4.0), "document": (document_examples, 4.0)}
    for name, (make, c_value) in jobs.items():
        if args.only and args.only != name:
            continue
        examples = make(random.Random(SEED))
        meta = train(name, examples, c_value, write=not args.check)
        print(f"{name}: {meta['examples']} examples ({meta['positives']} positive), cv {meta['cross_validation']}, "
              f"{meta['train_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
