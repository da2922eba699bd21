"""The OpenAI-compatible gateway's logic (``routes/openai.py`` is its HTTP face).

A key sees three kinds of model:

- **a service** (``<service>``): its whole pipeline, through ``ServerState.ask`` like the service
  API. The last user message is the question; earlier user messages are the conversation so far
  (pseudonymised here before the pipeline sees them).
- **a provider** (``provider:<name>``, or ``provider:<name>@<service>``): one of the composition
  providers a service of the key's tenant may use, passed through with the service's safeguards.
  Without ``@<service>`` the first of the key's services (by name) that lists the provider governs.
- **the embedder** (``embedding:<name>`` or ``embedding:<name>@<service>``): the deployment's embedder.

Provider passthrough runs its own short pipeline of steps over one ``Context``, with the service's
own settings (its pseudonymise detector and operators, its input screen and judge, its output
checks, its canned replies, its model-access policy and its audit step):

    normalise → security_marking → pseudonymise → screen_input → passthrough → reidentify → check_output → audit

Every message is cleaned of hidden characters; protective markings in any message raise the
classification; personal data in any message is replaced by placeholders (one in-memory map per
request: nothing is stored), every user message is screened; model access decides whether the
provider may take the request at all and which text it gets; the reply has the caller's own
details put back, then passes the output checks before a word of it is returned or streamed; the
decision record goes to the service's audit chain. A step that fails stops the request (fail closed).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import numpy as np
import psycopg
import urllib3

from govai.domain import Classification, ModelCall, Outcome, PersonalData, TextSent, Usage
from govai.errors import GovAIError
from govai.guards.judge import JudgeLayer
from govai.guards.output import CHECKS, check_answer
from govai.pii.operators import OperatorContext, anonymise
from govai.pii.placeholders import PlaceholderMap, reidentify
from govai.pii.vault import derived_key, load_key
from govai.pipeline.context import Context
from govai.pipeline.runner import Pipeline
from govai.pipeline.steps.audit import payload_for
from govai.pipeline.steps.screen_input import CRISIS_ONLY, judge_layer
from govai.pipeline.steps.security_marking import marking_in
from govai.policy.access import request_of
from govai.policy.audit.chain import StoredRecord, append_many_locked, checkpoint_every, lock_service
from govai.policy.routing import Decision, Route
from govai.providers.config import EXTRACTIVE, ProviderSpec
from govai.providers.openai_compat import OPENAI_BASE_URL
from govai.providers.resilience import Attempt, PermanentProviderError, TransientProviderError
from govai.server import metrics
from govai.server.auth import CACHE_S, Principal
from govai.server.catalogue import Service
from govai.server.errors import ApiError
from govai.server.state import Asked, ServerState
from govai.store.tenants import ApiKey
from govai.text.normalise import normalise, repair_surrogates

PROVIDER_PREFIX = "provider:"
EMBEDDING_PREFIX = "embedding:"
CHAT_KINDS = frozenset({"openai", "azure_openai", "openai_compatible", "llama_cpp"})
PASSTHROUGH = "passthrough"  # the model-access purpose of a provider passthrough call
EMBEDDING = "embedding"  # ... and of an embeddings request
KILL_SWITCH = "service switched off by the kill switch"
OUTPUT_CHECKS = tuple(c for c in CHECKS if c != "support")  # a passthrough reply cites no guidance
MAX_EMBEDDING_INPUTS = 256
SWITCH_CACHE_S = 1.0  # a kill switch thrown on any worker or node stops passthrough within this long

log = logging.getLogger("govai.server.gateway")


# ----------------------------------------------------------------------------- models


@dataclass(frozen=True)
class GatewayModel:
    id: str
    kind: str  # service, provider or embedding
    service: Service  # whose policy, limits and audit chain apply
    target: str | None = None  # the provider or embedder name

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "service": self.service.name,
                **({"provider": self.target} if self.kind == "provider" else {}),
                **({"embedder": self.target} if self.kind == "embedding" else {}),
                "classification": str(self.service.profile.classification), "uk_only": self.service.profile.uk_only}


def chat_providers(service: Service) -> list[str]:
    """The service's composition providers that can take free-form chat (not the extractive composer)."""
    catalogue = service.runtime.services.catalogue
    return [name for name in service.profile.providers
            if name != EXTRACTIVE and name in catalogue and catalogue.get(name).kind in CHAT_KINDS]


def embedder_name(service: Service) -> str:
    """The embedder's name: the one the service was given, else the deployment's setting (so listing
    models does not load the embedder)."""
    services = service.runtime.services
    given = services.__dict__.get("embedder")
    return str(given.name) if given is not None else services.settings.embedder


# ----------------------------------------------------------------------------- one chat


@dataclass
class Turn:
    """One chat message as the gateway handles it."""

    role: str
    text: str  # as sent, cleaned of hidden characters
    sent: str = ""  # with personal data replaced by placeholders (== text when none was found)


@dataclass
class Refusal:
    """How a stopped request is answered over HTTP (OpenAI's error shape)."""

    status: int
    code: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Chat:
    """One chat completion: the messages, the context the safeguards and audit work on, the result."""

    model: GatewayModel
    turns: list[Turn]
    ctx: Context
    max_tokens: int | None = None
    mapping: PlaceholderMap = field(default_factory=PlaceholderMap)
    refusal: Refusal | None = None
    finish_reason: str = "stop"
    asked: Asked | None = None  # a service model's answer

    @property
    def content(self) -> str:
        return self.ctx.answer or ""

    @property
    def last_user(self) -> Turn:
        return next((t for t in reversed(self.turns) if t.role == "user"), self.turns[-1])

    def stop(self, outcome: Outcome, reply: str, reason: str, refusal: Refusal | None = None) -> None:
        self.ctx.stop(outcome, reply, reason)
        self.refusal = refusal


def clean(text: str) -> str:
    """Hidden characters (zero-width, bidi, tag characters) removed and NFKC applied; letters of other
    scripts are kept as they are (a passthrough model may be asked in any language)."""
    return normalise(repair_surrogates(text), fold_homoglyphs=False).text


class ServiceGuards:
    """A service's safeguards, taken from its built pipeline so the profile's options apply."""

    def __init__(self, service: Service) -> None:
        runtime = service.runtime
        pipeline = runtime.pipeline
        built = {s.name: s for s in [*pipeline.steps, *pipeline.finally_steps]}
        self.service = service
        self.replies = runtime.services.replies
        self.access = runtime.services.access
        normalise_step = built.get("normalise")
        self.max_chars = int(getattr(normalise_step, "max_chars", 2000))
        marking = built.get("security_marking")
        self.detect_markings = bool(getattr(marking, "detect_markings", True))
        pseudo = built.get("pseudonymise")
        self.detector = getattr(pseudo, "detector", None)
        self.operators: dict[str, str] = dict(getattr(pseudo, "operators", None) or {"default": "pseudonymise"})
        self.hash_key = derived_key(load_key(), "hash") if "hash" in self.operators.values() else b""
        self.screen_step = built.get("screen_input") if hasattr(built.get("screen_input"), "screen") else None
        out = built.get("check_output")
        self.output_checks = [c for c in getattr(out, "checks", None) or OUTPUT_CHECKS if c in OUTPUT_CHECKS]
        self.forbidden_terms = list(getattr(out, "forbidden_terms", None) or [])
        self.audit = built.get("audit")
        self.warm_up()

    def warm_up(self) -> None:
        """Load what the safeguards load lazily (the personal-data detector's word lists and NER
        model, the input guard's classifier) now, once per service and process, rather than in
        the middle of some later request: spaCy's NER alone takes seconds to load, and it loads
        on the first message whose capitalised words the word lists cannot settle."""
        warm = getattr(self.detector, "warm_up", None)
        if callable(warm):
            warm()
        if self.screen_step is not None:
            self.screen_step.screen.check("What should I bring to a Jobcentre appointment?")
        check_answer("Thank you for your question.", [], [], "", forbidden_terms=self.forbidden_terms,
                     checks=self.output_checks)

    @property
    def pseudonymises(self) -> bool:
        return self.detector is not None

    def pseudonymise(self, text: str, mapping: PlaceholderMap) -> tuple[str, Counter[str]]:
        """The text with personal data replaced, and the count per label (never values)."""
        assert self.detector is not None
        entities = self.detector.detect(text)
        if not entities:
            return text, Counter()
        result = anonymise(text, entities, self.operators, OperatorContext(mapping=mapping, hash_key=self.hash_key))
        return result.text, Counter(e.label for e in entities)


# The steps of a provider passthrough, each over one Chat. Each records what it did for the audit trail.


class _Step:
    name = ""

    def __init__(self, chat: Chat, guards: ServiceGuards) -> None:
        self.chat = chat
        self.guards = guards


class CleanStep(_Step):
    name = "normalise"

    def __call__(self, ctx: Context) -> None:
        hidden = 0
        for turn in self.chat.turns:
            cleaned = clean(turn.text)
            hidden += max(len(turn.text) - len(cleaned), 0)
            turn.text = turn.sent = cleaned
        limit = self.guards.max_chars
        if any(t.role == "user" and len(t.text) > limit for t in self.chat.turns):
            self.chat.stop(Outcome.REFUSED, self.guards.replies("too_long", limit=limit),
                           f"a user message over {limit} characters",
                           Refusal(400, "message_too_long", f"each user message may hold at most {limit} characters"))
            return
        ctx.text = self.chat.last_user.text
        ctx.record(self.name, hidden_characters_removed=hidden, messages=len(self.chat.turns))


class MarkingStep(_Step):
    name = "security_marking"

    def __call__(self, ctx: Context) -> None:
        declared = ctx.classification
        marked = None
        if self.guards.detect_markings:
            found = [m for t in self.chat.turns if (m := marking_in(t.text)) is not None]
            marked = max(found, key=lambda m: m.rank) if found else None
        if marked is not None and marked.rank > declared.rank:
            ctx.classification = marked
        ctx.record(self.name, classification=str(ctx.classification), declared=str(declared),
                   marking=str(marked) if marked else None, raised=ctx.classification != declared)


class PseudonymiseStep(_Step):
    name = "pseudonymise"

    def __call__(self, ctx: Context) -> None:
        last = self.chat.last_user
        ctx.original_text = last.text
        if not self.guards.pseudonymises:  # waived by the service: routing treats the text as holding personal data
            ctx.record(self.name, skipped="waived by the service")
            return
        counts: Counter[str] = Counter()
        for turn in self.chat.turns:
            turn.sent, found = self.guards.pseudonymise(turn.text, self.chat.mapping)
            counts.update(found)
        ctx.pii_found = dict(counts)
        ctx.text = last.sent
        if counts:
            ctx.personal_data = PersonalData.FOUND
            ctx.flag("personal_data")
        else:
            ctx.personal_data = PersonalData.NONE
        ctx.record(self.name, found=dict(counts))


class ScreenStep(_Step):
    name = "screen_input"

    def __call__(self, ctx: Context) -> None:
        step = self.guards.screen_step
        if step is None:
            ctx.record(self.name, verdict="skipped", reason="waived by the service")
            return
        judge, skipped = judge_layer(step.access, ctx, step.judge, "input_judge", mode=step.judge_mode)
        judge_text = next((c.text for c in reversed(ctx.model_calls) if c.purpose == "input_judge" and c.allowed), None)
        verdicts = []
        blocked: list[str] = []
        worst = 0.0
        for i, turn in enumerate(self.chat.turns):
            if turn.role != "user":
                continue  # the calling application's own system prompt and the model's earlier replies
            layer = None
            if judge is not None:
                shown = turn.text if judge_text is TextSent.ORIGINAL else turn.sent
                layer = JudgeLayer(judge.chat, mode=judge.mode, band=judge.band, text=shown)
            result = step.screen.check(turn.text, judge=layer)
            worst = max(worst, result.score)
            verdicts.append({"message": i, "verdict": result.verdict, "score": round(result.score, 4),
                             "reasons": result.reasons, "categories": result.categories})
            if result.blocked:
                blocked.extend(result.categories or ["attack"])
        categories = sorted(set(blocked))
        ctx.record(self.name, verdict="block" if blocked else "pass", score=round(worst, 4), categories=categories,
                   messages=verdicts, **({"judge": skipped} if skipped else {}))
        if not blocked:
            return
        if set(categories) <= CRISIS_ONLY:
            # As the scope step does: help at once, and no model sees the message.
            ctx.flag("self_harm")
            self.chat.stop(Outcome.ANSWERED, self.guards.replies("crisis"), "scope: input guard found self-harm")
            return
        ctx.flag("guard_blocked")
        if "length" in categories:
            reply = self.guards.replies("too_long", limit=step.screen.max_chars)
        elif categories == ["pii_request"]:
            reply = self.guards.replies("blocked_personal_data")
        else:
            reply = self.guards.replies("blocked_input")
        self.chat.stop(Outcome.BLOCKED, reply, "input guard: " + ", ".join(categories),
                       Refusal(400, "content_filter", reply))


class PassthroughStep(_Step):
    name = PASSTHROUGH

    def __init__(self, chat: Chat, guards: ServiceGuards,
                 completer: Callable[[ProviderSpec, Any], Callable[[list[dict[str, str]], int], Any]]) -> None:
        super().__init__(chat, guards)
        self.completer = completer  # (spec, grant) -> complete(messages, max_tokens)

    def __call__(self, ctx: Context) -> None:
        chat, guards = self.chat, self.guards
        access = guards.access
        spec = access.catalogue.get(chat.model.target or "")
        grant = access.grant_spec(ctx, spec, PASSTHROUGH)
        decision = Decision(request_of(ctx))
        if grant is None:
            decision.rejected[spec.name] = ctx.model_calls[-1].reasons
        else:
            decision.chain.append(Route(spec.name, grant.text))
        ctx.routing = decision
        explanation = decision.explanation()
        if grant is None:
            ctx.record(self.name, **decision.as_dict())
            if decision.rejected_only_by("budget"):
                chat.stop(Outcome.REFUSED, guards.replies("budget_refused"), explanation,
                          Refusal(429, "insufficient_quota", f"the service {guards.service.name!r} has used its "
                                  "spending budget", {"x-should-retry": "false"}))
            else:
                chat.stop(Outcome.REFUSED, guards.replies("policy_refused", classification=ctx.classification),
                          explanation, Refusal(403, "policy_refused", f"GovAI's routing policy refused this request: "
                                               f"{explanation}"))
            return
        messages = [{"role": t.role, "content": t.text if grant.text is TextSent.ORIGINAL else t.sent}
                    for t in chat.turns]
        max_tokens = min(chat.max_tokens or spec.max_output_tokens, spec.max_output_tokens)
        limit = guards.service.profile.budget.max_tokens_per_request
        if limit is not None and spec.paid:
            prompt = sum(len(m["content"]) for m in messages) // 4
            if prompt + 16 > limit:
                chat.stop(Outcome.REFUSED, guards.replies("budget_refused"), "over the per-request token budget",
                          Refusal(400, "context_length_exceeded", f"the messages are over this service's "
                                  f"per-request budget of {limit} tokens"))
                ctx.record(self.name, **decision.as_dict())
                return
            max_tokens = min(max_tokens, limit - prompt)
        attempts: list[Attempt] = []
        try:
            complete = self.completer(spec, grant)
            text, usage = spec.resilience().run(lambda: complete(messages, max_tokens), attempts)
        except Exception as exc:  # every failure is answered and audited, never lost
            reason = f"{type(exc).__name__}: {exc}"[:300]
            ctx.record(self.name, provider=spec.name, text_sent=str(grant.text),
                       attempts=[a.as_dict() for a in attempts], error=reason)
            chat.stop(Outcome.ERROR, guards.replies("service_error"), f"provider {spec.name} failed: {reason}",
                      Refusal(502, "upstream_error", f"the provider {spec.name!r} did not answer; try again later"))
            return
        ctx.provider = spec.name
        ctx.usage.provider = spec.name
        ctx.usage.model = usage.model or spec.name
        ctx.usage.prompt_tokens += usage.prompt_tokens
        ctx.usage.completion_tokens += usage.completion_tokens
        ctx.usage.cost_gbp += usage.cost_gbp
        ctx.answer = ctx.draft = text
        ctx.record(self.name, provider=spec.name, text_sent=str(grant.text), explanation=explanation,
                   attempts=[a.as_dict() for a in attempts], prompt_tokens=usage.prompt_tokens,
                   completion_tokens=usage.completion_tokens, cost_gbp=round(usage.cost_gbp, 6))


class ReidentifyStep(_Step):
    name = "reidentify"

    def __call__(self, ctx: Context) -> None:
        if not ctx.answer or "[" not in ctx.answer or not len(self.chat.mapping):
            return
        answer, unknown = reidentify(ctx.answer, self.chat.mapping)
        ctx.answer = answer
        if unknown:
            ctx.flag("invented_placeholder")
        ctx.record(self.name, unknown_placeholders=len(unknown))


class OutputStep(_Step):
    name = "check_output"

    def __call__(self, ctx: Context) -> None:
        if not ctx.answer:
            ctx.record(self.name, verdict="skipped", reason="no answer to check")
            return
        given = "\n".join(t.text for t in self.chat.turns)  # what the caller gave may come back
        report = check_answer(ctx.answer, [], [], given, forbidden_terms=self.guards.forbidden_terms,
                              checks=self.guards.output_checks)
        ctx.record(self.name, verdict="pass" if report.passed else "block",
                   checks=[{"check": c.name, "passed": c.passed, "reason": c.reason} for c in report.checks])
        if not report.passed:
            ctx.flag("output_blocked")
            self.chat.stop(Outcome.BLOCKED, self.guards.replies("blocked_output"),
                           "output guard: " + ", ".join(c.name for c in report.failures))
            self.chat.finish_reason = "content_filter"




# ----------------------------------------------------------------------------- the hot path


@dataclass
class _Pending:
    payload: dict[str, Any]
    connect: Callable[[], psycopg.Connection]
    event: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    record: StoredRecord | None = None
    error: BaseException | None = None

    def result(self) -> str:
        if self.error is not None:
            raise self.error
        assert self.record is not None
        return self.record.row_hash


class GroupCommit:
    """Appends audit records to a service's chain, the records of requests that arrive together in
    one transaction: one lock, one durable commit for all of them (on a disk where a commit costs
    milliseconds, that commit bounds a chain's throughput, since a chain takes one writer at a time).

    Nothing is weakened: each request waits until its own record is committed (a request is never
    answered before it is audited), and records keep their order. The first request to arrive
    writes; those arriving meanwhile queue, and the first of them writes the next batch."""

    MAX_BATCH = 128

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, list[_Pending]] = {}
        self._busy: set[str] = set()

    def append(self, connect: Callable[[], psycopg.Connection], payload: dict[str, Any]) -> str:
        service = str(payload.get("service") or "")
        item = _Pending(payload, connect)
        with self._lock:
            self._queues.setdefault(service, []).append(item)
            if service not in self._busy:
                self._busy.add(service)
                item.lead = True
        if not item.lead:
            item.event.wait()
            if not item.lead:  # another request wrote it
                return item.result()
        with self._lock:
            queue = self._queues.get(service, [])
            batch, rest = queue[:self.MAX_BATCH], queue[self.MAX_BATCH:]
            if rest:
                self._queues[service] = rest
            else:
                self._queues.pop(service, None)
        try:
            self._write(service, batch, item.connect)
        finally:
            with self._lock:
                waiting = self._queues.get(service)
                if waiting:
                    waiting[0].lead = True
                    waiting[0].event.set()
                else:
                    self._busy.discard(service)
        return item.result()

    @staticmethod
    def _write(service: str, batch: list[_Pending], connect: Callable[[], psycopg.Connection]) -> None:
        try:
            conn = connect()
            with conn.transaction():
                lock_service(conn, service)
                records = append_many_locked(conn, "request", [pending.payload for pending in batch])
            for pending, record in zip(batch, records, strict=True):
                pending.record = record
        except BaseException as exc:
            for pending in batch:
                pending.record, pending.error = None, exc
        else:
            every = checkpoint_every()
            for pending in batch:  # signed checkpoints, as append() writes them, once committed
                record = pending.record
                if every and record is not None and record.seq % every == 0:
                    from govai.policy.audit.checkpoints import write_checkpoint

                    try:
                        write_checkpoint(conn, record.service, record.seq, record.row_hash)
                    except (GovAIError, OSError, psycopg.Error) as exc:
                        log.error("audit checkpoint for service %r at seq %d not written: %s", record.service,
                                  record.seq, exc)
        finally:
            for pending in batch:
                pending.event.set()


class AuditStep:
    """The service's audit step for gateway requests: the same record (``payload_for``), written
    through the group commit."""

    name = "audit"
    always_runs = True

    def __init__(self, writer: GroupCommit, connect: Callable[[], psycopg.Connection], log_text: bool) -> None:
        self.writer = writer
        self.connect = connect
        self.log_text = log_text

    def __call__(self, ctx: Context) -> None:
        digest = self.writer.append(self.connect, payload_for(ctx, log_text=self.log_text))
        ctx.audit_hash = digest
        ctx.record(self.name, row_hash=digest)


class LeanChat:
    """One OpenAI-compatible endpoint's chat completions over a kept-alive connection pool.

    The provider object (the official SDK) costs about 4 ms of CPU a call on its own, and httpx,
    under it, about 0.5 ms; a gateway passing requests through feels that on every one. This sends
    the same request (the model, the messages model access allowed, ``max_tokens``, the provider's
    temperature, streamed when the provider entry says so and cut at its ``timeout_s``) through one
    urllib3 connection pool (about 0.2 ms a call), trusting the same certificates and proxies as
    httpx does (``SSL_CERT_FILE``/``SSL_CERT_DIR`` or certifi; ``HTTPS_PROXY``, ``NO_PROXY``), and
    raises the same errors (``TransientProviderError`` for timeouts, unreachable endpoints,
    408/429/5xx and malformed replies; ``PermanentProviderError`` otherwise), so retries and the
    circuit breaker work as for any provider. Used for the ``openai`` and ``openai_compatible``
    kinds; others use their provider."""

    KINDS = frozenset({"openai", "openai_compatible"})

    def __init__(self, spec: ProviderSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self.url = (spec.base_url or OPENAI_BASE_URL).rstrip("/") + "/chat/completions"
        key = spec.api_key()
        self.headers = {"Authorization": f"Bearer {key.get_secret_value() if key else 'not-needed'}",
                        "Content-Type": "application/json", "Accept-Encoding": "gzip, deflate"}
        self.pool, self.target = _pool(self.url, urllib3.Timeout(connect=spec.connect_timeout_s, read=spec.timeout_s))

    def __repr__(self) -> str:  # never shows the key
        return f"LeanChat(name={self.name!r}, url={self.url!r})"

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> tuple[str, Usage]:
        spec = self.spec
        body: dict[str, Any] = {"model": spec.model, "messages": messages, "max_tokens": max_tokens,
                                "temperature": spec.temperature}
        start = time.monotonic()
        try:
            if spec.stream:
                body.update(stream=True, stream_options={"include_usage": True})
                text, usage = self._streamed(body, start + spec.timeout_s)
            else:
                response = self._post(body, stream=False)
                self._check(response)
                data = json.loads(response.data)
                content = data["choices"][0]["message"]["content"]
                if not isinstance(content, str):
                    raise TypeError("no message content")
                text, usage = content, self._usage(data.get("usage"))
        except urllib3.exceptions.TimeoutError as exc:
            if isinstance(exc, urllib3.exceptions.NewConnectionError):  # a refused connection is one too
                raise TransientProviderError(f"provider {self.name!r} cannot be reached: {type(exc).__name__}") from None
            raise TransientProviderError(f"provider {self.name!r} timed out after {spec.timeout_s:g}s") from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise TransientProviderError(f"provider {self.name!r} cannot be reached: {type(exc).__name__}") from None
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise TransientProviderError(f"provider {self.name!r} sent a malformed reply ({type(exc).__name__})") from None
        if usage.prompt_tokens == 0 and usage.completion_tokens == 0:  # none reported: estimate, so budgets bite
            usage.prompt_tokens = sum(max(1, len(m["content"]) // 4) for m in messages)
            usage.completion_tokens = max(1, len(text) // 4)
        usage.cost_gbp = spec.cost_gbp(usage.prompt_tokens, usage.completion_tokens)
        return text, usage

    def _post(self, body: dict[str, Any], *, stream: bool) -> urllib3.BaseHTTPResponse:
        # No retries or redirects here: retrying is the provider's resilience policy's to decide.
        return self.pool.urlopen("POST", self.target, body=json.dumps(body).encode(), headers=self.headers,
                                 retries=False, redirect=False, preload_content=not stream)

    def _streamed(self, body: dict[str, Any], deadline: float) -> tuple[str, Usage]:
        parts: list[str] = []
        usage = Usage(provider=self.name, model=self.spec.model)
        response = self._post(body, stream=True)
        finished = False
        try:
            self._check(response)
            for raw in response:
                if time.monotonic() > deadline:  # a stream that trickles never trips the read timeout
                    raise TransientProviderError(f"provider {self.name!r} streamed past its "
                                                 f"{self.spec.timeout_s:g}s limit")
                line = raw.decode("utf-8").strip()
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                chunk = json.loads(data)
                if chunk.get("usage"):
                    usage = self._usage(chunk["usage"])
                for choice in chunk.get("choices") or []:
                    content = (choice.get("delta") or {}).get("content")
                    if content:
                        parts.append(content)
            finished = True
        finally:
            if finished:
                response.drain_conn()  # the connection goes back to the pool for the next call
            else:
                response.close()  # a failed or cut stream: its connection is not reused
            response.release_conn()
        return "".join(parts), usage

    def _usage(self, reported: Any) -> Usage:
        reported = reported if isinstance(reported, dict) else {}
        return Usage(provider=self.name, model=self.spec.model,
                     prompt_tokens=int(reported.get("prompt_tokens") or 0),
                     completion_tokens=int(reported.get("completion_tokens") or 0))

    def _check(self, response: urllib3.BaseHTTPResponse) -> None:
        status = response.status
        if status < 400:
            return
        hint = {401: "the endpoint rejected the API key; check api_key_env / api_key_file",
                403: "the key may not use this model or endpoint",
                404: "unknown model, deployment or URL; check model / deployment / base_url"}.get(status, "")
        message = f"provider {self.name!r} returned HTTP {status}" + (f": {hint}" if hint else "")
        if status in (408, 429) or status >= 500:
            raise TransientProviderError(message)
        raise PermanentProviderError(message)

    def close(self) -> None:
        self.pool.close()


def _pool(url: str, timeout: urllib3.Timeout) -> tuple[urllib3.HTTPConnectionPool, str]:
    """A keep-alive pool for one endpoint and the request target to send it, through the proxy the
    environment names for the endpoint (as httpx does by default), verifying certificates against
    the same store as httpx."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    options: dict[str, Any] = {"timeout": timeout, "maxsize": 32, "block": False, "retries": False}
    if parts.scheme == "https":
        options["ssl_context"] = httpx.create_ssl_context()
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return urllib3.connection_from_url(url, **options), target
    # HTTPS goes through a CONNECT tunnel (the target as usual); plain HTTP is forwarded (the whole URL).
    via = urllib.parse.urlsplit(proxy)
    login = (urllib3.make_headers(proxy_basic_auth=f"{urllib.parse.unquote(via.username)}:"
                                  f"{urllib.parse.unquote(via.password or '')}") if via.username else None)
    manager = urllib3.ProxyManager(proxy, num_pools=1, proxy_headers=login, **options)
    return manager.connection_from_url(url), target if parts.scheme == "https" else url


# ----------------------------------------------------------------------------- the gateway


@dataclass
class Embedded:
    vectors: np.ndarray
    ctx: Context
    model: GatewayModel


class Gateway:
    """What the gateway's routes call; one per server state."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.commit = GroupCommit()
        self._guards: dict[str, ServiceGuards] = {}
        self._lean: dict[int, tuple[ProviderSpec, LeanChat]] = {}
        self._switches: dict[str, tuple[float, bool]] = {}
        self._keys: dict[str, tuple[float, ApiKey | None]] = {}
        self._lock = threading.Lock()

    async def key(self, token: str) -> ApiKey | None:
        """The active key this token is, remembered for as long as ``KeyCheck`` remembers it (a revoked
        key stops working within ``CACHE_S``); only an unknown token goes to the store, off the event loop."""
        digest = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
        now = time.monotonic()
        hit = self._keys.get(digest)
        if hit is not None and now - hit[0] < CACHE_S:
            key = hit[1]
        else:
            import anyio.to_thread

            key = await anyio.to_thread.run_sync(self.state.key_check, token)
            if len(self._keys) > 10_000:
                self._keys.clear()
            self._keys[digest] = (now, key)
        return key if key is not None and key.active else None

    # --- the hot path's shared parts ----------------------------------------------------
    def available(self, service: Service) -> bool:
        """The kill switch, read from the store at most once a second per service and process."""
        now = time.monotonic()
        cached = self._switches.get(service.name)
        if cached is not None and now - cached[0] < SWITCH_CACHE_S:
            return cached[1]
        enabled = self.state.available(service)
        self._switches[service.name] = (now, enabled)
        return enabled

    def completer(self, spec: ProviderSpec, grant: Any) -> Callable[[list[dict[str, str]], int], Any]:
        """How to call a granted provider: the lean client for OpenAI-compatible endpoints, else the provider."""
        if spec.kind not in LeanChat.KINDS:
            return grant.provider.complete  # type: ignore[no-any-return]
        found = self._lean.get(id(spec))
        if found is None:
            with self._lock:
                found = self._lean.get(id(spec))
                if found is None:
                    found = self._lean[id(spec)] = (spec, LeanChat(spec))
        return found[1].complete

    def audit_steps(self, guards: ServiceGuards) -> list[Any]:
        audit = guards.audit
        if audit is None:  # the service waived its audit step
            return []
        connect = getattr(audit, "connect", None)
        if not callable(connect):  # a plugin's own audit step: run it as it is
            return [audit]
        return [AuditStep(self.commit, connect, bool(getattr(audit, "log_text", False)))]

    def guards(self, service: Service) -> ServiceGuards:
        found = self._guards.get(service.name)
        if found is None:
            with self._lock:  # built once: a second caller waits for the first rather than build again
                found = self._guards.get(service.name)
                if found is None:
                    found = self._guards[service.name] = ServiceGuards(service)
        return found

    # --- models ---------------------------------------------------------------------
    def usable(self, caller: Principal) -> list[Service]:
        catalogue = self.state.catalogue
        return [catalogue.services[n] for n in catalogue.names()
                if caller.may_use(n, catalogue.services[n].tenant)]

    def models(self, caller: Principal) -> list[GatewayModel]:
        services = self.usable(caller)
        out = [GatewayModel(s.name, "service", s) for s in services]
        seen: set[str] = set()
        for service in services:
            for name in chat_providers(service):
                if name not in seen:
                    seen.add(name)
                    out.append(GatewayModel(PROVIDER_PREFIX + name, "provider", service, name))
        embedders: set[str] = set()
        for service in services:
            name = embedder_name(service)
            if name not in embedders:
                embedders.add(name)
                out.append(GatewayModel(EMBEDDING_PREFIX + name, "embedding", service, name))
        return out

    def resolve(self, caller: Principal, model: str) -> GatewayModel:
        services = self.usable(caller)
        for prefix, kind, offers in ((PROVIDER_PREFIX, "provider", chat_providers),
                                     (EMBEDDING_PREFIX, "embedding", lambda s: [embedder_name(s)])):
            if model.startswith(prefix):
                target, _, pinned = model[len(prefix):].partition("@")
                for service in services:
                    if (not pinned or service.name == pinned) and target in offers(service):
                        return GatewayModel(model, kind, service, target)
                break
        else:
            for service in services:
                if service.name == model:
                    return GatewayModel(model, "service", service)
        raise ApiError(404, "model_not_found", f"The model {model!r} does not exist or this key may not use it "
                       "(GET /v1/models lists the models it may use)")

    # --- admission: the same limits as the service API -----------------------------------------
    def admit(self, caller: Principal, service: Service, end_user: str | None) -> None:
        """``ServerState.admit``, with a spent budget said as OpenAI says it (429 insufficient_quota)."""
        try:
            self.state.admit(caller, service, end_user)
        except ApiError as exc:
            if exc.code == "budget_exhausted":
                raise ApiError(429, "insufficient_quota", exc.message, {"x-should-retry": "false"}) from None
            raise

    # --- a service as a model -----------------------------------------------------------
    def ask_service(self, caller: Principal, model: GatewayModel, turns: list[Turn], *, end_user: str | None,
                    classification: Classification | None) -> Chat:
        service = model.service
        users = [t for t in turns if t.role == "user"]
        guards = self.guards(service)
        history = []
        mapping = PlaceholderMap()  # placeholders for the history only; never stored
        for turn in users[:-1]:
            text = " ".join(clean(turn.text).split())
            if guards.pseudonymises:
                text = guards.pseudonymise(text, mapping)[0]
            if text:
                history.append(text)
        try:
            asked = self.state.ask(caller, service, users[-1].text, end_user=end_user, classification=classification,
                                   history=history)
        except ApiError as exc:
            if exc.code == "budget_exhausted":
                raise ApiError(429, "insufficient_quota", exc.message, {"x-should-retry": "false"}) from None
            raise
        chat = Chat(model, turns, asked.ctx, asked=asked)
        out = asked.out
        content = out.answer
        if out.citations:
            content += "\n\nSources:\n" + "\n".join(f"[{i}] {c.title}: {c.url}" for i, c in enumerate(out.citations, 1))
        chat.ctx.answer = content  # the context is finished; this is only what the reply carries
        chat.finish_reason = "content_filter" if out.outcome == "blocked" else "stop"
        return chat

    # --- a provider passed through ---------------------------------------------------------
    def chat_provider(self, caller: Principal, model: GatewayModel, turns: list[Turn], *, end_user: str | None,
                      classification: Classification | None, max_tokens: int | None) -> Chat:
        service = model.service
        self.admit(caller, service, end_user)
        guards = self.guards(service)
        question = next((t.text for t in reversed(turns) if t.role == "user"), turns[-1].text)
        ctx = Context(question=question, kb=service.profile.kb, service=service.name, tenant=service.tenant,
                      classification=classification or service.profile.classification)
        ctx.flag("gateway_passthrough")
        chat = Chat(model, turns, ctx, max_tokens=max_tokens)
        final = self.audit_steps(guards)
        if not self.available(service):
            chat.stop(Outcome.REFUSED, guards.replies("unavailable"), KILL_SWITCH,
                      Refusal(503, "service_unavailable", guards.replies("unavailable")))
            Pipeline([], final, guards.replies).finish(ctx)
        else:
            steps = [CleanStep(chat, guards), MarkingStep(chat, guards), PseudonymiseStep(chat, guards),
                     ScreenStep(chat, guards), PassthroughStep(chat, guards, self.completer),
                     ReidentifyStep(chat, guards), OutputStep(chat, guards)]
            Pipeline(steps, final, guards.replies).run(ctx)
        ctx.latency_ms = sum(r.ms for r in ctx.records)
        if ctx.outcome is Outcome.ERROR and chat.refusal is None:  # a step failed: closed, and said plainly
            chat.refusal = Refusal(500, "internal_error", "the gateway failed to handle this request")
        self.state.tenants.record_spend(caller.key, ctx.usage.cost_gbp)
        metrics.observe(ctx)
        return chat

    # --- embeddings --------------------------------------------------------------------
    def embed(self, caller: Principal, model: GatewayModel, inputs: list[str], *, end_user: str | None,
              classification: Classification | None) -> Embedded:
        service = model.service
        self.admit(caller, service, end_user)
        guards = self.guards(service)
        services = service.runtime.services
        ctx = Context(question="", kb=service.profile.kb, service=service.name, tenant=service.tenant,
                      classification=classification or service.profile.classification)
        ctx.flag("gateway_embeddings")
        final = self.audit_steps(guards)
        if not self.available(service):
            ctx.stop(Outcome.REFUSED, guards.replies("unavailable"), KILL_SWITCH)
            Pipeline([], final, guards.replies).finish(ctx)
            raise ApiError(503, "service_unavailable", guards.replies("unavailable"))
        turns = [Turn("input", t) for t in inputs]
        chat = Chat(model, turns, ctx)
        result: dict[str, np.ndarray] = {}

        def embed_step(c: Context) -> None:
            embedder, spec = services.embedder, services.embedder_spec()
            grant = guards.access.grant_spec(c, spec, EMBEDDING, build=lambda: embedder)
            if grant is None:
                reasons = c.model_calls[-1].reasons
                why = "; ".join(reasons.values())
                chat.stop(Outcome.REFUSED, guards.replies("policy_refused", classification=c.classification),
                          f"embedder {spec.name} refused: {why}",
                          Refusal(403, "policy_refused", f"GovAI's routing policy refused this request: the "
                                  f"embedder {spec.name!r} may not take a {c.classification} request ({why})"))
                c.record("embed", provider=spec.name, allowed=False, reasons=reasons)
                return
            texts = [t.text if grant.text is TextSent.ORIGINAL else t.sent for t in turns]
            result["vectors"] = embedder.embed(texts)
            c.usage.provider = spec.name
            c.usage.prompt_tokens = sum(max(1, len(t) // 4) for t in texts)
            c.provider = spec.name
            c.outcome = Outcome.ANSWERED
            c.record("embed", provider=spec.name, text_sent=str(grant.text), inputs=len(texts))

        embed_step.name = "embed"  # type: ignore[attr-defined]
        steps: list[Any] = [CleanStep(chat, guards), MarkingStep(chat, guards), PseudonymiseStep(chat, guards),
                            embed_step]
        Pipeline(steps, final, guards.replies).run(ctx)
        ctx.latency_ms = sum(r.ms for r in ctx.records)
        metrics.observe(ctx)
        if "vectors" not in result:
            refusal = chat.refusal or Refusal(500, "internal_error", "the gateway failed to embed this input")
            raise ApiError(refusal.status, refusal.code, refusal.message, refusal.headers)
        return Embedded(result["vectors"], ctx, model)


_SPLIT = re.compile(r"(?<=\s)(?=\S)")


def pieces(text: str, words: int = 4) -> list[str]:
    """The text cut into small pieces for streaming, a few words each; joined, they are the text exactly."""
    parts = _SPLIT.split(text)
    return ["".join(parts[i:i + words]) for i in range(0, len(parts), words)] or [""]


def now() -> int:
    return int(time.time())


__all__ = ["Chat", "Embedded", "Gateway", "GatewayModel", "ModelCall", "Refusal", "Turn", "pieces"]
