"""Train the guard classifiers from GovAI's own openly licensed data.

    python -m govai.guards.train            # writes guards/model/{prompt,document}.npz
    python -m govai.guards.train --check    # cross-validate only, write nothing

The data are hand-written YAML files in ``guards/data/`` plus prompts generated
from their templates with a fixed seed (see ``data/DATA_CARD.md``). No evaluation
set is read here.

Cross-validation is grouped by template (``group_keys``): a template's expansions, and a
hand-written text with its encoded, suffixed or glued variants, never sit on both sides of
a fold, so no fold is judged on near-copies of its own training rows. The ungrouped folds
of earlier releases and folds holding out whole styles are reported beside it. The
shipped decision threshold (``engine.DEFAULT_THRESHOLDS``) is chosen here, from the
template-grouped out-of-fold scores of the whole screen (rules + the fold's classifier):
the lowest threshold whose false-positive rate on the benign training rows stays within
``MAX_FPR``. The development sets only measure it (``bench/guard_bench.py``).
Needs scikit-learn (``pip install govai[train]``).
"""

from __future__ import annotations

import argparse
import base64
import codecs
import hashlib
import itertools
import math
import random
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml

from govai.answerability.train import data_path as citizen_questions_path
from govai.evals.qa import load_questions
from govai.guards import intent
from govai.guards.attack_classifier import (
    DIMENSIONS,
    FEATURE_VERSION,
    LinearModel,
    featurize,
    model_dir,
    save_intent,
    save_model,
)
from govai.guards.engine import Screen, read_segments, segment_score
from govai.guards.offtopic import OffTopic
from govai.guards.segments import instruction_like, segments

SEED = 20240501
FOLDS = 5
# The false-positive budget on benign training rows that fixes the shipped threshold.
MAX_FPR: dict[str, float] = {"prompt": 0.02, "document": 0.01}
# Encoded variants are made from these hand-written styles (``encoded_forms``): one group
# when grouping by style.
_ENCODED_SOURCES = ("hand:override", "hand:sysprompt", "gen:encoded")

Example = tuple[str, int, str]  # (text, label 1 = attack, style)
Grouping = Literal["rows", "template", "style", "family"]
MODEL_DATA = {
    "prompt": ("prompts_attack.yaml", "prompts_benign.yaml", "templates.yaml", "multilingual.yaml", "ordinary.yaml",
               "harmful.yaml", "corpus.jsonl.gz"),
    "document": ("documents.yaml", "calibration-passages.jsonl.gz"),
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


def prompt_examples(rng: random.Random) -> list[Example]:
    """(text, label, style) with label 1 = attack. A style may end in ``#key``: the template or
    hand-written prompt the row comes from (see ``groups``)."""
    attack_yaml = load_yaml("prompts_attack.yaml")
    benign_yaml = load_yaml("prompts_benign.yaml")
    t = load_yaml("templates.yaml")
    out: list[Example] = []
    out += [(text, 1, f"hand:{style}#{text_key(text)}") for style, text in _flatten(attack_yaml)]
    out += [(text, 0, f"hand:{style}#{text_key(text)}") for style, text in _flatten(benign_yaml)]
    out += [(text, 0, f"hand:citizen-questions#{text_key(text)}") for text in citizen_questions()]

    goals = t["harmful_goals"]
    for i, goal in enumerate(goals):  # a goal asked plainly and with a gibberish suffix: one group
        out.append((_cap(goal) + rng.choice([".", "", " please.", " in detail."]), 1, f"gen:goal#goal{i}"))
        out.append((rng.choice(["Can you ", "Please ", "I need you to ", "Could you "]) + goal + "?", 1,
                    f"gen:goal#goal{i}"))
        out.append((_cap(goal) + " " + gibberish_suffix(rng), 1, f"gen:suffix#goal{i}"))
        out.append((_cap(goal) + ". " + gibberish_suffix(rng), 1, f"gen:suffix#goal{i}"))
    for i, frame in enumerate(t["pair_frames"]):
        for goal in rng.sample(goals, 14):
            out.append((frame.format(goal=goal, Goal=_cap(goal)), 1, f"gen:frame#frame{i}"))
    for i, template in enumerate(t["persona_templates"]):
        for goal in rng.sample(goals, 14):
            out.append((template.format(goal=goal), 1, f"gen:persona#persona{i}"))
    for i, template in enumerate(t["random_search_templates"]):
        for goal in rng.sample(goals, 20):
            out.append((template.format(goal=goal, suffix=gibberish_suffix(rng)), 1, f"gen:rules-template#rs{i}"))
    for text in rng.sample(attack_yaml["override"] + attack_yaml["sysprompt"], 24):
        for form in encoded_forms(text, rng):  # grouped with the hand-written prompt it encodes
            out.append((form, 1, f"gen:encoded#{text_key(text)}"))

    out += _contrast_examples(t["contrast"], rng)

    multilingual = load_yaml("multilingual.yaml")
    out += [(text, 0, f"hand:benign-contrast-multilingual#{text_key(text)}")
            for text in multilingual.pop("benign_contrast")] * 2
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
    for i, frame in enumerate(t["benign_frames"]):
        for task in t["benign_tasks"]:
            out.append((frame.format(task=task, task_lc=_lc(task)), 0, f"gen:benign-frame#bframe{i}"))
    out += ordinary_examples(rng)
    out += harmful_examples(rng)
    out += corpus_examples()
    return out


def ordinary_examples(rng: random.Random) -> list[Example]:
    """Ordinary chat requests (``ordinary.yaml``): essays, jokes, recipes, personas, follow-ups, code,
    defensive security code, maths, general questions, Welsh, alarming-but-fine questions. Label 0;
    family ``ordinary-<key>``."""
    d = load_yaml("ordinary.yaml")
    out: list[Example] = []
    c = d["creative"]
    for i, thing in enumerate(c["things"]):
        for _ in range(10):
            filled = thing.format(topic=rng.choice(c["topics"]), dish=rng.choice(c["dishes"]))
            out.append((f"{rng.choice(c['asks'])} {filled}", 0, f"ordinary-creative#ocreative{i}"))
    p = d["persona"]
    for i, role in enumerate(p["roles"]):
        for opener in rng.sample(p["openers"], 6):
            out.append((f"{opener} {role}{rng.choice(p['tails'])}", 0, f"ordinary-persona#opersona{i}"))
    k = d["code"]
    # Later families draw from their own generator, so adding one leaves the others' rows as they were.
    for key, draw in (("code", rng), ("security_code", random.Random(f"{SEED}:security_code"))):
        for i, task in enumerate(d[key]["tasks"]):
            for ask in draw.sample(k["asks"], 4):
                out.append((f"{ask} {task}{draw.choice(k['tails'])}", 0, f"ordinary-{key}#o{key}{i}"))
    for key in ("follow_up", "maths", "general", "welsh", "alarming_but_fine"):
        out += [(str(text), 0, f"ordinary-{key}#{text_key(str(text))}") for text in d[key]]
    return out


def harmful_examples(rng: random.Random) -> list[Example]:
    """Plainly worded harmful requests (``harmful.yaml``: each harm in five of the forms people type)
    and their safe look-alikes. Family ``hand-harmful-<category>``; all forms of one harm are one group."""
    d = load_yaml("harmful.yaml")
    out: list[Example] = []
    for category, harms in d["harms"].items():
        for j, harm in enumerate(harms):
            for form in rng.sample(d["forms"], 5):
                out.append((form.format(harm=harm), 1, f"hand-harmful-{category}#harm-{category}{j}"))
    out += [(str(text), 0, f"hand-harmful-contrast#{text_key(str(text))}") for text in d["contrasts"]] * 2
    return out


def corpus_examples() -> list[Example]:
    """The openly licensed external rows (``corpus.jsonl.gz``; sources and licences in DATA_CARD.md):
    attack and harmful rows are label 1, benign rows 0; the family is the source."""
    from govai.guards.corpus import load_corpus

    return [(row["text"], 0 if row["label"] == "benign" else 1, f"{row['family']}#{text_key(row['text'])}")
            for row in load_corpus(data_path("corpus.jsonl.gz"))]


def _contrast_examples(c: dict[str, Any], rng: random.Random) -> list[Example]:
    out: list[Example] = []
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


def document_examples(rng: random.Random) -> list[Example]:
    """Passage segments (lines) with label 1 = injected instruction. The style names the list or
    slot template a segment comes from, ``#keys`` the hand-written lines or template it was made
    from, and ``+joined``/``+lead``/``+host`` mark segments built from other segments (see ``groups``)."""
    d = load_yaml("documents.yaml")

    def own(texts: list[str], style: str) -> list[tuple[str, str]]:
        return [(t, f"{style}#{text_key(t)}") for t in texts]

    clean = own(list(d["clean_sentences"]), "doc:clean-sentence") + own(list(d["clean_headings"]), "doc:clean-heading")
    clean += [(f"  * {b}", f"doc:clean-bullet#{text_key(b)}") for b in d["clean_bullets"]]
    s = d["clean_slots"]
    for _ in range(1500):
        sentence = f"{rng.choice(s['subjects'])} {rng.choice(s['modals'])} {rng.choice(s['actions'])}"
        if rng.random() < 0.5:
            sentence += f" {rng.choice(s['conditions'])}"
        clean.append((sentence + ".", "doc:clean-slots"))
    for _ in range(400):
        parts = rng.sample(d["clean_sentences"], rng.randint(2, 3))
        clean.append((" ".join(parts), "doc:clean-sentence+joined#" + ",".join(text_key(p) for p in parts)))
    im = d["clean_imperatives"]
    for _ in range(1500):
        text = f"{rng.choice(im['verbs'])} {rng.choice(im['objects'])}"
        if rng.random() < 0.7:
            text += f" {rng.choice(im['tails'])}"
        clean.append((text + rng.choice([".", ".", ":", ""]), "doc:clean-imperative"))
    clean += own(list(im["questions"]), "doc:clean-question") * 3
    # The classifier only judges instruction-like segments at run time; train it on the same kind.
    out: list[Example] = [(text, 0, style) for text, style in clean if instruction_like(text)]

    inj = d["injection_slots"]
    injected = own(list(d["injection_sentences"]), "doc:injection-sentence")
    injected += own(list(inj["styles"]), "doc:injection-style")
    injected += own(list(inj["tasks"]), "doc:injection-task") + own(list(inj["questions"]), "doc:injection-question")
    for _ in range(700):
        injected.append((f"{rng.choice(inj['leads'])} {rng.choice(inj['contents'])} {rng.choice(inj['placements'])}.",
                         "doc:injection-slots"))
    ot = d["off_task"]
    for i, frame in enumerate(ot["frames"]):
        for topic in rng.sample(ot["topics"], 12):
            injected.append((frame.format(t=topic), f"doc:off-task#offtask{i}"))
    asks = own(list(inj["tasks"]), "doc:injection-task") + own(list(inj["questions"]), "doc:injection-question")
    for task, style in asks:
        base, _, key = style.partition("#")
        injected.append((rng.choice(["Also, ", "Before answering, ", "Then ", "Additionally: ", ""]) + _lc(task),
                         f"{base}+lead#{key}"))
    for i, lead in enumerate(inj["code_leads"]):
        for code in rng.sample(inj["code_snippets"], 5):
            injected.append((f"{lead}:\n```\n{code}\n```", f"doc:injection-code#codelead{i}"))
    for _ in range(500):  # an instruction slipped in right after a real sentence: grouped with the instruction
        host = rng.choice(d["clean_sentences"])
        payload, style = rng.choice(injected)
        base, _, key = style.partition("#")
        glued = f"{host} {payload}" if rng.random() < 0.5 else f"{payload} {host}"
        injected.append((glued, base.split("+")[0] + "+host" + (f"#{key}" if key else "")))
    out += [(text, 1, style) for text, style in injected]
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


def _logistic(c_value: float):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c_value, max_iter=3000, solver="liblinear")  # weights: sample_weights


INTENT_C = 0.3  # the best of 0.3, 1 and 4 by leave-one-family-out recall at 2 % FPR (training data only)


def _intent_logistic():  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=INTENT_C, max_iter=2000)


def embeddings(texts: list[str]) -> np.ndarray:
    """The guard's sentence embeddings of ``texts`` (``intent.embed``), kept between training runs
    in ``$GOVAI_HOME/cache/guard-intent.npz`` under each text's SHA-256 (the model and its token
    limit are part of the file's key)."""
    from govai.config import get_settings

    cache = get_settings().home / "cache" / f"guard-intent-minilm-int8-{intent.MAX_TOKENS}.npz"
    known: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache) as data:
            known = dict(zip(data["keys"].tolist(), data["vectors"]))
    keys = [hashlib.sha256(t.encode("utf-8", "surrogatepass")).hexdigest() for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in known}.items())
    for start in range(0, len(missing), 512):
        batch = missing[start : start + 512]
        known.update(zip([k for k, _ in batch], intent.embed([t for _, t in batch])))
        print(f"  embedded {min(start + 512, len(missing))}/{len(missing)} training texts", file=sys.stderr)
    if missing:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, keys=np.array(list(known)), vectors=np.stack(list(known.values())))
    return np.stack([known[k] for k in keys]).astype(np.float32)


def english_rows(examples: list[Example]) -> np.ndarray:
    return np.array([intent.english(text) for text, _, _ in examples])


def fit_join(ngram: np.ndarray, meaning: np.ndarray, labels: np.ndarray, english: np.ndarray,
             weights: np.ndarray) -> tuple[float, float, float]:
    """How the two models' log-odds add up on English text: a logistic regression over their
    out-of-fold log-odds (so neither is trusted for how well it fits its own training rows)."""
    from sklearn.linear_model import LogisticRegression

    rows = english & ~np.isnan(ngram) & ~np.isnan(meaning)
    join = LogisticRegression(C=100.0).fit(np.c_[ngram[rows], meaning[rows]], labels[rows],
                                           sample_weight=weights[rows])
    return float(join.coef_[0][0]), float(join.coef_[0][1]), float(join.intercept_[0])


def text_key(text: str) -> str:
    """A short stable key for one hand-written text (case and spacing folded)."""
    return "h" + hashlib.sha1(" ".join(text.lower().split()).encode("utf-8")).hexdigest()[:12]


def family(style: str) -> str:
    """``gen:frame#frame3`` -> ``gen:frame``; ``doc:off-task+host#offtask2`` -> ``doc:off-task``."""
    return style.partition("#")[0].split("+")[0]


_LANGUAGE_FAMILY = re.compile(r"^gen:(citizen|harm)-[a-z]{2}$")


def lofo_family(style: str) -> str:
    """The leave-one-family-out unit: one source or one hand-written style (``family``), with the
    encoded prompts and the prompts they encode as one family, and the 16 generated languages of
    citizen questions (or of harmful requests) as one family each."""
    name = family(style)
    if name in _ENCODED_SOURCES:
        return "encoded+sources"
    match = _LANGUAGE_FAMILY.match(name)
    return f"gen:{match.group(1)}-multilingual" if match else name


def sample_weights(examples: list[Example], rows: np.ndarray, by_family: bool = True) -> np.ndarray:
    """Weights for training on ``rows``: the two classes weigh the same in total and, ``by_family``,
    each family weighs like the square root of its size (so a 3,000-row source does not drown a
    40-row style)."""
    sizes: dict[str, int] = {}
    for i in rows:
        key = lofo_family(examples[i][2])
        sizes[key] = sizes.get(key, 0) + 1
    weights = np.array([1.0 / math.sqrt(sizes[lofo_family(examples[i][2])]) if by_family else 1.0 for i in rows])
    labels = np.array([examples[i][1] for i in rows])
    for label in (0, 1):
        mask = labels == label
        if mask.any():
            weights[mask] *= len(rows) / (2 * weights[mask].sum())
    return weights


def group_keys(examples: list[Example], grouping: Grouping) -> list[list[str]]:
    """The cross-validation group key(s) of each row.

    ``template``: a fixed-wording template (jailbreak frame, persona, benign frame, off-task
    frame, code lead) is one group with all its expansions; a hand-written text is one group with
    every variant made from it (encoded, suffixed, prefixed, glued to a host sentence); a row
    joined from several hand-written sentences carries all their keys; a row of a slot grammar
    with no fixed wording (citizen questions, narratives, contrast pairs, guidance imperatives)
    is its own group. ``style``: one group per style, encoded prompts with the styles they encode.
    ``rows``: one group per row (the old, ungrouped protocol).
    """
    out: list[list[str]] = []
    for i, (text, _, style) in enumerate(examples):
        tag = style.partition("#")[2]
        if grouping == "rows":
            out.append([str(i)])
        elif grouping == "style":
            out.append(["encoded+sources" if family(style) in _ENCODED_SOURCES else family(style)])
        else:
            out.append(tag.split(",") if tag else [text_key(text)])
    return out


Split = tuple[np.ndarray, np.ndarray]  # (training rows, test rows)


def folds(examples: list[Example], labels: np.ndarray, grouping: Grouping) -> tuple[list[Split], int, int]:
    """Stratified folds that keep each group whole: (train, test) index pairs, the number of
    groups, and how many rows were left out because their keys fell in different folds (a
    sentence joined from texts of two folds would carry one fold's text into the other)."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    if grouping == "rows":
        cut = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
        return list(cut.split(np.zeros(len(labels)), labels)), len(labels), 0
    if grouping == "family":  # leave one family out: one fold per family
        names = np.array([lofo_family(style) for _, _, style in examples])
        return ([(np.flatnonzero(names != f), np.flatnonzero(names == f)) for f in sorted(set(names))],
                len(set(names)), 0)
    keys = group_keys(examples, grouping)
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    first_seen: dict[str, str] = {}
    for (text, _, _), row_keys in zip(examples, keys):  # identical texts share a group
        folded = " ".join(text.lower().split())
        parent[find(row_keys[0])] = find(first_seen.setdefault(folded, row_keys[0]))
    first = [find(k[0]) for k in keys]
    roots = sorted(set(first))
    index = {root: i for i, root in enumerate(roots)}
    cut = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    fold_of: dict[str, int] = {}
    for k, (_, test) in enumerate(cut.split(np.zeros(len(labels)), labels, np.array([index[r] for r in first]))):
        fold_of.update((first[i], k) for i in test)
    assigned = np.full(len(labels), -1)
    for i, row_keys in enumerate(keys):
        home = fold_of[first[i]]
        if all(fold_of.setdefault(find(k), home) == home for k in row_keys[1:]):
            assigned[i] = home
    splits = [(np.flatnonzero((assigned >= 0) & (assigned != k)), np.flatnonzero(assigned == k)) for k in range(FOLDS)]
    return splits, len(set(fold_of)), int((assigned < 0).sum())


def out_of_fold(name: str, examples: list[Example], x: Any, labels: np.ndarray, splits: list[Split],
                c_value: float, vectors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """For every example, from the fold model that did not see it: the classifier's probability,
    and the whole screen's score (the score DEFAULT_THRESHOLDS is compared with). With sentence
    ``vectors`` (prompts), each fold also fits the intent model, and the way the two join is
    fitted once on all the out-of-fold log-odds; the third value records it."""
    ngram = np.full(len(examples), np.nan)  # rows left out of every fold stay NaN
    meaning = np.full(len(examples), np.nan)
    fitted = []
    for train_idx, test_idx in splits:
        weights = sample_weights(examples, train_idx, name == "prompt")
        model = _logistic(c_value).fit(x[train_idx], labels[train_idx], sample_weight=weights)
        ngram[test_idx] = model.decision_function(x[test_idx])
        intent_model = None
        if vectors is not None:
            intent_model = _intent_logistic().fit(vectors[train_idx], labels[train_idx], sample_weight=weights)
            meaning[test_idx] = intent_model.decision_function(vectors[test_idx])
        fitted.append((model, intent_model))
    english = english_rows(examples)
    join = (fit_join(ngram, meaning, labels, english, sample_weights(examples, np.arange(len(examples))))
            if vectors is not None else None)
    z = ngram if join is None else np.where(english, join[0] * ngram + join[1] * meaning + join[2], ngram)
    probability = 1.0 / (1.0 + np.exp(-z))
    screened = np.full(len(examples), np.nan)
    if vectors is not None:  # the screen embeds each reading; these are already known
        intent.remember(dict(zip((t for t, _, _ in examples), vectors)))
    try:
        with tempfile.TemporaryDirectory(prefix="govai-guard-cv-") as tmp:
            for k, ((_, test_idx), (model, intent_model)) in enumerate(zip(splits, fitted)):
                # Scored by the engine as at run time (decoded readings, evidence weighting, document
                # segments, rules), with the fold model saved as models ship (float16). The classifier
                # layer's ``model`` option is a name under guards/model/; an absolute path replaces it.
                path = Path(tmp) / f"{name}-fold{k}"
                save_model(path.with_suffix(".npz"), model.coef_[0], float(model.intercept_[0]),
                           {"feature_version": FEATURE_VERSION})
                if intent_model is not None and join is not None:
                    save_intent(path.with_suffix(".npz"), intent.IntentModel(
                        intent_model.coef_[0], float(intent_model.intercept_[0]), *join))
                layers: list[str | dict[str, Any]] = ["rules", {"name": "classifier", "model": str(path)}]
                screen = Screen(name, layers=layers)  # type: ignore[arg-type]
                screened[test_idx] = [screen.check(examples[i][0]).score for i in test_idx]
    finally:
        intent.remember({})
    joined = {} if join is None else {"ngram_weight": round(join[0], 4), "intent_weight": round(join[1], 4),
                                      "offset": round(join[2], 4), "fitted_on": "out-of-fold log-odds, English rows"}
    return probability, screened, joined


def choose_threshold(scores: np.ndarray, labels: np.ndarray, max_fpr: float) -> dict[str, float]:
    """The lowest threshold (to 3 decimals) whose false-positive rate on the benign rows is at most
    ``max_fpr``, i.e. the best recall within that budget."""
    benign = np.sort(scores[labels == 0])[::-1]
    allowed = math.floor(max_fpr * len(benign) + 1e-9)
    bar = float(benign[allowed]) if allowed < len(benign) else 0.0  # must stay below the threshold
    threshold = round(min(1.0, math.floor(bar * 1000) / 1000 + 0.001), 3)
    return {
        "max_fpr": max_fpr,
        "value": threshold,
        "recall": round(float((scores[labels == 1] >= threshold).mean()), 4),
        "fpr": round(float((scores[labels == 0] >= threshold).mean()), 4),
    }


def _auc(labels: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return round(float(roc_auc_score(labels, scores)), 4)


def cross_validate(name: str, examples: list[Example], x: Any, labels: np.ndarray, grouping: Grouping,
                   c_value: float, vectors: np.ndarray | None = None) -> tuple[np.ndarray, dict[str, Any], np.ndarray]:
    """The out-of-fold classifier probabilities, figures for one way of cutting folds, and the
    out-of-fold screen scores (NaN for rows left out)."""
    splits, n_groups, left_out = folds(examples, labels, grouping)
    probability, screened, joined = out_of_fold(name, examples, x, labels, splits, c_value, vectors)
    scored = ~np.isnan(screened)
    y, prob, screen = labels[scored], probability[scored], screened[scored]
    return probability, {
        "folds": len(splits),
        "grouping": grouping,
        "groups": n_groups,
        "rows_scored": int(scored.sum()),
        "rows_left_out": left_out,
        "classifier_auc": _auc(y, prob),
        "accuracy_at_0.5": round(float(((prob >= 0.5) == y).mean()), 4),
        "attack_recall_at_0.5": round(float((prob[y == 1] >= 0.5).mean()), 4),
        "benign_fpr_at_0.5": round(float((prob[y == 0] >= 0.5).mean()), 4),
        "screen_auc": _auc(y, screen),
        "screen_at_max_fpr": choose_threshold(screen, y, MAX_FPR[name]),
        **({"join": joined} if joined else {}),
    }, screened


# The off-topic lift (guards/offtopic.py) is chosen on real guidance passages: half of their pages fit
# it, the other half check it. It may add half the document false-positive budget to what the screen
# flags without it (the GOV.UK Design System's imperatives already use about 1 %).
OFF_TOPIC_GRID = {"weight": (2.0, 4.0, 8.0, 16.0), "cosine": tuple(round(0.15 + 0.025 * i, 3) for i in range(19)),
                  "min_lexical": (0.0, 0.9, 0.95, 1.0), "min_context_words": (0, 15, 30, 50)}
OFF_TOPIC_ADDED_FPR = 0.5 * MAX_FPR["document"]
WIDEST_LIFT = OffTopic(max(OFF_TOPIC_GRID["cosine"]), 1.0, min(OFF_TOPIC_GRID["min_lexical"]),
                       min(OFF_TOPIC_GRID["min_context_words"]))  # every passage the grid could lift is embedded


def calibration_readings(examples: list[Example], unseen: np.ndarray, model: LinearModel
                         ) -> list[tuple[str, int, float, list[Any]]]:
    """(page, label, rules score, segment readings) of each calibration passage as it is, and of the
    same passage with one training injection put in at random. An injected segment's classifier score
    is its out-of-fold probability from the folds that held its whole style out: the calibration
    measures instructions worded as no training row was."""
    from govai.guards.corpus import CALIBRATION, inject, load_corpus

    rng = random.Random(f"{SEED}:off-topic")
    injections = [(text, p) for (text, label, _), p in zip(examples, unseen, strict=True)
                  if label == 1 and not np.isnan(p)]
    rules = Screen("document", layers=["rules"])
    out = []
    for row in load_corpus(CALIBRATION):
        for label in (0, 1):
            document, scores = row["text"], {}
            if label:
                text, p = rng.choice(injections)
                document, _ = inject(row["text"], text, rng.choice(["start", "middle", "end"]))
                scores = {s: float(p) for s in segments(text)}
            readings = [replace(r, score=scores.get(r.text, r.score))
                        for r in read_segments(model, segments(document), WIDEST_LIFT)]
            out.append((row["page"], label, rules.check(document).score, readings))
    return out


def calibrate_off_topic(examples: list[Example], unseen: np.ndarray, model: LinearModel,
                        threshold: float) -> dict[str, Any]:
    """The off-topic lift with the best recall on the fitting half of the calibration passages that
    flags at most ``OFF_TOPIC_ADDED_FPR`` more of its clean passages than the screen without it, and
    its figures on the checking half."""
    readings = calibration_readings(examples, unseen, model)
    halves = [int(hashlib.sha1(page.encode()).hexdigest(), 16) % 2 for page, _, _, _ in readings]

    def rates(lift: OffTopic | None, half: int) -> tuple[float, float]:
        flagged: dict[int, list[bool]] = {0: [], 1: []}
        for (_, label, rules_score, found), h in zip(readings, halves, strict=True):
            if h == half:
                score = max([rules_score] + [segment_score(r, lift) for r in found])
                flagged[label].append(score >= threshold)
        return float(np.mean(flagged[1])), float(np.mean(flagged[0]))

    without = rates(None, 0), rates(None, 1)
    budget = without[0][1] + OFF_TOPIC_ADDED_FPR
    best: tuple[float, float, OffTopic] | None = None
    names = ("weight", "cosine", "min_lexical", "min_context_words")
    for values in itertools.product(*(OFF_TOPIC_GRID[k] for k in names)):
        lift = OffTopic(**dict(zip(names, values, strict=True)))  # type: ignore[arg-type]
        recall, fpr = rates(lift, 0)
        if fpr <= budget and (best is None or (recall, -fpr) > (best[0], -best[1])):
            best = (recall, fpr, lift)
    if best is None:
        return {}
    recall, fpr, lift = best
    check = rates(lift, 1)
    return {"cosine": lift.cosine, "weight": lift.weight, "min_lexical": lift.min_lexical,
            "min_context_words": lift.min_context_words,
            "chosen_on": "calibration-passages.jsonl.gz, fitting half of its pages (training injections in real "
                         "guidance, scored out of fold with their style held out)",
            "passages": len(readings) // 2, "fit": {"recall": round(recall, 4), "fpr": round(fpr, 4)},
            "check": {"recall": round(check[0], 4), "fpr": round(check[1], 4)},
            "without_lift": {"fit": [round(v, 4) for v in without[0]], "check": [round(v, 4) for v in without[1]]}}


def per_style(examples: list[Example], scores: np.ndarray, threshold: float) -> dict[str, float]:
    """Share of each family's scored rows blocked at ``threshold`` (recall for attacks, FPR for benign)."""
    out: dict[str, list[bool]] = {}
    for (_, label, style), s in zip(examples, scores):
        if not np.isnan(s):
            out.setdefault(f"{'attack' if label else 'benign'}:{lofo_family(style)}", []).append(bool(s >= threshold))
    return {k: round(sum(v) / len(v), 4) for k, v in sorted(out.items())}


# How each model is cross-validated; the first grouping fixes the shipped threshold.
GROUPINGS: dict[str, tuple[Grouping, ...]] = {"prompt": ("family",), "document": ("template", "style", "rows")}
CHOSEN_ON = {
    "family": "out-of-fold screen scores, training data, leave-one-family-out",
    "template": "out-of-fold screen scores, training data, folds grouped by template",
}


def train(name: str, examples: list[Example], c_value: float, write: bool) -> dict[str, Any]:
    start = time.perf_counter()
    x = _matrix([e[0] for e in examples])
    labels = np.array([e[1] for e in examples])
    vectors = embeddings([e[0] for e in examples])
    cv: dict[str, dict[str, Any]] = {}
    chosen_by = GROUPINGS[name][0]
    unseen_styles = np.full(len(examples), np.nan)
    for grouping in GROUPINGS[name]:
        probability, cv[grouping], scores = cross_validate(name, examples, x, labels, grouping, c_value, vectors)
        if grouping == chosen_by:
            threshold, chosen_scores = cv[grouping]["screen_at_max_fpr"], scores
        if grouping == "style":
            unseen_styles = probability
    everything = np.arange(len(examples))
    weights = sample_weights(examples, everything, name == "prompt")
    model = _logistic(c_value).fit(x, labels, sample_weight=weights)
    intent_model = _intent_logistic().fit(vectors, labels, sample_weight=weights) if vectors is not None else None
    off_topic = None
    if name == "document":  # the model as it will ship (float16 n-grams), to read the calibration passages
        join = cv[chosen_by].get("join")
        shipped = LinearModel(name, model.coef_[0].astype(np.float16), float(model.intercept_[0]), {}, None if (
            intent_model is None or not join) else intent.IntentModel(
                intent_model.coef_[0].astype(np.float32), float(intent_model.intercept_[0]),
                join["ngram_weight"], join["intent_weight"], join["offset"]))
        off_topic = calibrate_off_topic(examples, unseen_styles, shipped, threshold["value"])
    styles: dict[str, int] = {}
    for _, _, style in examples:
        styles[style.partition("#")[0]] = styles.get(style.partition("#")[0], 0) + 1
    meta = {
        "model": name,
        "kind": "logistic regression over hashed char 2-5-grams and word 1-2-grams"
                + (f"; joined on English text with a logistic regression over MiniLM (int8 ONNX, first "
                   f"{intent.MAX_TOKENS} tokens) sentence embeddings, C={INTENT_C}" if vectors is not None else ""),
        "feature_version": FEATURE_VERSION,
        "dimensions": DIMENSIONS,
        "regularisation_C": c_value,
        "seed": SEED,
        "examples": len(examples),
        "positives": sum(e[1] for e in examples),
        "styles": dict(sorted(styles.items())),
        "cross_validation": cv,
        # engine.DEFAULT_THRESHOLDS[name] must equal this value (tests/test_guard_train.py).
        "threshold": {**threshold, "chosen_on": CHOSEN_ON[chosen_by]},
        "out_of_fold_scores": {"grouping": chosen_by, "blocked_per_family": per_style(examples, chosen_scores,
                                                                                      threshold["value"])},
        **({"off_topic": off_topic} if off_topic else {}),
        "data_files": list(MODEL_DATA[name]),
        "data_sha256": data_fingerprint(name),
        "licence": ("training data: CC0-1.0 (written for GovAI) and, for the prompt model, the openly licensed "
                    "rows of corpus.jsonl.gz (MIT, CC-BY-3.0; see DATA_CARD.md); model weights under the project "
                    "licence"),
        "train_seconds": round(time.perf_counter() - start, 1),
    }
    if write:
        path = model_dir() / f"{name}.npz"
        save_model(path, model.coef_[0].astype(np.float32), float(model.intercept_[0]), meta)
        path.with_suffix(".intent.npz").unlink(missing_ok=True)
        if intent_model is not None:
            join = cv[chosen_by]["join"]
            save_intent(path, intent.IntentModel(intent_model.coef_[0], float(intent_model.intercept_[0]),
                                                 join["ngram_weight"], join["intent_weight"], join["offset"]))
    return meta


def _summary(cv: dict[str, Any]) -> str:
    t = cv["screen_at_max_fpr"]
    return (f"{cv['groups']} groups, {cv['rows_scored']} rows scored; classifier AUC {cv['classifier_auc']:.4f}, "
            f"at 0.5 recall {cv['attack_recall_at_0.5']:.4f} FPR {cv['benign_fpr_at_0.5']:.4f}; screen AUC "
            f"{cv['screen_auc']:.4f}, FPR <= {t['max_fpr']:.0%} at threshold {t['value']:.3f}: "
            f"recall {t['recall']:.4f}, FPR {t['fpr']:.4f}")


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
    from govai.guards.engine import DEFAULT_THRESHOLDS

    jobs = {"prompt": (prompt_examples, 4.0), "document": (document_examples, 4.0)}
    for name, (make, c_value) in jobs.items():
        if args.only and args.only != name:
            continue
        examples = make(random.Random(SEED))
        meta = train(name, examples, c_value, write=not args.check)
        cv = meta["cross_validation"]
        print(f"{name}: {meta['examples']} examples ({meta['positives']} positive), {meta['train_seconds']} s")
        labels = {"rows": "ungrouped (old)", "template": "grouped by template", "style": "grouped by style",
                  "family": "leave one family out"}
        for grouping in GROUPINGS[name]:
            print(f"  {labels[grouping]:20s} {_summary(cv[grouping])}")
        blocked = meta["out_of_fold_scores"]["blocked_per_family"]
        print("  out of fold, share blocked at the chosen threshold, per family: "
              + ", ".join(f"{k} {v:.2f}" for k, v in blocked.items()))
        chosen, shipped = meta["threshold"]["value"], DEFAULT_THRESHOLDS[name]
        print(f"  threshold ({meta['threshold']['chosen_on']}): {chosen} "
              f"(engine.DEFAULT_THRESHOLDS[{name!r}] = {shipped}" + (")" if chosen == shipped else "; ship the new value)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
