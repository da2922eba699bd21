"""The runtime: shared resources (store, embedder, retriever, providers) and the
pipeline a service profile asks for. Everything heavy loads lazily, once."""

from __future__ import annotations

import time
from functools import cached_property
from typing import TYPE_CHECKING, Any

from govai.config import Settings, get_settings
from govai.pipeline import Context, Pipeline
from govai.domain import Classification
from govai.pipeline.step import steps  # the registry; govai.pipeline.steps is also a package name
from govai.profiles import ServiceProfile, load_profile
from govai.providers.base import Provider

if TYPE_CHECKING:
    from govai.embeddings.base import Embedder
    from govai.retrieval.retriever import Retriever
    from govai.store.database import Database
    from govai.store.knowledge import KnowledgeStore


class Runtime:
    def __init__(self, profile: ServiceProfile | None = None, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.profile = profile or load_profile()
        self._providers: dict[str, Provider] = {}

    @cached_property
    def db(self) -> Database:
        from govai.store.database import get_database

        return get_database()

    @cached_property
    def knowledge(self) -> KnowledgeStore:
        from govai.store.knowledge import KnowledgeStore

        return KnowledgeStore(self.db)

    @cached_property
    def embedder(self) -> Embedder:
        from govai.embeddings import get_embedder

        return get_embedder(self.settings.embedder)

    @cached_property
    def retriever(self) -> Retriever:
        from govai.retrieval.retriever import Retriever

        return Retriever(self.knowledge, self.embedder)

    def provider(self, name: str, options: dict[str, Any] | None = None) -> Provider:
        """A provider by name, as the provider file (or the built-in default) defines it;
        ``options`` add to the entry's kind-specific ``options``."""
        if name not in self._providers:
            from govai.providers.registry import load_catalogue, spec_provider

            spec = load_catalogue(self.profile.providers_file).get(name)
            if options:
                spec = spec.model_copy(update={"options": {**spec.options, **options}})
            self._providers[name] = spec_provider(spec)
        return self._providers[name]

    @cached_property
    def pipeline(self) -> Pipeline:
        import govai.pipeline.steps  # noqa: F401  (registers the steps)

        built = [steps.get(cfg.name)(self, cfg.options) for cfg in self.profile.steps]
        main = [s for s in built if not getattr(s, "always_runs", False)]
        final = [s for s in built if getattr(s, "always_runs", False)]
        return Pipeline(main, final)

    def ask(
        self,
        question: str,
        *,
        kb: str | None = None,
        classification: Classification | None = None,
        conversation_id: str | None = None,
    ) -> Context:
        ctx = Context(
            question=question,
            kb=kb or self.profile.kb,
            service=self.profile.name,
            classification=classification or self.profile.classification,
        )
        if conversation_id:
            ctx.conversation_id = conversation_id
        start = time.perf_counter()
        self.pipeline.run(ctx)
        ctx.state["latency_ms"] = (time.perf_counter() - start) * 1000
        return ctx
