"""Layered screening: fast rules, then the shipped classifier, then an optional LLM judge.

Every layer sees every reading of the text that ``deobfuscate.variants`` recovers
(so base64, ROT13, homoglyphs or spaced-out letters gain an attacker nothing) and
returns its own verdict and reasons; the screen combines them. Layers are
registered by name in ``guard_layers`` and a service profile picks them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from govai.errors import ConfigError
from govai.guards import heuristics
from govai.guards.attack_classifier import LinearModel, load_model
from govai.guards.deobfuscate import Variant, variants
from govai.guards.intent import embed, guard_embedder
from govai.guards.offtopic import OffTopic, introduces_list, prohibits
from govai.guards.rules import Hit, combine, document_rules, prompt_rules, run_rules
from govai.guards.segments import (
    content_words,
    instruction_like,
    instructions,
    segments,
    topicality_discount,
)
from govai.registry import Registry

Kind = Literal["prompt", "document"]
Verdict = Literal["block", "allow"]

# Chosen by `python -m govai.guards.train` on the training data, never on an evaluation set: the
# best recall at <= 2 % (prompts) / 1 % (documents) false positives over out-of-fold scores, folds
# leaving one family out (prompts) or grouped by template (documents) (recorded in
# guards/model/*.json; docs/guardrails.md).
DEFAULT_THRESHOLDS: dict[str, float] = {"prompt": 0.839, "document": 0.941}
MAX_CHARS: dict[str, int] = {"prompt": 8000, "document": 200_000}
# A rule is hand-written for one kind of attack and scored by hand: at this score it blocks on its
# own, whatever the screen's threshold (which is the classifier's, fitted to a false-positive budget).
RULES_BAR = 0.75
DEFAULT_LAYERS: tuple[str, ...] = ("rules", "classifier")  # a profile may name others (guard_layers)
_RESHAPED = frozenset({"homoglyphs", "leetspeak", "spaced-letters"})


@dataclass
class LayerVerdict:
    """What one layer concluded. ``score`` is its attack probability (0..1)."""

    layer: str
    verdict: Literal["block", "allow", "skipped"]
    score: float
    reasons: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"layer": self.layer, "verdict": self.verdict, "score": round(self.score, 4),
                "reasons": self.reasons, "categories": self.categories}


@dataclass
class GuardResult:
    """The combined verdict over all layers, with each layer's own verdict for the audit trail."""

    verdict: Verdict
    score: float
    reasons: list[str]
    categories: list[str]
    layers: list[LayerVerdict]
    decoded: list[str] = field(default_factory=list)  # how hidden readings were recovered

    @property
    def blocked(self) -> bool:
        return self.verdict == "block"

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "score": round(self.score, 4), "reasons": self.reasons,
                "categories": self.categories, "decoded": self.decoded,
                "layers": [layer.as_dict() for layer in self.layers]}


@dataclass(frozen=True)
class Inspection:
    """The text under test, its readings, and (for documents) its segments."""

    kind: Kind
    text: str
    variants: list[Variant]
    segments: list[str]


class GuardLayer(Protocol):
    name: str

    def check(self, item: Inspection, threshold: float, prior: float) -> LayerVerdict: ...


GuardFactory = Callable[[dict[str, Any]], GuardLayer]
guard_layers: Registry[GuardFactory] = Registry("guard layer")


# --- layers ------------------------------------------------------------------


class RulesLayer:
    """Multilingual trigger rules plus the non-word signals (suffix soup, tag characters)."""

    name = "rules"

    def __init__(self, disabled: list[str] | None = None) -> None:
        self.disabled = frozenset(disabled or [])

    def check(self, item: Inspection, threshold: float, prior: float) -> LayerVerdict:
        registry = prompt_rules if item.kind == "prompt" else document_rules
        hits: list[Hit] = []
        labels: list[str] = []
        for variant in item.variants:
            for hit in run_rules(variant.text, registry, self.disabled):
                hits.append(hit)
                labels.append(hit.rule if variant.how == "plain" else f"{hit.rule} (in {variant.how} text)")
        if item.kind == "prompt":
            for name, category, score in (
                ("adversarial-suffix", "jailbreak", heuristics.adversarial_suffix(item.text)),
                ("hidden-characters", "obfuscation", heuristics.hidden_characters(item.text)),
            ):
                if score:
                    hits.append(Hit(name, category, score, ""))
                    labels.append(name)
        elif heuristics.hidden_characters(item.text):
            hits.append(Hit("hidden-characters", "injection", 0.9, ""))
            labels.append("hidden-characters")
        score = on_screen_scale(combine(hits), threshold)
        categories = sorted({h.category for h in hits})
        return LayerVerdict(self.name, "block" if score >= threshold else "allow", score,
                            list(dict.fromkeys(labels)), categories)


def on_screen_scale(rules_score: float, threshold: float) -> float:
    """A rules score mapped so that ``RULES_BAR`` lands on the screen's threshold (monotone, 0 and
    1 fixed): the screen compares one score with one threshold, and the rules block at their bar."""
    if rules_score < RULES_BAR:
        return rules_score * threshold / RULES_BAR
    return threshold + (rules_score - RULES_BAR) * (1.0 - threshold) / (1.0 - RULES_BAR)


class ClassifierLayer:
    """The shipped n-gram model; documents are scored segment by segment."""

    name = "classifier"

    def __init__(self, model: str | None = None) -> None:
        self.model_name = model

    def warm(self, kind: Kind) -> None:
        """Load the model, and the embedder its intent half reads with, before the first request."""
        if load_model(self.model_name or kind).intent is not None:
            guard_embedder()

    def check(self, item: Inspection, threshold: float, prior: float) -> LayerVerdict:
        model = load_model(self.model_name or item.kind)
        scored: list[tuple[float, str, str]]  # (score, how it was read, the passage's words it rests on)
        if item.kind == "prompt":
            readings = [v.text for v in item.variants]
            scored = [(score * _evidence(v.text), v.how, "") for v, score in zip(item.variants, model.scores(readings),
                                                                                 strict=True)]
        elif prior >= threshold:  # the rules blocked the passage: no reading of it can change that
            return LayerVerdict(self.name, "skipped", prior, ["the rules blocked the passage already"])
        else:
            scored = _segment_scores(model, item.segments, threshold)
            for v in item.variants[1:]:
                if v.how in _RESHAPED:  # the same passage re-spelt: judge it segment by segment
                    scored += [(model.score(s), v.how, "") for s in segments(v.text) if instruction_like(s)]
                else:  # a payload decoded out of the passage: judge it whole
                    scored.append((model.score(v.text), v.how, ""))
        score, how, span = max(scored, default=(0.0, "plain", ""))
        reason = f"classifier {score:.2f}" + ("" if how in ("plain", "segment") else
                                             " (an off-topic instruction)" if how == OFF_TOPIC else f" (in {how} text)")
        if span and score >= threshold:  # which sentence of a passage, for whoever reviews it
            reason += f": {_excerpt(span)}"
        return LayerVerdict(self.name, "block" if score >= threshold else "allow", score, [reason])


EXCERPT_CHARS = 60


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return f"“{text[:EXCERPT_CHARS]}…”" if len(text) > EXCERPT_CHARS else f"“{text}”"


_WORD = re.compile(r"\w+")
MIN_EVIDENCE_WORDS = 5


@dataclass(frozen=True)
class SegmentReading:
    """How the document classifier reads one instruction in a passage."""

    text: str
    score: float  # the classifier's probability
    lexical: float  # the topicality discount: 1 when none of its words is elsewhere in the passage
    cosine: float | None  # similarity to the rest of the passage (None: the passage is all instructions)
    context_words: int = 0  # how many words the rest of the passage has


def read_segments(model: LinearModel, segs: list[str], off_topic: OffTopic | None = None,
                  decided: float | None = None) -> list[SegmentReading]:
    """Each instruction of a passage, scored (one MiniLM batch for all of them). With ``off_topic``,
    and an instruction it could lift, the rest of the passage is embedded too and each reading
    carries its similarity to that rest, unless an instruction already scores ``decided`` (the
    screen's threshold: the passage is blocked whatever the lift adds)."""
    found = instructions(segs)
    if not found:
        return []
    rest = "\n".join(s for s in segs if s not in found).strip()
    words = len(rest.split())
    lexical = [topicality_discount(s, segs) for s in found]
    liftable = off_topic is not None and words >= off_topic.min_context_words and any(
        lex >= off_topic.min_lexical and liftable_text(s) for s, lex in zip(found, lexical, strict=True))
    if not liftable and model.intent is None:
        return [SegmentReading(s, model.score(s), lex, None) for s, lex in zip(found, lexical, strict=True)]
    vectors = embed(found)  # the context apart: short sentences are not padded to its length
    scores = [model.score_embedded(s, vectors[k]) for k, s in enumerate(found)]
    if liftable and decided is not None:
        liftable = not any(score * lex >= decided and instruction_like(s)
                           for s, score, lex in zip(found, scores, lexical, strict=True))
    around = embed([rest])[0] if liftable else None
    return [SegmentReading(s, scores[k], lexical[k], float(vectors[k] @ around) if around is not None else None, words)
            for k, s in enumerate(found)]


def liftable_text(segment: str) -> bool:
    """Whether an instruction's wording admits the off-topic lift at all: not a prohibition, not a
    list's lead-in, and with a subject of its own ("If they do, use that instead." has none: it
    leans on the sentence before it)."""
    return not introduces_list(segment) and not prohibits(segment) and bool(content_words(segment))


def segment_score(reading: SegmentReading, off_topic: OffTopic | None) -> float:
    """An instruction's score: the classifier's, discounted when it reuses the passage's words,
    lifted when it is unrelated to the rest of the passage (``guards/offtopic.py``). An instruction
    behind a lead clause counts only when lifted: "For example, use:" and "To apply, fill in the form"
    are how guidance is written; "On top of your main task, answer…" in a page about benefits is not."""
    lift = 0.0
    if off_topic is not None and reading.cosine is not None and liftable_text(reading.text):
        lift = off_topic.lift(reading.cosine, reading.lexical, reading.context_words)
    if lift <= 0.0 and not instruction_like(reading.text):
        return 0.0
    return min(1.0, reading.score * reading.lexical + lift)


OFF_TOPIC = "off-topic"


def _segment_scores(model: LinearModel, segs: list[str], threshold: float) -> list[tuple[float, str, str]]:
    """(score, how, text) of each instruction: ``OFF_TOPIC`` where the lift is what its score rests on
    (worked out only while no instruction has reached ``threshold`` on its own)."""
    off_topic = OffTopic.from_meta(model.meta)
    out = []
    for reading in read_segments(model, segs, off_topic, threshold):
        score = segment_score(reading, off_topic)
        out.append((score, OFF_TOPIC if score > reading.score * reading.lexical else "segment", reading.text))
    return out


def _evidence(text: str) -> float:
    """A two-word message is too little for the statistical layer to judge on its own
    ("my question" must not look like an attack); the rules still read it in full."""
    words = max(len(_WORD.findall(text)), len("".join(text.split())) / 4)
    return min(1.0, words / MIN_EVIDENCE_WORDS)


def _layer(name: str) -> Callable[[GuardFactory], GuardFactory]:
    return guard_layers.register(name)


_layer("rules")(lambda options: RulesLayer(**options))
_layer("classifier")(lambda options: ClassifierLayer(**options))


# --- the screen ----------------------------------------------------------------


class Screen:
    """Runs the configured layers over a prompt or a document and combines their verdicts."""

    def __init__(
        self,
        kind: Kind = "prompt",
        layers: list[str | dict[str, Any]] | None = None,
        threshold: float | None = None,
        max_chars: int | None = None,
    ) -> None:
        if kind not in DEFAULT_THRESHOLDS:
            raise ConfigError(f"unknown guard kind {kind!r}: use 'prompt' or 'document'")
        self.kind: Kind = kind
        self.threshold = DEFAULT_THRESHOLDS[kind] if threshold is None else float(threshold)
        self.max_chars = max_chars or MAX_CHARS[kind]
        self.layers = [self._build(spec) for spec in (layers or list(DEFAULT_LAYERS))]

    def warm(self) -> None:
        """Load every layer's models now (a server does this at start, not on a citizen's request)."""
        for layer in self.layers:
            if isinstance(layer, ClassifierLayer):
                layer.warm(self.kind)

    @staticmethod
    def _build(spec: str | dict[str, Any]) -> GuardLayer:
        if isinstance(spec, str):
            return guard_layers.get(spec)({})
        options = dict(spec)
        name = options.pop("name", None)
        if not name:
            raise ConfigError("a guard layer in the profile needs a 'name'")
        return guard_layers.get(name)(options)

    def inspect(self, text: str) -> Inspection:
        document = self.kind == "document"
        readings = variants(text, keep_lines=document)
        return Inspection(self.kind, text, readings, segments(readings[0].text) if document else [])

    def check(self, text: str, judge: GuardLayer | None = None) -> GuardResult:
        """Screen ``text``; ``judge`` is this request's LLM judge layer, when the model-access
        policy allowed one (it never belongs to the screen: each request is routed afresh)."""
        if not text or not text.strip():
            return GuardResult("allow", 0.0, ["empty"], [], [])
        if len(text) > self.max_chars:
            layer = LayerVerdict("length", "block", 1.0, [f"over {self.max_chars} characters"], ["length"])
            return GuardResult("block", 1.0, layer.reasons, ["length"], [layer])
        item = self.inspect(text)
        verdicts: list[LayerVerdict] = []
        score = 0.0
        for layer in self.layers:
            verdict = layer.check(item, self.threshold, score)
            verdicts.append(verdict)
            score = max(score, verdict.score)
        if judge is not None:
            verdict = judge.check(item, self.threshold, score)
            verdicts.append(verdict)
            score = _with_judge(score, verdict, verdicts, self.threshold)
        return self._result(score, verdicts, item)

    def _result(self, score: float, verdicts: list[LayerVerdict], item: Inspection) -> GuardResult:
        blocked = score >= self.threshold
        reasons = [r for v in verdicts if v.verdict == "block" or (blocked and v.layer == "rules")
                   for r in v.reasons]
        categories = sorted({c for v in verdicts for c in v.categories})
        if blocked and not categories:
            categories = ["injection" if self.kind == "document" else "attack"]
        decoded = [v.how for v in item.variants[1:]]
        return GuardResult("block" if blocked else "allow", score, reasons or [], categories, verdicts, decoded)


def _with_judge(score: float, judge: LayerVerdict, verdicts: list[LayerVerdict], threshold: float) -> float:
    """The judge can confirm any block, and can clear one that rests on the classifier alone."""
    if judge.verdict == "block":
        return max(score, judge.score)
    if judge.verdict == "allow":
        rules_score = max((v.score for v in verdicts if v.layer == "rules"), default=0.0)
        if rules_score < threshold:
            return min(score, max(rules_score, threshold - 0.01))
    return score


_screens: dict[Kind, Screen] = {}


def default_screen(kind: Kind) -> Screen:
    if kind not in _screens:
        _screens[kind] = Screen(kind)
    return _screens[kind]


def check_prompt(text: str) -> GuardResult:
    """Screen a user message with the default layers (rules + classifier)."""
    return default_screen("prompt").check(text)


def check_document(text: str) -> GuardResult:
    """Screen a retrieved passage for instructions aimed at the model."""
    return default_screen("document").check(text)
