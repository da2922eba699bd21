"""``govai providers list|check`` and ``govai policy explain``, end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openai_server import Behaviour, OpenAIServer
from typer.testing import CliRunner

from govai.cli.main import app

runner = CliRunner()


@pytest.fixture(scope="module")
def server():
    with OpenAIServer() as srv:
        srv.always("served-model", Behaviour.answer("ok"))
        yield srv


@pytest.fixture
def profile(tmp_path: Path, server: OpenAIServer) -> Path:
    (tmp_path / "providers.yaml").write_text(
        f"""
providers:
  local-vllm:
    kind: openai_compatible
    base_url: {server.url}
    model: served-model
    jurisdiction: UK
    hosting_region: on-premises
    on_premises: true
    max_classification: OFFICIAL-SENSITIVE
    retains_prompts: false
    trains_on_prompts: false
    personal_data: true
  us-cloud:
    kind: openai_compatible
    base_url: http://127.0.0.1:9/v1
    model: gpt
    jurisdiction: US
    hosting_region: US East
    max_classification: OFFICIAL
    trains_on_prompts: false
    timeout_s: 1
    connect_timeout_s: 1
""",
        encoding="utf-8",
    )
    path = tmp_path / "service.yaml"
    path.write_text(
        "name: cli-svc\nuk_only: true\nproviders_file: providers.yaml\nproviders: [us-cloud, local-vllm]\n"
        "steps: [normalise, security_marking, pseudonymise, screen_input, route, compose, audit]\n",
        encoding="utf-8",
    )
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_default_is_offline_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVAI_PROVIDERS", raising=False)
    code, out, _ = run("providers", "list", "--json")
    assert code == 0
    data = json.loads(out)
    assert [p["name"] for p in data["providers"]] == ["extractive"]
    assert data["providers"][0]["policy"]["TOP SECRET"]["personal_data"] == "allowed"


def test_list_shows_attributes_and_policy(profile: Path) -> None:
    code, out, _ = run("providers", "list", "--profile", str(profile), "--json")
    assert code == 0
    rows = {p["name"]: p for p in json.loads(out)["providers"]}
    assert rows["us-cloud"]["jurisdiction"] == "US" and rows["us-cloud"]["used_by_service"]
    assert "UK-only" in rows["us-cloud"]["policy"]["OFFICIAL"]["plain"]
    assert rows["local-vllm"]["policy"]["OFFICIAL-SENSITIVE"]["personal_data"] == "allowed"
    assert "accredited on-premises" in rows["local-vllm"]["policy"]["SECRET"]["plain"]
    code, out, _ = run("providers", "list", "--profile", str(profile))
    assert code == 0 and "local-vllm" in out


def test_check_reports_reachability_and_fails_when_one_is_down(profile: Path) -> None:
    code, out, _ = run("providers", "check", "local-vllm", "--profile", str(profile), "--json")
    assert code == 0
    result = json.loads(out)["providers"][0]
    assert result["ok"] and "reachable" in result["detail"]
    code, out, _ = run("providers", "check", "--profile", str(profile), "--json")
    assert code == 1
    by_name = {r["provider"]: r for r in json.loads(out)["providers"]}
    assert not by_name["us-cloud"]["ok"] and "cannot be reached" in by_name["us-cloud"]["detail"]


def test_explain_names_the_provider_and_the_reasons(profile: Path) -> None:
    code, out, _ = run("policy", "explain", "--profile", str(profile), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["provider"] == "local-vllm"
    assert [r["provider"] for r in data["chain"]] == ["local-vllm", "extractive"]
    assert "uk_only" in data["rejected"]["us-cloud"]
    code, out, _ = run("policy", "explain", "--profile", str(profile), "-c", "OFFICIAL-SENSITIVE", "--personal-data")
    assert code == 0 and "local-vllm" in out and "chosen" in out


def test_explain_runs_the_steps_before_routing(profile: Path) -> None:
    code, out, _ = run("policy", "explain", "TOP SECRET annex: where is it?", "--profile", str(profile), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["classification"] == "TOP SECRET" and data["provider"] == "extractive"
    assert "TOP SECRET annex" not in data["explanation"]


def test_explain_bad_classification(profile: Path) -> None:
    code, _, err = run("policy", "explain", "--profile", str(profile), "-c", "CONFIDENTIAL")
    assert code == 1 and "unknown classification 'CONFIDENTIAL'" in err


def test_explain_notes_when_a_service_has_no_route_step(tmp_path: Path) -> None:
    path = tmp_path / "noroute.yaml"
    path.write_text("name: noroute\nsteps: [normalise, pseudonymise, screen_input, retrieve, compose, audit]\n",
                    encoding="utf-8")
    code, out, _ = run("policy", "explain", "--profile", str(path), "--json")
    assert code == 0 and json.loads(out)["route_step"] is False
    code, _, err = run("policy", "explain", "--profile", str(path))
    assert "no 'route' step" in err


def test_a_profile_without_a_safeguard_is_refused_unless_waived(tmp_path: Path) -> None:
    path = tmp_path / "bare.yaml"
    path.write_text("name: bare\nsteps: [normalise, retrieve, compose]\n", encoding="utf-8")
    code, out, err = run("policy", "explain", "--profile", str(path))
    assert code == 1 and out == ""
    assert "without pseudonymise" in err and "waived_safeguards" in err


def test_explain_and_check_warn_about_waived_safeguards(tmp_path: Path) -> None:
    path = tmp_path / "waived.yaml"
    path.write_text("name: waived\nsteps: [normalise, screen_input, retrieve, compose, audit]\n"
                    "waived_safeguards: {pseudonymise: published guidance only}\n", encoding="utf-8")
    for command in (["policy", "explain", "--json"], ["providers", "check", "--json"]):
        code, out, err = run(*command, "--profile", str(path))
        assert code == 0, err
        assert "pseudonymise is waived (published guidance only)" in " ".join(err.split())
    assert json.loads(run("policy", "explain", "--json", "--profile", str(path))[1])["waived_safeguards"] == {
        "pseudonymise": "published guidance only"}


def test_bad_provider_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("providers:\n  x:\n    kind: openai\n    model: m\n    api_key: sk-leak\n", encoding="utf-8")
    code, _, err = run("providers", "list", "--providers-file", str(bad))
    assert code == 1 and "api_key must not be written" in err and "sk-leak" not in err
