"""check_evidence: abstain, with signposting, when the retrieved guidance does not answer.

Runs after ``screen_sources`` and before ``compose``, so no provider is called (or
paid) for a question the guidance cannot answer, and every provider gets the same
decision. The evidence it reads is kept for composition; the signals and the score
are recorded for the audit trail.

Options: ``threshold`` (a service may abstain more or less readily than the trained
default; higher abstains more), ``model`` (a path to another trained model file).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from govai.answerability.model import load_model
from govai.answerability.signals import measure
from govai.domain import Outcome
from govai.pipeline.context import Context
from govai.pipeline.evidence import EvidenceReader
from govai.pipeline.replies import Replies
from govai.pipeline.step import steps

if TYPE_CHECKING:
    from govai.runtime import Services


class CheckEvidence:
    name = "check_evidence"

    def __init__(self, read_evidence: EvidenceReader, replies: Replies,
                 threshold: float | None = None, model: str | None = None) -> None:
        self.read_evidence = read_evidence
        self.replies = replies
        self.model = load_model(Path(model) if model else None)
        self.threshold = self.model.threshold if threshold is None else float(threshold)

    def __call__(self, ctx: Context) -> None:
        if not ctx.sources:
            ctx.record(self.name, score=0.0, threshold=self.threshold)
            ctx.stop(Outcome.ABSTAINED, self.replies("not_found"), "no guidance retrieved")
            return
        evidence = self.read_evidence(ctx)
        index = self.read_evidence.retriever.index(ctx.kb, ctx.sources)
        signals = measure(evidence, index, self.read_evidence.embed_for(ctx))
        score = self.model.score(signals)
        ctx.record(self.name, score=round(score, 4), threshold=self.threshold, signals=signals.as_dict())
        if score < self.threshold:
            ctx.stop(Outcome.ABSTAINED, self.replies("not_found"),
                     f"the guidance retrieved does not answer the question (answerability {score:.2f} < {self.threshold:.2f})")


@steps.register("check_evidence")
def build(services: Services, options: dict[str, Any]) -> CheckEvidence:
    return CheckEvidence(services.evidence_reader, services.replies, **options)
