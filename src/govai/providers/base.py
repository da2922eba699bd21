"""The provider contract: turn a question plus retrieved sources into a cited draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel

from govai.pipeline.context import Source, Usage
from govai.registry import Registry


class Draft(BaseModel):
    """A composed answer. ``answer is None`` means the provider abstains."""

    answer: str | None
    cited: list[str] = []  # source ids, in the order first cited
    usage: Usage = Usage()


class Provider(Protocol):
    name: str

    def compose(self, question: str, sources: list[Source]) -> Draft: ...


# kind name -> factory(name, options) -> Provider
ProviderFactory = Callable[[str, dict[str, Any]], Provider]
provider_kinds: Registry[ProviderFactory] = Registry("provider kind")
