"""Routing and provider resilience figures, each against a baseline measured in the same run.

1. Policy decision: GovAI's `decide()` over a 6-provider catalogue (every rule checked,
   reasons kept) vs. a naive router that takes the service's first provider.
2. Provider call: GovAI's OpenAI-compatible provider (prompt with link tokens, streaming,
   deadline, parsing and citation mapping) vs. the bare `openai` SDK call with the same
   messages, both against the local OpenAI-compatible test server.
3. Fallback: a request whose first provider hangs past its timeout, with the circuit
   breaker closed (the request waits for the timeout) and open (skipped at once), vs. a
   request whose first provider is healthy.

Run: python bench/routing_bench.py  (offline; starts the local server from tests/)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import openai  # noqa: E402
from openai_server import Behaviour, OpenAIServer  # noqa: E402

from govai.domain import Classification, Source
from govai.policy import Request, ServiceRules, decide  # noqa: E402
from govai.providers.config import parse_catalogue  # noqa: E402
from govai.providers.prompt import build_messages  # noqa: E402
from govai.providers.registry import spec_provider  # noqa: E402
from govai.providers.resilience import reset_breakers  # noqa: E402

SOURCES = [
    Source(source_id=f"/page-{i}", doc_id=f"/page-{i}", chunk_id=i, title=f"Page {i}", url=f"https://www.gov.uk/page-{i}",
           text="Child Benefit is usually paid every four weeks on a Monday or Tuesday. " * 4)
    for i in range(1, 7)
]
REPLY = "It is usually paid every four weeks [link_1]. Payments go into your account [link_2]."


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p50(xs: list[float]) -> float:
    return statistics.median(xs)


def entry(server: OpenAIServer, model: str, **kw: object) -> dict:
    return {
        "kind": "openai_compatible", "base_url": server.url, "model": model, "jurisdiction": "UK",
        "hosting_region": "UK South", "max_classification": "OFFICIAL-SENSITIVE", "trains_on_prompts": False,
        "retains_prompts": False, "timeout_s": 0.5, "max_retries": 0, "backoff_s": 0, **kw,
    }


def bench_policy(catalogue) -> None:
    names = [n for n in catalogue.names() if n != "extractive"]
    request = Request(Classification.OFFICIAL_SENSITIVE, personal_data=True)
    rules = ServiceRules(uk_only=True)
    n = 20000
    govai = timed(lambda: decide(catalogue, names, request, rules), n)
    naive = timed(lambda: catalogue.get(names[0]), n)
    print(f"policy decision ({len(names)} providers, {n} runs): GovAI p50 {p50(govai)*1000:.1f} µs; "
          f"naive first-provider p50 {p50(naive)*1000:.1f} µs; ratio {p50(govai)/p50(naive):.1f}x")


def bench_call(server: OpenAIServer, catalogue) -> None:
    provider = spec_provider(catalogue.get("fast"))
    client = openai.OpenAI(api_key="x", base_url=server.url, max_retries=0)
    messages = build_messages("How often is Child Benefit paid?", SOURCES)
    n = 60
    server.always("model-fast", Behaviour.answer(REPLY))
    provider.compose("warm up", SOURCES)

    def bare() -> None:
        stream = client.chat.completions.create(model="model-fast", messages=messages, max_tokens=400, stream=True,
                                                stream_options={"include_usage": True})
        "".join(c.choices[0].delta.content or "" for c in stream if c.choices)

    bare_ms = timed(bare, n)
    govai_ms = timed(lambda: provider.compose("How often is Child Benefit paid?", SOURCES), n)
    print(f"provider call ({n} runs, local server, streamed): GovAI compose p50 {p50(govai_ms):.2f} ms; "
          f"bare SDK p50 {p50(bare_ms):.2f} ms; ratio {p50(govai_ms)/p50(bare_ms):.2f}x")


def bench_fallback(server: OpenAIServer, tmp: Path) -> None:
    from govai.pipeline.context import Context
    from govai.profiles.model import ServiceProfile, StepConfig
    from govai.runtime import Runtime

    def runtime(first: str) -> Runtime:
        path = tmp / f"{first}.yaml"
        import json

        path.write_text(json.dumps({"providers": {
            first: entry(server, f"model-{first}", breaker_failures=3, breaker_reset_s=3600),
            "backup": entry(server, "model-backup"),
        }}))
        profile = ServiceProfile(name=f"bench-{first}", providers=[first, "backup"], providers_file=str(path),
                                 routing={"fallback_to_extractive": False},
                                 steps=[StepConfig(name=n) for n in ("route", "compose")],
                                 waived_safeguards={n: "bench of routing alone" for n in ("pseudonymise", "screen_input",
                                                                                            "audit")})
        return Runtime(profile=profile)

    server.always("model-healthy", Behaviour.answer(REPLY))
    server.always("model-hung", Behaviour.hang(1.0, REPLY))
    server.always("model-backup", Behaviour.answer(REPLY))
    reset_breakers()

    def ask(rt: Runtime) -> Context:
        return rt.pipeline.run(Context(question="How often is Child Benefit paid?", sources=list(SOURCES),
                                       personal_data="none"))

    healthy_rt, hung_rt = runtime("healthy"), runtime("hung")
    healthy = timed(lambda: ask(healthy_rt), 20)
    closed = timed(lambda: ask(hung_rt), 3)  # the breaker opens after these three timeouts
    opened = timed(lambda: ask(hung_rt), 20)
    assert ask(hung_rt).provider == "backup"
    print(f"fallback (first provider hangs, timeout 0.5 s): breaker closed p50 {p50(closed):.1f} ms; "
          f"breaker open p50 {p50(opened):.1f} ms; healthy first provider p50 {p50(healthy):.1f} ms; "
          f"open/healthy ratio {p50(opened)/p50(healthy):.2f}x, closed/open ratio {p50(closed)/p50(opened):.0f}x")


def main() -> None:
    import logging
    import tempfile

    logging.disable(logging.WARNING)  # the fallback runs log every skipped provider

    with OpenAIServer() as server, tempfile.TemporaryDirectory() as tmp:
        cat = parse_catalogue({"providers": {
            "us": entry(server, "m", jurisdiction="US", hosting_region="US East", max_classification="OFFICIAL"),
            "eu": entry(server, "m", jurisdiction="EU", hosting_region="EU West"),
            "trains": entry(server, "m", trains_on_prompts=True),
            "uk-os": entry(server, "m", personal_data=False),
            "fast": entry(server, "model-fast", personal_data=True, timeout_s=5),
        }}, "bench")
        bench_policy(cat)
        bench_call(server, cat)
        bench_fallback(server, Path(tmp))


if __name__ == "__main__":
    main()
