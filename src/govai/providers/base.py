"""The provider contract: turn a question plus retrieved sources into a cited draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from govai.domain import Source, Usage
from govai.registry import Registry

if TYPE_CHECKING:
    from govai.retrieval.evidence import Evidence


class Draft(BaseModel):
    """A composed answer. ``answer is None`` means the provider abstains."""

    answer: str | None
    cited: list[str] = []  # source ids, in the order first cited
    usage: Usage = Field(default_factory=Usage)


class Provider(Protocol):
    """Composes a cited draft. ``evidence`` is the request's sentence evidence for these
    sources (the offline composer quotes from it; generative models may ignore it)."""

    name: str

    def compose(self, question: str, sources: list[Source], evidence: Evidence | None = None) -> Draft: ...


@runtime_checkable
class ChatProvider(Protocol):
    """A model provider that can also answer free-form messages (e.g. an LLM judge).

    ``messages`` are OpenAI-style ``{"role": ..., "content": ...}`` dicts.
    """

    name: str

    def chat(self, messages: list[dict[str, str]], max_tokens: int = 256) -> str: ...


# kind name -> factory(name, options) -> Provider
ProviderFactory = Callable[[str, dict[str, Any]], Provider]
provider_kinds: Registry[ProviderFactory] = Registry("provider kind")
