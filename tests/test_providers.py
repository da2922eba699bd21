"""Provider registry file, secrets, the grounded prompt, and the OpenAI-compatible
providers against a real local HTTP server (tests/openai_server.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from openai_server import Behaviour, OpenAIServer

from govai.errors import ConfigError, ProviderError
from govai.domain import Source
from govai.providers.config import ENV_VAR, load_catalogue, parse_catalogue
from govai.providers.prompt import (
    NOT_FOUND,
    LinkedSources,
    build_messages,
    parse_answer,
    render_sources,
)
from govai.providers.registry import build_provider, spec_provider
from govai.providers.resilience import PermanentProviderError, TransientProviderError

SECRET_KEY = "sk-test-DO-NOT-LOG-7f3a9c"


def source(i: int, text: str = "Child Benefit is paid every four weeks.") -> Source:
    return Source(
        source_id=f"/page-{i}", doc_id=f"/page-{i}", chunk_id=i, title=f"Page {i}", headings=["How it works"],
        url=f"https://www.gov.uk/page-{i}", text=text,
    )


SOURCES = [source(1), source(2, "You can claim online. See https://www.gov.uk/secret-link for details.")]


@pytest.fixture(autouse=True)
def _fresh(server: OpenAIServer):
    from govai.providers.resilience import reset_breakers

    server.reset()
    reset_breakers()


def catalogue_for(server: OpenAIServer, **overrides):
    entry = {
        "kind": "openai_compatible", "base_url": server.url, "model": "gpt-test", "jurisdiction": "UK",
        "hosting_region": "UK South", "max_classification": "OFFICIAL", "trains_on_prompts": False,
        "timeout_s": 2, "max_retries": 0, "backoff_s": 0, "cost_per_1k_input_gbp": 1.0, "cost_per_1k_output_gbp": 2.0,
        **overrides,
    }
    return parse_catalogue({"providers": {"local": entry}}, "test")


# -- the provider file -----------------------------------------------------------


def test_default_is_only_the_offline_composer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    catalogue = load_catalogue()
    assert catalogue.names() == ["extractive"]
    spec = catalogue.get("extractive")
    assert spec.on_premises and spec.accredited and spec.max_classification == "TOP SECRET"


def test_file_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "providers.yaml"
    path.write_text(
        "providers:\n  ollama:\n    kind: openai_compatible\n    base_url: http://127.0.0.1:11434/v1\n"
        "    model: llama3\n    jurisdiction: UK\n    hosting_region: on-premises\n    on_premises: true\n"
        "    trains_on_prompts: false\n    retains_prompts: false\n"
    )
    monkeypatch.setenv(ENV_VAR, str(path))
    catalogue = load_catalogue()
    assert catalogue.names() == ["extractive", "ollama"]
    assert catalogue.get("ollama").uk_hosted


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"kind": "openai", "model": "gpt-4o", "api_key": "sk-x"}, "api_key must not be written"),
        ({"model": "x"}, "providers.p.kind: required"),
        ({"kind": "bard", "model": "x"}, "unknown kind 'bard'"),
        ({"kind": "openai_compatible", "model": "x"}, "needs base_url"),
        ({"kind": "azure_openai", "endpoint": "https://x"}, "needs deployment, api_version"),
        ({"kind": "openai", "model": "x", "max_classification": "CONFIDENTIAL"}, "providers.p.max_classification"),
        ({"kind": "openai", "model": "x", "max_classification": "SECRET"}, "never go to a cloud model"),
        ({"kind": "openai", "model": "x", "timeout_s": -1}, "providers.p.timeout_s"),
        ({"kind": "openai", "model": "x", "colour": "red"}, "providers.p.colour"),
    ],
)
def test_invalid_entries_are_explained(entry: dict, message: str) -> None:
    with pytest.raises(ConfigError, match="invalid provider file|unknown kind") as err:
        parse_catalogue({"providers": {"p": entry}}, "file.yaml")
    assert message in str(err.value)
    assert "sk-x" not in str(err.value)


@pytest.mark.parametrize("data", [["a"], {"providers": ["a"]}, {"providers": {}, "extra": 1}])
def test_malformed_files(data: object) -> None:
    with pytest.raises(ConfigError, match="file.yaml"):
        parse_catalogue(data, "file.yaml")


def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_bytes(b"providers: [\xff\xfe")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_catalogue(bad)
    with pytest.raises(ConfigError, match="does not exist"):
        load_catalogue(tmp_path / "missing.yaml")


def test_extractive_entry_takes_only_options() -> None:
    cat = parse_catalogue({"providers": {"extractive": {"options": {"max_words": 80}}}}, "f")
    assert cat.get("extractive").options == {"max_words": 80}
    with pytest.raises(ConfigError, match="takes only 'options'"):
        parse_catalogue({"providers": {"extractive": {"max_classification": "OFFICIAL"}}}, "f")


def test_unknown_provider_name_lists_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown provider 'gpt' .*extractive"):
        load_catalogue().get("gpt")


# -- secrets ---------------------------------------------------------------------


def test_key_from_environment_is_used_and_never_shown(
    server: OpenAIServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("TEST_LOCAL_KEY", SECRET_KEY)
    cat = catalogue_for(server, api_key_env="TEST_LOCAL_KEY")
    server.script("gpt-test", Behaviour.answer("It is paid every four weeks [link_1]."))
    with caplog.at_level(logging.DEBUG):
        provider = build_provider(cat, "local")
        draft = provider.compose("How often?", SOURCES)
    assert draft.answer
    assert server.requests_for("gpt-test")[0].authorization == f"Bearer {SECRET_KEY}"
    spec = cat.get("local")
    shown = " ".join([repr(spec), str(spec.summary()), repr(provider), caplog.text])
    assert SECRET_KEY not in shown


def test_key_from_file(server: OpenAIServer, tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_text(SECRET_KEY + "\n")
    cat = catalogue_for(server, api_key_file=str(key))
    server.script("gpt-test", Behaviour.answer("Yes [link_1]."))
    build_provider(cat, "local").compose("q", SOURCES)
    assert server.requests_for("gpt-test")[0].authorization == f"Bearer {SECRET_KEY}"


def test_missing_key_says_what_to_do(server: OpenAIServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NOPE_KEY", raising=False)
    with pytest.raises(ConfigError, match="environment variable NOPE_KEY is not set"):
        build_provider(catalogue_for(server, api_key_env="NOPE_KEY"), "local").compose("q", SOURCES)
    with pytest.raises(ConfigError, match="cannot read api_key_file"):
        build_provider(catalogue_for(server, api_key_file=str(tmp_path / "none")), "local").compose("q", SOURCES)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    cat = parse_catalogue({"providers": {"oa": {"kind": "openai", "model": "gpt-4o"}}}, "f")
    assert cat.get("oa").api_key_env == "OPENAI_API_KEY"  # the SDK's usual variable
    with pytest.raises(ConfigError, match="OPENAI_API_KEY is not set"):
        build_provider(cat, "oa").compose("q", SOURCES)


# -- the grounded prompt -----------------------------------------------------------


def test_model_sees_link_tokens_never_urls() -> None:
    messages = build_messages("How do I claim?", SOURCES)
    everything = " ".join(m["content"] for m in messages)
    assert "[link_1] Page 1 — How it works" in everything and "[link_2]" in everything
    assert "gov.uk" not in everything.lower()
    assert "/page-1" not in everything
    assert NOT_FOUND in messages[0]["content"]
    assert "120 words" in messages[0]["content"]
    assert "How do I claim?" in messages[1]["content"]
    assert "secret-link" not in render_sources(SOURCES)


LINKED = LinkedSources.of(SOURCES)


def test_tokens_map_to_sources_and_unknown_ones_are_dropped() -> None:
    parsed = parse_answer("It is paid every four weeks [link_1]. You claim online [link_2][link_7].", LINKED)
    assert parsed.cited == ["/page-1", "/page-2"]
    assert parsed.answer == "It is paid every four weeks. [1] You claim online. [2]"
    assert parsed.dropped_tokens == 1


def test_invented_links_and_raw_urls_never_survive() -> None:
    parsed = parse_answer("Apply at https://evil.example/phish today [link_9]. Paid weekly (link_1).", LINKED)
    assert parsed.cited == ["/page-1"]
    assert "evil" not in (parsed.answer or "") and "http" not in (parsed.answer or "")
    assert parsed.answer == "Paid weekly. [1]"


def test_grouped_tokens_and_paragraph_citations() -> None:
    reply = "Child Benefit is paid every four weeks. You can claim online [link_1, link_2].\nThis line cites nothing."
    parsed = parse_answer(reply, LINKED)
    assert parsed.answer == "Child Benefit is paid every four weeks. [1][2] You can claim online. [1][2]"
    assert parsed.dropped_sentences == 1


@pytest.mark.parametrize(
    "reply",
    [
        NOT_FOUND,
        "Sorry, I can't find that in the guidance provided.",
        "The passages do not answer this.",  # no citation at all: not grounded
        "",
        "[link_4]",
    ],
)
def test_abstains_when_the_guidance_does_not_answer(reply: str) -> None:
    assert parse_answer(reply, LINKED).answer is None


def test_answer_is_at_most_120_words() -> None:
    sentence = "Benefit " + "word " * 29 + "ends [link_1]. "
    parsed = parse_answer(sentence * 6, LINKED)
    assert parsed.answer is not None
    assert len(parsed.answer.replace("[1]", "").split()) <= 120
    assert parsed.answer.count("[1]") == 3


def test_partial_abstention_keeps_the_cited_part() -> None:
    parsed = parse_answer("It is paid every four weeks [link_1]. I cannot find the rest in the guidance.", LINKED)
    assert parsed.answer == "It is paid every four weeks. [1]"


# -- OpenAI-compatible provider against the local server ----------------------------


@pytest.mark.parametrize("stream", [True, False])
def test_answers_with_citations_and_usage(server: OpenAIServer, stream: bool) -> None:
    provider = build_provider(catalogue_for(server, stream=stream), "local")
    server.script("gpt-test", Behaviour.answer("It is paid every four weeks [link_1]. Claim online [link_2]."))
    draft = provider.compose("How often is it paid?", SOURCES)
    assert draft.answer == "It is paid every four weeks. [1] Claim online. [2]"
    assert draft.cited == ["/page-1", "/page-2"]
    received = server.requests_for("gpt-test")[0]
    assert received.stream is stream and received.max_tokens == 400
    assert draft.usage.prompt_tokens > 0 and draft.usage.completion_tokens == 10
    expected = (draft.usage.prompt_tokens * 1.0 + 10 * 2.0) / 1000
    assert draft.usage.cost_gbp == pytest.approx(expected)
    assert draft.usage.provider == "local" and draft.usage.model == "gpt-test"


def test_unreported_usage_is_estimated(server: OpenAIServer) -> None:
    provider = build_provider(catalogue_for(server), "local")
    server.script("gpt-test", Behaviour.answer("Yes it is [link_1].", report_usage=False))
    draft = provider.compose("q", SOURCES)
    assert draft.usage.prompt_tokens > 10 and draft.usage.completion_tokens > 0 and draft.usage.cost_gbp > 0


def test_not_found_reply_abstains(server: OpenAIServer) -> None:
    server.script("gpt-test", Behaviour.answer(NOT_FOUND))
    assert build_provider(catalogue_for(server), "local").compose("q", SOURCES).answer is None


FAILURES = [
    ("500", Behaviour.status(500), TransientProviderError, "HTTP 500"),
    ("503", Behaviour.status(503), TransientProviderError, "HTTP 503"),
    ("429", Behaviour.status(429), TransientProviderError, "HTTP 429"),
    ("401", Behaviour.status(401), PermanentProviderError, "rejected the API key"),
    ("404", Behaviour.status(404), PermanentProviderError, "unknown model"),
    ("malformed", Behaviour.malformed(), TransientProviderError, "malformed reply"),
    ("timeout", Behaviour.hang(3), TransientProviderError, "timed out"),
]


@pytest.mark.parametrize(
    ("behaviour", "error", "message", "stream"),
    [pytest.param(b, e, m, s, id=f"{i}-{'stream' if s else 'whole'}") for i, b, e, m in FAILURES for s in (True, False)]
    + [pytest.param(Behaviour.slow_stream(0.25), TransientProviderError, "streamed past its 1s limit", True,
                    id="slow-stream")],
)
def test_failures_become_provider_errors(
    server: OpenAIServer, behaviour: Behaviour, error: type, message: str, stream: bool
) -> None:
    provider = build_provider(catalogue_for(server, timeout_s=1, stream=stream), "local")
    server.script("gpt-test", behaviour)
    with pytest.raises(error, match=message):
        provider.compose("q", SOURCES)


def test_chat_retries_through_transient_failures(server: OpenAIServer) -> None:
    provider = build_provider(catalogue_for(server, max_retries=2), "local")
    server.script("gpt-test", Behaviour.status(502), Behaviour.malformed(), Behaviour.answer("SAFE"))
    assert provider.chat([{"role": "user", "content": "judge this"}], max_tokens=5) == "SAFE"
    assert len(server.requests_for("gpt-test")) == 3


def test_azure_openai_kind(server: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", SECRET_KEY)
    root = server.url.removesuffix("/v1")
    cat = parse_catalogue(
        {"providers": {"azure-uk": {
            "kind": "azure_openai", "endpoint": root, "deployment": "gpt4o-uksouth", "api_version": "2024-10-21",
            "jurisdiction": "UK", "hosting_region": "uksouth", "max_classification": "OFFICIAL-SENSITIVE",
            "trains_on_prompts": False, "retains_prompts": False, "max_retries": 0,
        }}},
        "f",
    )
    assert cat.get("azure-uk").uk_hosted
    server.script("gpt4o-uksouth", Behaviour.answer("Claim online [link_2]."))
    draft = build_provider(cat, "azure-uk").compose("q", SOURCES)
    assert draft.cited == ["/page-2"]
    assert server.requests_for("gpt4o-uksouth")[0].authorization == SECRET_KEY  # the api-key header


def test_check_reports_reachability(server: OpenAIServer) -> None:
    server.always("gpt-test", Behaviour.answer("x"))
    assert "reachable" in build_provider(catalogue_for(server), "local").check()
    with pytest.raises(PermanentProviderError, match="model 'other' is not served"):
        build_provider(catalogue_for(server, model="other"), "local").check()
    dead = catalogue_for(server, base_url="http://127.0.0.1:9/v1", timeout_s=1)
    with pytest.raises(ProviderError, match="cannot be reached"):
        build_provider(dead, "local").check()


def test_llama_cpp_without_the_extra_says_how_to_install(tmp_path: Path) -> None:
    try:
        import llama_cpp  # noqa: F401

        pytest.skip("llama-cpp-python is installed here")
    except ImportError:
        pass
    cat = parse_catalogue(
        {"providers": {"gguf": {"kind": "llama_cpp", "model_path": str(tmp_path / "m.gguf"), "on_premises": True,
                                "jurisdiction": "UK", "hosting_region": "on-premises"}}},
        "f",
    )
    provider = spec_provider(cat.get("gguf"))  # building is lazy: no import yet
    with pytest.raises(ConfigError, match=r"pip install 'govai\[llama\]'"):
        provider.compose("q", SOURCES)
