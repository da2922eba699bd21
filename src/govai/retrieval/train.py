"""Train the reranker and the sentence ranker from GovAI's own questions about the shared corpus.

    python -m govai.retrieval.train --kb corpus           # writes retrieval/model/{rerank,sentences}.json
    python -m govai.retrieval.train --kb corpus --check   # cross-validate only, write nothing

Training questions: the answerable questions of ``answerability/data/questions.jsonl``
(written for GovAI; never the evaluation sets), each also asked the way citizens often
ask, with a story first and typing slips (``citizen_variant``: a fixed seed, so the data
are the same every run), and each pair of questions about one page asked as one message
(``compound_rows``: both key facts must be quoted). ``--items FILE`` keeps the retrieved
training items between runs. Both models are linear and fitted by a listwise objective: of a
question's candidates (passages, or sentences of the top five passages), those on the
page that answers it (or holding a key fact on that page) should score highest.

Every figure printed is leave-one-page-out: the questions about one page (or Act),
with their variants, are scored by a model fitted on all the other pages. The sentence
selection settings (how far below the best a further sentence may score, how many
sentences) are chosen on those out-of-fold scores for key-fact accuracy.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from govai.evals import kept
from govai.evals.qa import MAX_ANSWER_WORDS, load_questions, normalise_id
from govai.evals.variants import citizen_variant, compound_question, forum_variant
from govai.retrieval.evidence import Evidence, evidence_for
from govai.retrieval.rerank import FEATURES as RERANK_FEATURES
from govai.retrieval.rerank import (
    RerankModel,
    candidate_features,
    hand_model,
    model_path,
)
from govai.retrieval.retriever import CANDIDATES, RRF_K, Retriever
from govai.retrieval.selection import FEATURES as SENTENCE_FEATURES
from govai.retrieval.selection import SentenceModel, unit_features
from govai.retrieval.selection import hand_model as sentence_hand_model
from govai.retrieval.selection import model_path as sentence_model_path

SEED = 20250214
L2 = 1.0
PASSAGES = 5  # the composer quotes from this many passages

def data_path() -> Path:
    from importlib import resources

    return Path(str(resources.files("govai.answerability") / "data" / "questions.jsonl"))


def compound_rows(rows: list[dict]) -> list[dict]:
    """Each pair of consecutive answerable questions about the same page (or Act), asked as
    one: both key facts must be in the answer, which is what multi-part asks need (the
    amount and the condition, the date and the exception)."""
    rng = random.Random(SEED + 1)
    by_page: dict[str, list[dict]] = {}
    for row in rows:
        if row.get("kind") != "unanswerable" and row.get("expected_sources") and row.get("key_facts"):
            by_page.setdefault(page_of(row), []).append(row)
    out = []
    for page_rows in by_page.values():
        for a, b in zip(page_rows, page_rows[1:]):
            facts = list(dict.fromkeys([*a["key_facts"], *b["key_facts"]]))
            sources = list(dict.fromkeys([*a["expected_sources"], *b["expected_sources"]]))
            out.append({**a, "id": f"{a['id']}+{b['id']}", "question": compound_question(a["question"], b["question"], rng),
                        "expected_sources": sources, "key_facts": facts,
                        "support_quotes": [*a.get("support_quotes", []), *b.get("support_quotes", [])]})
    return out


def training_rows(rows: list[dict], compound: bool = True, forum: bool = True) -> list[dict]:
    """The answerable questions, one citizen variant of each, (``compound``) each pair of
    questions about one page asked as one, and (``forum``) each written and each two-part
    question as a long forum post (``forum_variant``: a story before and after the ask)."""
    rng = random.Random(SEED)
    written, out = [], []
    for row in rows:
        if row.get("kind") == "unanswerable" or not row.get("expected_sources"):
            continue
        written.append(row)
        out.append(row)
        out.append({**row, "id": row["id"] + "~citizen", "question": citizen_variant(row["question"], rng)})
    pairs = compound_rows(rows) if compound else []
    posts = []
    if forum:
        post_rng = random.Random(SEED + 2)  # its own stream: the other variants stay as they were
        posts = [{**row, "id": row["id"] + "~forum", "question": forum_variant(row["question"], post_rng)}
                 for row in written + pairs]
    return out + pairs + posts


KINDS = ("written", "citizen", "compound", "forum", "forum-compound")


def row_kind(row: dict) -> str:
    """written (a question as written), citizen (its citizen variant), compound (two asked as
    one), forum (a written question as a forum post) or forum-compound (two, as a forum post)."""
    two = "+" in row["id"]
    if row["id"].endswith("~forum"):
        return "forum-compound" if two else "forum"
    return "compound" if two else "citizen" if row["id"].endswith("~citizen") else "written"


def page_of(row: dict) -> str:
    """The cross-validation group: the page (or Act) that answers the question."""
    return normalise_id(row["expected_sources"][0]).split("/section/")[0].split("/schedule/")[0]


class RememberingEmbedder:
    """An embedder that embeds each single text once: training asks for the same question's
    vector for candidates, for retrieval and for evidence. Batches pass straight through
    (a batch pads, and padding moves the last digits)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name, self.dim, self.remote = inner.name, inner.dim, getattr(inner, "remote", False)
        self._memo: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        if len(texts) != 1:
            return self.inner.embed(texts)
        if texts[0] not in self._memo:
            self._memo[texts[0]] = self.inner.embed(texts)[0]
        return self._memo[texts[0]][None, :]


# ---------------------------------------------------------------- listwise linear models

def fit_listwise(groups: list[tuple[np.ndarray, np.ndarray]], l2: float = L2, start: np.ndarray | None = None
                 ) -> np.ndarray:
    """Weights maximising, over groups, the log of the softmax mass on each group's positives
    (minus ``l2`` times the squared weights). Features are standardised inside; the groups are
    stacked into one matrix so that a leave-one-page-out run (one fit per page) stays quick."""
    from scipy.optimize import minimize

    xs = np.vstack([x for x, _ in groups])
    ys = np.concatenate([y.astype(bool) for _, y in groups])
    sizes = np.array([len(y) for _, y in groups])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    group_of = np.repeat(np.arange(len(groups)), sizes)
    mean, scale = xs.mean(axis=0), xs.std(axis=0)
    scale[scale == 0] = 1.0
    z = (xs - mean) / scale

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = z @ w
        s = s - np.maximum.reduceat(s, starts)[group_of]  # stable softmax per group
        e = np.exp(s)
        p = e / np.add.reduceat(e, starts)[group_of]
        mass = np.maximum(np.add.reduceat(np.where(ys, p, 0.0), starts), 1e-300)
        q = np.where(ys, p, 0.0) / mass[group_of]
        total = l2 * float(w @ w) - float(np.log(mass).sum())
        return total, 2 * l2 * w + z.T @ (p - q)

    w0 = np.zeros(xs.shape[1]) if start is None else start * scale
    w = minimize(loss, w0, jac=True, method="L-BFGS-B", options={"maxiter": 300}).x
    return w / scale  # on the raw feature scale (a constant shift does not change a ranking)


def grouped_folds(keys: list[str], folds: int | None) -> list[list[int]]:
    """Indexes of each held-out fold: one page per fold (``folds`` None), or pages dealt into
    ``folds`` folds."""
    pages = sorted(set(keys))
    if folds is None or folds >= len(pages):
        fold_of = {p: i for i, p in enumerate(pages)}
    else:
        order = np.random.default_rng(SEED).permutation(len(pages))
        fold_of = {pages[i]: k % folds for k, i in enumerate(order)}
    out: dict[int, list[int]] = {}
    for i, key in enumerate(keys):
        out.setdefault(fold_of[key], []).append(i)
    return list(out.values())


# ---------------------------------------------------------------- reranker data

@dataclass
class RerankItem:
    row: dict
    candidates: list[int]
    x: np.ndarray
    gold: set[str]


def rerank_items(retriever: Retriever, kb: str, rows: list[dict], progress=None) -> list[RerankItem]:
    idx = retriever.index(kb)
    stored = {normalise_id(c.source_id): c.source_id for c in idx.chunks}
    items = []
    for row in rows:
        query = row["question"]
        qvec = retriever.embedder.embed([query])[0]
        lexical = idx.bm25.search(query, CANDIDATES)
        dense = [(idx.by_id[cid], sim) for cid, sim in retriever.store.nearest(idx.kb, qvec, CANDIDATES)
                 if cid in idx.by_id]
        fused: dict[int, float] = {}
        for ranking in (lexical, dense):
            for rank, (i, _) in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        order = [i for i, _ in sorted(fused.items(), key=lambda kv: -kv[1])]
        candidates, x = candidate_features(query, qvec, idx, order, lexical)
        gold = {stored[n] for n in map(normalise_id, row["expected_sources"]) if n in stored}
        items.append(RerankItem(row, candidates, x, gold))
        if progress:
            progress()
    return items


def page_ranking(idx, item: RerankItem, scores: np.ndarray) -> list[str]:
    ranked: list[str] = []
    for o in np.argsort(-scores, kind="stable"):
        sid = idx.chunks[item.candidates[o]].source_id
        if sid not in ranked:
            ranked.append(sid)
    return ranked[:10]


def rank_metrics(idx, items: list[RerankItem], weights_of) -> dict[str, float]:
    r1, r5, rr = [], [], []
    for k, item in enumerate(items):
        ranked = page_ranking(idx, item, item.x @ weights_of(k))
        hits = [i for i, sid in enumerate(ranked) if sid in item.gold]
        r1.append(bool(hits) and hits[0] == 0)
        r5.append(bool(hits) and hits[0] < 5)
        rr.append(1.0 / (hits[0] + 1) if hits else 0.0)
    return {"recall@1": float(np.mean(r1)), "recall@5": float(np.mean(r5)), "mrr": float(np.mean(rr))}


def _rerank_groups(idx, items: list[RerankItem]) -> list[tuple[np.ndarray, np.ndarray]]:
    groups = []
    for item in items:
        y = np.array([idx.chunks[c].source_id in item.gold for c in item.candidates])
        if y.any() and not y.all():
            groups.append((item.x, y))
    return groups


def cross_validate_rerank(idx, items: list[RerankItem], folds: int | None) -> tuple[dict, dict]:
    """Leave-one-page-out figures of the learned reranker, and of the hand-set one."""
    keys = [page_of(it.row) for it in items]
    weights = [None] * len(items)
    # Each fold's fit starts from the all-pages weights. That only speeds it up: the objective is
    # strictly convex (L2), so a fold's optimum is the same whatever the start.
    everything = fit_listwise(_rerank_groups(idx, items))
    for held in grouped_folds(keys, folds):
        held_set = set(held)
        w = fit_listwise(_rerank_groups(idx, [it for i, it in enumerate(items) if i not in held_set]), start=everything)
        for i in held:
            weights[i] = w
    hand = hand_model().weights
    return rank_metrics(idx, items, lambda k: weights[k]), rank_metrics(idx, items, lambda k: hand)


# ---------------------------------------------------------------- sentence data

@dataclass
class SentenceItem:
    row: dict
    evidence: Evidence
    keep: list[int]
    x: np.ndarray
    y: np.ndarray


def _has(text: str, fact: str) -> bool:
    return fact.lower() in text.lower()


def sentence_items(retriever: Retriever, kb: str, rows: list[dict], rerank: RerankModel, progress=None
                   ) -> list[SentenceItem]:
    from govai.retrieval import rerank as rerank_module

    idx = retriever.index(kb)
    items = []
    original = rerank_module.load_model
    rerank_module.load_model = lambda path=None: rerank  # retrieve with the model being trained
    try:
        for row in rows:
            found = retriever.search(kb, row["question"]).passages
            evidence = evidence_for(retriever.embedder.embed, row["question"], found, idx.sentence_vectors)
            keep = evidence.within(PASSAGES)
            if not keep:
                continue
            facts = row.get("key_facts") or []
            gold = {normalise_id(s) for s in row["expected_sources"]}
            texts = [evidence.sentences[i].text for i in keep]
            on_gold = [normalise_id(found[evidence.sentences[i].source].doc_id) in gold for i in keep]
            y = np.array([og and any(_has(t, f) for f in facts) for t, og in zip(texts, on_gold)])
            if not y.any():
                y = np.array([all(_has(t, f) for f in facts) for t in texts]) if facts else y
            items.append(SentenceItem(row, evidence, keep, unit_features(evidence, keep), y))
            if progress:
                progress()
    finally:
        rerank_module.load_model = original
    return items


def quoted(item: SentenceItem, model: SentenceModel) -> tuple[bool, int]:
    """Would the composer, with this sentence model, quote every key fact in at most 120 words?
    And how many words would it quote?"""
    from govai.providers.extractive import ExtractiveComposer

    composer = ExtractiveComposer()
    composer.model, composer.margin, composer.max_sentences = model, model.margin, model.max_sentences
    draft = composer.compose(item.evidence.question, item.evidence.sources, item.evidence)
    answer = draft.answer or ""
    words = len(answer.split())
    return words <= MAX_ANSWER_WORDS and all(_has(answer, f) for f in item.row.get("key_facts", [])), words


@contextlib.contextmanager
def features_remembered():
    """While a grid of selection settings is tried, each item's sentence features (for the
    question and for each of its asks) are computed once, not once per setting."""
    from govai.providers import extractive

    original = extractive.unit_features
    memo: dict[tuple, np.ndarray] = {}

    def remembered(evidence, keep, ask=None, ask_similarity=None):
        key = (id(evidence), tuple(keep), ask)
        if key not in memo:
            memo[key] = original(evidence, keep, ask, ask_similarity)
        return memo[key]

    extractive.unit_features = remembered
    try:
        yield
    finally:
        extractive.unit_features = original


MARGINS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
MAX_SENTENCES = (2, 3, 4, 5)


def cross_validate_sentences(items: list[SentenceItem], folds: int | None) -> tuple[dict, SentenceModel]:
    """Leave-one-page-out key-fact accuracy for each selection setting; the hand-set weights'
    figure beside them; and the best setting."""
    keys = [page_of(it.row) for it in items]
    weights = [None] * len(items)
    everything = fit_listwise([(it.x, it.y) for it in items if it.y.any() and not it.y.all()])  # a start only
    for held in grouped_folds(keys, folds):
        held_set = set(held)
        train = [(it.x, it.y) for i, it in enumerate(items) if i not in held_set and it.y.any() and not it.y.all()]
        w = fit_listwise(train, start=everything)
        for i in held:
            weights[i] = w
    top1 = float(np.mean([it.y[int(np.argmax(it.x @ weights[k]))] for k, it in enumerate(items) if it.y.any()]))
    hand = sentence_hand_model()
    hand_top1 = float(np.mean([it.y[int(np.argmax(it.x @ hand.weights))] for it in items if it.y.any()]))
    results, oks, words = {}, {}, {}
    with features_remembered():
        for margin in MARGINS:
            for n in MAX_SENTENCES:
                done = [quoted(it, SentenceModel(weights[k], margin, n)) for k, it in enumerate(items)]
                oks[(margin, n)] = [ok for ok, _ in done]
                words[(margin, n)] = float(np.mean([w for _, w in done]))
                results[(margin, n)] = float(np.mean(oks[(margin, n)]))
        hand_done = [quoted(it, hand) for it in items]
    hand_ok = [ok for ok, _ in hand_done]
    hand_words = float(np.mean([w for _, w in hand_done]))
    hand_kfa = float(np.mean(hand_ok))
    # Key facts reward quoting more; a reader does not. Of the settings whose answers are no longer,
    # on average, than the hand-set composer's, the one that carries the most key facts.
    short = [k for k in results if words[k] <= hand_words] or list(results)
    best = max(short, key=lambda k: (round(results[k], 3), -k[0], -k[1]))
    by_kind = {}
    for kind in KINDS:
        ks = [k for k, it in enumerate(items) if row_kind(it.row) == kind]
        if ks:
            by_kind[kind] = {"n": len(ks), "learned": round(float(np.mean([oks[best][k] for k in ks])), 4),
                             "hand": round(float(np.mean([hand_ok[k] for k in ks])), 4)}
    report = {"top_sentence_holds_a_key_fact": top1, "hand_top_sentence": hand_top1,
              "key_fact_accuracy": results[best], "hand_key_fact_accuracy": hand_kfa,
              "mean_words": round(words[best], 1), "hand_mean_words": round(hand_words, 1),
              "margin": best[0], "max_sentences": best[1], "by_kind": by_kind,
              "grid": {f"{m}/{n}": round(v, 4) for (m, n), v in results.items()},
              "grid_words": {f"{m}/{n}": round(v, 1) for (m, n), v in words.items()}}
    return report, SentenceModel(np.zeros(len(SENTENCE_FEATURES)), best[0], best[1])


@dataclass
class CrossValidation:
    """Leave-one-page-out figures of both learned models, beside the hand-set ones they replace."""

    questions: int
    pages: int
    rerank_learned: dict
    rerank_hand: dict
    sentences: dict
    rerank: RerankModel  # fitted on every page
    rerank_items: list[RerankItem]
    sentence_items: list[SentenceItem]


# What the training items' features and evidence depend on: a change to any of these rebuilds
# them. (The sentence features, ``selection.py``, are recomputed from the stored evidence every
# run.) How candidates are read from the store (``retriever.py``, ``store/``) is left out: work
# there is on speed and keeps the results; delete the --items file to rebuild after other changes.
def items_key(kb, rows: list[dict], shipped_rerank: bool = False) -> str:
    """A fingerprint of what the training items are built from: the questions, the knowledge
    base's revision, the code that retrieves and describes the candidates, and which reranker
    retrieved the sentences' evidence."""
    return kept.fingerprint(kb, rows, settings=f"{CANDIDATES}|{RRF_K}|{PASSAGES}|{'shipped' if shipped_rerank else 'fitted'}")


def load_items(path: Path | None, key: str) -> tuple[list[RerankItem], list[SentenceItem]] | None:
    saved = kept.load(path, key)
    if saved is None:
        return None
    items, sitems = saved
    for item in sitems:
        item.x = unit_features(item.evidence, item.keep)  # the sentence features as the code now has them
    return items, sitems


def save_items(path: Path, key: str, items: list[RerankItem], sitems: list[SentenceItem]) -> None:
    kept.save(path, key, (items, sitems))


def cross_validate(retriever: Retriever, kb: str, rows: list[dict], folds: int | None = None,
                   bar=None, items_file: Path | None = None, shipped_rerank: bool = False) -> CrossValidation:
    """Both models cross-validated by page on ``rows`` (``training_rows`` of the questions).
    The sentences' evidence is retrieved with the reranker fitted here, or (``shipped_rerank``,
    when only the sentence ranker is to be trained) with the one the product runs.
    With ``items_file``, the retrieved candidates and evidence are kept there and reused while
    the questions, the knowledge base and the retrieval code are unchanged."""
    from govai.retrieval import rerank as rerank_module

    idx = retriever.index(kb)
    key = items_key(idx.kb, rows, shipped_rerank)
    cached = load_items(items_file, key)
    advance = (lambda task: (lambda: bar.advance(task))) if bar else (lambda task: None)
    if cached is None:
        task = bar.add_task("Reranker candidates", total=len(rows)) if bar else None
        items = rerank_items(retriever, kb, rows, advance(task))
    else:
        items = cached[0]
    learned, hand = cross_validate_rerank(idx, items, folds)
    rerank = RerankModel(fit_listwise(_rerank_groups(idx, items)), {
        "cross_validation": {"learned": learned, "hand_set": hand},
        "trained_on": "answerability/data/questions.jsonl answerable questions, their citizen variants, "
                      "pairs of questions about one page asked as one, and both as long forum posts"})
    if cached is None:
        task = bar.add_task("Sentence evidence", total=len(rows)) if bar else None
        retrieving = rerank_module.load_model() if shipped_rerank else rerank
        sitems = sentence_items(retriever, kb, rows, retrieving, advance(task))
        if items_file is not None:
            save_items(items_file, key, items, sitems)
    else:
        sitems = cached[1]
    report, _ = cross_validate_sentences(sitems, folds)
    return CrossValidation(len(rows), len({page_of(r) for r in rows}), learned, hand, report, rerank, items, sitems)


def main(argv: list[str] | None = None) -> int:
    from rich.progress import Progress

    from govai.config import get_settings
    from govai.embeddings import get_embedder
    from govai.store.database import get_database
    from govai.store.knowledge import KnowledgeStore

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kb", required=True, help="knowledge base of the shared corpus")
    parser.add_argument("--questions", type=Path, default=None, help="training questions (dev-qa.jsonl format)")
    parser.add_argument("--folds", type=int, default=None, help="pages dealt into this many folds (default: one page a fold)")
    parser.add_argument("--check", action="store_true", help="cross-validate only; write nothing")
    parser.add_argument("--only", choices=("rerank", "sentences"), default=None,
                        help="write only this model; with 'sentences', its evidence is retrieved with the reranker "
                             "the product runs now")
    parser.add_argument("--items", type=Path, default=None,
                        help="keep the retrieved training items in this file and reuse them while the questions, "
                             "the knowledge base and the retrieval code are unchanged (sentence features are "
                             "always recomputed)")
    args = parser.parse_args(argv)

    rows = training_rows(load_questions(args.questions or data_path()))
    retriever = Retriever(KnowledgeStore(get_database()), RememberingEmbedder(get_embedder(get_settings().embedder)))
    with Progress() as bar:
        cv = cross_validate(retriever, args.kb, rows, args.folds, bar, args.items, shipped_rerank=args.only == "sentences")
    kinds = {kind: sum(row_kind(r) == kind for r in rows) for kind in KINDS}
    print(f"{cv.questions} training questions (" + ", ".join(f"{v} {k}" for k, v in kinds.items()) + f"), "
          f"{cv.pages} pages")
    print("reranker, leave-one-page-out: learned " + ", ".join(f"{k} {v:.3f}" for k, v in cv.rerank_learned.items())
          + "; hand-set " + ", ".join(f"{k} {v:.3f}" for k, v in cv.rerank_hand.items()))
    report = cv.sentences
    print("sentences, leave-one-page-out: " + json.dumps({k: v for k, v in report.items() if k != "grid"}))
    print("  grid (margin/max sentences -> key-fact accuracy): " + json.dumps(report["grid"]))
    if args.check:
        return 0
    sitems = cv.sentence_items
    sw = fit_listwise([(it.x, it.y) for it in sitems if it.y.any() and not it.y.all()])
    sentences = SentenceModel(sw, report["margin"], report["max_sentences"],
                              {"cross_validation": report, "trained_on": cv.rerank.meta["trained_on"]})
    # A model is shipped only where it beats, out of fold, the hand-set weights it would replace.
    beats = {model_path(): cv.rerank_learned["mrr"] > cv.rerank_hand["mrr"],
             sentence_model_path(): report["key_fact_accuracy"] > report["hand_key_fact_accuracy"]}
    chosen = {"rerank": model_path(), "sentences": sentence_model_path()}
    for path, model in ((model_path(), cv.rerank), (sentence_model_path(), sentences)):
        if args.only and chosen[args.only] != path:
            continue
        if not beats[path]:
            print(f"not written (no better than the hand-set weights out of fold): {path}")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    print("rerank weights: " + ", ".join(f"{n} {v:+.3f}" for n, v in zip(RERANK_FEATURES, cv.rerank.weights)))
    print("sentence weights: " + ", ".join(f"{n} {v:+.3f}" for n, v in zip(SENTENCE_FEATURES, sentences.weights)))
    return 0


if __name__ == "__main__":
    # Run through the imported module, not ``__main__``: the items kept with ``--items`` /
    # ``--examples`` are pickled, and classes pickled as ``__main__.X`` cannot be read back by
    # another entry point (bench/qa_bench.py), which would then rebuild them all.
    from govai.retrieval.train import main as _main

    sys.exit(_main())
