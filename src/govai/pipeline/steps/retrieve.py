"""retrieve: find the guidance passages that answer the question.

The question is embedded once here, through model access (a remote embedding API
is a model provider like any other), and the vector stays on the context for the
evidence read later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from govai.domain import Outcome
from govai.errors import PolicyRefusal
from govai.pipeline.context import Context
from govai.pipeline.replies import Replies
from govai.pipeline.step import steps
from govai.retrieval.retriever import Mode, Retriever

if TYPE_CHECKING:
    from govai.runtime import QueryEmbedder, Services

INCOMPLETE = "incomplete_kb"  # the knowledge base's last ingest did not finish


# "and how much is it?", "what about for my partner?": a follow-up leans on the question before.
_REFERS_BACK = re.compile(
    r"^\W*(?:and|but|also|so|what about|how about|and if|if so|what if|then|is it|does it|can i still)\b|"
    r"\b(?:it|that|this|they|them|those|these|there)\b", re.I)
FOLLOW_UP_WORDS = 12


def retrieval_query(text: str, history: list[str]) -> str:
    """What to search for: the question, joined to the one before it when it is a short
    follow-up that refers back; the answer is still chosen for the question as asked."""
    if history and len(text.split()) <= FOLLOW_UP_WORDS and _REFERS_BACK.search(text):
        return f"{history[-1]} {text}"
    return text


class Retrieve:
    name = "retrieve"

    def __init__(self, retriever: Callable[[], Retriever], embed: QueryEmbedder, replies: Replies, k: int = 10,
                 passages: int = 8, mode: str = "full") -> None:
        self.retriever = retriever  # built on first use
        self.embed = embed
        self.replies = replies
        self.k = k
        self.passages = passages
        self.mode = Mode(mode)

    def __call__(self, ctx: Context) -> None:
        query = retrieval_query(ctx.text, ctx.history)
        try:
            ctx.question_vector = self.embed(ctx, [ctx.text])[0]
            query_vector = ctx.question_vector if query == ctx.text else self.embed(ctx, [query])[0]
        except PolicyRefusal as exc:
            ctx.stop(Outcome.REFUSED, self.replies("policy_refused", classification=ctx.classification), str(exc))
            return
        result = self.retriever().search(ctx.kb, query, vector=query_vector, k=self.k,
                                       passages=self.passages, mode=self.mode)
        ctx.retrieved = result.ranked
        ctx.sources = result.passages
        if not result.complete:
            ctx.flag(INCOMPLETE)  # the review step tells the user
        ctx.record(self.name, retrieved=result.ranked, passages=len(result.passages), kb_complete=result.complete,
                   follow_up=query != ctx.text)


@steps.register("retrieve")
def build(services: Services, options: dict[str, Any]) -> Retrieve:
    options = dict(options)
    mode = options.get("mode", "full")
    if mode not in {m.value for m in Mode}:
        from govai.errors import ConfigError

        raise ConfigError(f"retrieve mode must be one of {', '.join(m.value for m in Mode)}, not {mode!r}")
    return Retrieve(lambda: services.retriever, services.query_embedder, services.replies, **options)
