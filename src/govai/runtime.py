"""The runtime: a service's shared resources and the pipeline its profile asks for.

``Services`` holds what steps are built from (the profile's wording, the store, the
retriever, the model-access policy, the PII vaults), each created on first use; a
step's factory takes from it only what that step uses. ``Runtime`` builds the
pipeline once and answers questions with it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from govai.config import Settings, get_settings
from govai.domain import Classification, RoutedRequest
from govai.errors import ConfigError, PolicyRefusal
from govai.pipeline.context import Context
from govai.pipeline.replies import Replies
from govai.pipeline.runner import Pipeline
from govai.pipeline.step import Step, steps
from govai.profiles import ServiceProfile, load_profile

if TYPE_CHECKING:
    from govai.embeddings.base import Embedder
    from govai.pii.vault import Vault
    from govai.pipeline.evidence import EvidenceReader
    from govai.policy.access import ModelAccess
    from govai.providers.config import Catalogue, ProviderSpec
    from govai.retrieval.retriever import Retriever
    from govai.store.database import Database
    from govai.store.knowledge import KnowledgeStore

EMBEDDER_PROVIDER_ENV = "GOVAI_EMBEDDER_PROVIDER"


class QueryEmbedder:
    """Embeds request text through the model-access policy: a remote embedding API is a
    model provider like any other, and a request it may not take is refused."""

    def __init__(self, embedder: Callable[[], Embedder], access: ModelAccess,
                 spec: Callable[[], ProviderSpec]) -> None:
        self._embedder = embedder  # loaded on the first request, not when the pipeline is built
        self.access = access
        self._spec = spec

    def __call__(self, req: RoutedRequest, texts: list[str]) -> np.ndarray:
        embedder, spec = self._embedder(), self._spec()
        granted = next((c for c in req.model_calls if c.purpose == "query_embedding"), None)
        if granted is None:  # decided once per request, however many times it embeds
            allowed = self.access.grant_spec(req, spec, "query_embedding", build=lambda: embedder) is not None
        else:
            allowed = granted.allowed
        if not allowed:
            raise PolicyRefusal(f"the embedding model {spec.name!r} may not receive this request")
        return embedder.embed(texts)


class Services:
    """What a service's steps are built from; every resource is created on first use."""

    def __init__(self, profile: ServiceProfile, settings: Settings | None = None, *,
                 embedder: Embedder | None = None) -> None:
        self.profile = profile
        self.settings = settings or get_settings()
        self._vaults: dict[str, Vault] = {}
        self._lock = threading.Lock()
        if embedder is not None:  # shared by several services in one process (the server)
            self.__dict__["embedder"] = embedder

    @cached_property
    def replies(self) -> Replies:
        return Replies(self.profile.canned)

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

    @cached_property
    def catalogue(self) -> Catalogue:
        from govai.providers.config import load_catalogue

        return load_catalogue(self.profile.providers_file)

    @cached_property
    def access(self) -> ModelAccess:
        from govai.policy.access import ModelAccess

        profile = self.profile
        return ModelAccess(
            self.catalogue,
            profile.service_rules(),
            profile.providers,
            fallback_to_extractive=profile.routing.fallback_to_extractive,
            budget_exhausted=self._budget_exhausted if profile.budget.limits_spend else None,
        )

    @cached_property
    def query_embedder(self) -> QueryEmbedder:
        return QueryEmbedder(lambda: self.embedder, self.access, self.embedder_spec)

    def embedder_spec(self) -> ProviderSpec:
        """Where request text goes when it is embedded: in process, or a remote API whose
        attributes are a provider-file entry named by $GOVAI_EMBEDDER_PROVIDER (without one,
        the cautious defaults of any unknown provider apply)."""
        from govai.providers.config import ProviderSpec, in_process_spec

        embedder = self.embedder
        if not getattr(embedder, "remote", False):
            return in_process_spec(embedder.name)
        named = os.environ.get(EMBEDDER_PROVIDER_ENV, "").strip()
        if named:
            return self.catalogue.get(named)
        return ProviderSpec(name=embedder.name, kind="remote_embeddings")

    @cached_property
    def evidence_reader(self) -> EvidenceReader:
        from govai.pipeline.evidence import EvidenceReader

        return EvidenceReader(lambda: self.retriever, self.query_embedder)

    VAULT_KINDS = ("database", "memory")

    def check_vault_kind(self, kind: str) -> None:
        if kind not in self.VAULT_KINDS:
            raise ConfigError(f"unknown PII vault {kind!r}: use 'database' or 'memory'")

    def vault(self, kind: str = "database") -> Vault:
        """One vault per kind, shared by pseudonymise and reidentify."""
        from govai.pii.vault import DatabaseVault, MemoryVault

        self.check_vault_kind(kind)
        with self._lock:
            if kind not in self._vaults:
                self._vaults[kind] = DatabaseVault(self.db) if kind == "database" else MemoryVault()
            return self._vaults[kind]

    def _budget_exhausted(self, service: str) -> bool:
        from govai.policy.audit import period_starts, spent_gbp

        budget = self.profile.budget
        conn = self.db.conn
        day, month = period_starts()
        if budget.daily_gbp is not None and spent_gbp(conn, service, day) >= budget.daily_gbp:
            return True
        return budget.monthly_gbp is not None and spent_gbp(conn, service, month) >= budget.monthly_gbp


class Runtime:
    """One service: its profile, its resources and its pipeline."""

    def __init__(self, profile: ServiceProfile | None = None, settings: Settings | None = None, *,
                 embedder: Embedder | None = None) -> None:
        self.profile = profile or load_profile()
        self.services = Services(self.profile, settings, embedder=embedder)

    # Shortcuts for commands that manage the store directly.
    @property
    def knowledge(self) -> KnowledgeStore:
        return self.services.knowledge

    @property
    def embedder(self) -> Embedder:
        return self.services.embedder

    @property
    def retriever(self) -> Retriever:
        return self.services.retriever

    @cached_property
    def pipeline(self) -> Pipeline:
        import govai.pipeline.steps  # noqa: F401  (registers the built-in steps)

        self.check_providers()
        built = [self._build_step(i, cfg.name, cfg.options) for i, cfg in enumerate(self.profile.steps)]
        main = [s for s in built if not getattr(s, "always_runs", False)]
        final = [s for s in built if getattr(s, "always_runs", False)]
        return Pipeline(main, final, self.services.replies)

    def _build_step(self, index: int, name: str, options: dict[str, Any]) -> Step:
        """A step from its factory; a wrong name or option names the profile and the key."""
        where = f"{self.profile.origin}: steps.{index} ({name})"
        try:
            factory = steps.get(name)
        except ConfigError as exc:
            raise ConfigError(f"{self.profile.origin}: steps.{index}: {exc}") from None
        try:
            return factory(self.services, dict(options))
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        except TypeError as exc:  # an option the step does not take
            message = str(exc).split(") ", 1)[-1] if ") " in str(exc) else str(exc)
            raise ConfigError(f"{where}: invalid options: {message}") from None

    def check_providers(self) -> None:
        try:
            self.services.access
        except ConfigError as exc:
            raise ConfigError(f"{self.profile.origin}: providers: {exc}") from None

    def check(self, kb: str | None = None) -> None:
        """Fail now, with the file and key, on anything a request would trip over: an unknown step
        or option, an unknown provider, or (when the pipeline retrieves) a missing knowledge base."""
        self.check_providers()
        self.pipeline
        if any(s.name == "retrieve" for s in self.profile.steps) or kb:
            self.knowledge.require(kb or self.profile.kb)

    def context(
        self,
        question: str,
        *,
        kb: str | None = None,
        classification: Classification | None = None,
        conversation_id: str | None = None,
        tenant: str | None = None,
        history: list[str] | None = None,
    ) -> Context:
        ctx = Context(
            question=question,
            kb=kb or self.profile.kb,
            service=self.profile.name,
            classification=classification or self.profile.classification,
            tenant=tenant,
            history=list(history or []),
        )
        if conversation_id:
            ctx.conversation_id = conversation_id
        return ctx

    def ask(
        self,
        question: str,
        *,
        kb: str | None = None,
        classification: Classification | None = None,
        conversation_id: str | None = None,
        tenant: str | None = None,
        history: list[str] | None = None,
    ) -> Context:
        ctx = self.context(question, kb=kb, classification=classification, conversation_id=conversation_id,
                           tenant=tenant, history=history)
        start = time.perf_counter()
        self.pipeline.run(ctx)
        ctx.latency_ms = (time.perf_counter() - start) * 1000
        return ctx
