"""The web pages without a browser (the browser journeys are in test_web_browser.py): citizen
chat with JavaScript off, the streamed answer, outcome pages, personal data, sessions, CSRF,
security headers, staff sign-in (local and OpenID Connect), the review console, the admin,
audit, Welsh for every string, the asset fetcher and the staff CLI."""

from __future__ import annotations

import io
import json
import os
import re
import tarfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import (
    ABSTAIN,
    ANSWERED,
    BLOCK,
    FOLLOW_UP,
    HELD,
    KB,
    PASSWORD,
    PERSONAL,
    REFUSE,
    OidcProvider,
    World,
    csrf,
    ingest_demo,
    make_world,
    text_of,
    web_assets,
)

from govai.profiles.model import ServiceProfile
from govai.server.app import create_app
from govai.server.catalogue import ServiceCatalogue
from govai.server.state import ServerState


@pytest.fixture(scope="module")
def world(db, tmp_path_factory) -> World:  # type: ignore[no-untyped-def]
    ingest_demo(db)
    return make_world(db, tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def oidc():  # type: ignore[no-untyped-def]
    provider = OidcProvider().start()
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def app(db, world, oidc):  # type: ignore[no-untyped-def]
    web_assets()  # as `govai serve` does: GOV.UK Frontend from npm, once
    profiles = [ServiceProfile.model_validate(p) for p in world.profiles.values()]
    state = ServerState(ServiceCatalogue.from_profiles(profiles), db)
    saved = {k: os.environ.get(k) for k in oidc.env()}
    os.environ.update(oidc.env())
    try:
        yield create_app(state)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def browser(app) -> TestClient:  # type: ignore[no-untyped-def]
    """A fresh browser: its own cookies (secure cookies need https)."""
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


@pytest.fixture()
def citizen(app):  # type: ignore[no-untyped-def]
    with browser(app) as client:
        yield client


def ask(client: TestClient, service: str, question: str, cid: str | None = None):  # type: ignore[no-untyped-def]
    page = client.get(f"/services/{service}" if cid is None else f"/services/{service}/conversations/{cid}")
    assert page.status_code == 200, page.text
    action = f"/services/{service}/ask" if cid is None else f"/services/{service}/conversations/{cid}/ask"
    return client.post(action, data={"question": question, "csrf_token": csrf(page.text)})


def conversation(client: TestClient, response) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Follow the redirect after asking: (conversation id, page HTML)."""
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    cid = re.search(r"/conversations/([0-9a-f]{32})", location).group(1)  # type: ignore[union-attr]
    page = client.get(location.split("#")[0])
    assert page.status_code == 200
    return cid, page.text


def sign_in(client: TestClient, username: str, password: str = PASSWORD, next_: str = "/staff"):  # type: ignore[no-untyped-def]
    page = client.get("/staff/sign-in")
    return client.post("/staff/sign-in", data={"username": username, "password": password, "next": next_,
                                                "csrf_token": csrf(page.text)})


# ---------------------------------------------------------------- citizen chat, JavaScript off


def test_ask_and_follow_up_without_javascript(citizen, world) -> None:  # type: ignore[no-untyped-def]
    service = world.services["help"]
    start = citizen.get(f"/services/{service}")
    assert "Ask a question" in start.text and "can be wrong" in text_of(start.text)
    assert "Do not include personal details" in text_of(start.text)
    cid, page = conversation(citizen, ask(citizen, service, ANSWERED))
    shown = text_of(page)
    assert ANSWERED in shown and "GOV.UK pages used in this answer" in shown
    assert re.search(r'href="https://www\.gov\.uk/child-benefit[^"]*"', page), "a source links to its page"
    assert "Was this answer useful?" in shown and "Ask a member of staff to check this answer" in shown
    cid2, page = conversation(citizen, ask(citizen, service, FOLLOW_UP, cid))
    assert cid2 == cid and page.count('class="govai-message ') == 2
    assert "Ask a follow-up question" in text_of(page)


def test_an_empty_question_gets_the_error_summary(citizen, world) -> None:  # type: ignore[no-untyped-def]
    response = ask(citizen, world.services["help"], "   ")
    assert response.status_code == 400
    assert "There is a problem" in response.text and 'href="#question"' in response.text
    assert "<title>Error:" in response.text and "Enter your question" in response.text


def test_outcome_pages_abstain_refuse_block(citizen, world) -> None:  # type: ignore[no-untyped-def]
    service = world.services["help"]
    _, page = conversation(citizen, ask(citizen, service, ABSTAIN))
    assert "We could not find an answer" in page and "Search GOV.UK" in page
    assert 'href="https://www.gov.uk/search"' in page
    _, page = conversation(citizen, ask(citizen, service, REFUSE))
    assert "This service cannot help with that" in page
    _, page = conversation(citizen, ask(citizen, service, BLOCK))
    assert "We cannot answer this question" in page
    assert "Was this answer useful?" not in page  # no feedback on a refusal


def test_streaming_sends_the_api_events_then_the_rendered_message(citizen, world) -> None:  # type: ignore[no-untyped-def]
    service = world.services["help"]
    page = citizen.get(f"/services/{service}")
    with citizen.stream("POST", f"/services/{service}/ask", data={"question": ANSWERED, "csrf_token": csrf(page.text)},
                        headers={"Accept": "text/event-stream"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        body = "".join(response.iter_text())
    events = [dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
              for block in body.replace("\r\n", "\n").split("\n\n") if "event: " in block]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "start" and "delta" in kinds and kinds[-2:] == ["done", "html"]
    done, html = json.loads(events[-2]["data"]), json.loads(events[-1]["data"])
    streamed = "".join(json.loads(e["data"])["text"] for e in events if e["event"] == "delta")
    assert " ".join(streamed.split()) == " ".join(done["answer"].split())
    assert html["url"] == f"/services/{service}/conversations/{done['conversation_id']}"
    assert "GOV.UK pages used in this answer" in html["html"] and "<script" not in html["html"]


def test_held_answer_reviewed_then_the_citizen_sees_it(app, citizen, world) -> None:  # type: ignore[no-untyped-def]
    service = world.services["help"]
    cid, page = conversation(citizen, ask(citizen, service, HELD))
    assert "A member of staff is checking this answer" in page and f"/conversations/{cid}" in page
    with browser(app) as staff:
        assert sign_in(staff, world.staff["reviewer"]).status_code == 303
        queue = staff.get(f"/staff/review?service={service}")
        assert queue.status_code == 200
        item_id = re.findall(r'href="/staff/review/(\d+)"', queue.text)[-1]
        item = staff.get(f"/staff/review/{item_id}")
        assert "Proposed answer" in item.text and "Statutory Sick Pay" in item.text and "Guard verdicts" in item.text
        assert "screen_input" in item.text
        rejected = staff.post(f"/staff/review/{item_id}", data={"decision": "reject", "reason": "",
                                                                "csrf_token": csrf(item.text)})
        assert rejected.status_code == 400 and "Enter the reason for your decision" in rejected.text
        done = staff.post(f"/staff/review/{item_id}", data={"decision": "approve", "csrf_token": csrf(item.text)})
        assert done.status_code == 303
        assert "approved" in staff.get("/staff/review").text
    page = citizen.get(f"/services/{service}/conversations/{cid}").text
    assert "Checked by a member of staff" in page and "Statutory Sick Pay" in page
    assert "GOV.UK pages used in this answer" in page  # the held answer's sources come back with it


def test_contest_and_feedback(app, citizen, world, db) -> None:  # type: ignore[no-untyped-def]
    service = world.services["help"]
    cid, page = conversation(citizen, ask(citizen, service, ANSWERED))
    rid = re.search(r'id="m-([0-9a-f]{32})"', page).group(1)  # type: ignore[union-attr]
    base = f"/services/{service}/conversations/{cid}/messages/{rid}"
    sent = citizen.post(f"{base}/feedback", data={"useful": "no", "comment": "too short", "csrf_token": csrf(page)})
    assert sent.status_code == 303
    page = citizen.get(f"/services/{service}/conversations/{cid}").text
    assert "Thank you for your feedback" in page
    form = citizen.get(f"{base}/contest")
    assert form.status_code == 200 and "Ask a member of staff to check this answer" in form.text
    assert citizen.post(f"{base}/contest", data={"reason": "my case differs", "csrf_token": csrf(form.text)}
                        ).status_code == 303
    page = citizen.get(f"/services/{service}/conversations/{cid}").text
    assert "You asked for a member of staff to check this answer" in page
    with browser(app) as staff:
        sign_in(staff, world.staff["all"])
        queue = staff.get(f"/staff/review?service={service}").text
        assert "Asked to check" in queue
        feedback = staff.get(f"/staff/admin/feedback?service={service}").text
        assert "too short" in feedback


def test_personal_data_is_handled_as_each_profile_says(citizen, world) -> None:  # type: ignore[no-untyped-def]
    _, page = conversation(citizen, ask(citizen, world.services["help"], PERSONAL))
    assert "a National Insurance number" in page and "replaced them with placeholders" in page
    assert "JH 12 34 56 C" in page  # the citizen sees their own question back
    _, page = conversation(citizen, ask(citizen, world.services["redact"], PERSONAL))
    assert "We removed them before your question was used" in text_of(page)
    start = citizen.get(f"/services/{world.services['refuse']}").text
    assert "This service does not accept personal details" in text_of(start)
    _, page = conversation(citizen, ask(citizen, world.services["refuse"], PERSONAL))
    assert "so your question was not answered" in text_of(page)


def test_rate_limit_page(citizen, world) -> None:  # type: ignore[no-untyped-def]
    service = world.services["other"]  # its own limit: 20 a minute per citizen (the profile's default)
    page = citizen.get(f"/services/{service}")
    token = csrf(page.text)
    codes = []
    for _ in range(22):
        response = citizen.post(f"/services/{service}/ask", data={"question": "Hello", "csrf_token": token})
        codes.append(response.status_code)
        if response.status_code == 429:
            assert "You have asked too many questions" in response.text
            assert int(response.headers["Retry-After"]) >= 1
            break
    assert codes[-1] == 429 and set(codes[:-1]) == {303}


def test_kill_switch_from_the_admin(app, citizen, world) -> None:  # type: ignore[no-untyped-def]
    service = world.services["redact"]
    with browser(app) as staff:
        sign_in(staff, world.staff["service_admin"])
        page = staff.get(f"/staff/admin/services/{service}")
        assert "Kill switch" in page.text and "Providers and their health" in page.text
        missing = staff.post(f"/staff/admin/services/{service}/switch", data={"enabled": "off", "reason": "",
                                                                              "csrf_token": csrf(page.text)})
        assert missing.status_code == 400 and "Enter the reason for the change" in missing.text
        off = staff.post(f"/staff/admin/services/{service}/switch",
                         data={"enabled": "off", "reason": "incident 7", "csrf_token": csrf(page.text)})
        assert off.status_code == 303
        try:
            start = citizen.get(f"/services/{service}")
            assert start.status_code == 503 and "not available at the moment" in start.text
            assert "<textarea" not in start.text
        finally:
            staff.post(f"/staff/admin/services/{service}/switch",
                       data={"enabled": "on", "reason": "resolved", "csrf_token": csrf(page.text)})
        assert citizen.get(f"/services/{service}").status_code == 200
    with browser(app) as auditor:
        sign_in(auditor, world.staff["auditor"])
        found = auditor.get(f"/staff/audit?service={service}&outcome=action:kill_switch")
        assert found.status_code == 200 and found.text.count("action:kill_switch") >= 2
        verified = auditor.get("/staff/audit/verify")
        assert "The audit trail is intact" in verified.text


# ---------------------------------------------------------------- sessions, CSRF, headers


def test_security_headers_cookie_and_no_inline_script(citizen, world) -> None:  # type: ignore[no-untyped-def]
    page = citizen.get(f"/services/{world.services['help']}")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    assert "strict-transport-security" in page.headers
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("__Host-govai_session=") and "Secure" in cookie and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie and "Path=/" in cookie and "Domain" not in cookie
    for tag in re.findall(r"<script[^>]*>", page.text):
        assert "src=" in tag, f"inline script: {tag}"
    assert not re.search(r"<[^>]+\sstyle=", page.text) and not re.search(r"<[^>]+\son[a-z]+=", page.text)
    assert "/assets/govuk-frontend.min.css" in page.text and "https://" not in "".join(
        re.findall(r'<(?:script|link)[^>]+>', page.text))  # nothing from a CDN
    api = citizen.get("/healthz")
    assert "content-security-policy" not in api.headers and "set-cookie" not in api.headers


def test_assets_are_served_by_govai(citizen) -> None:  # type: ignore[no-untyped-def]
    for path in ("/assets/govuk-frontend.min.css", "/assets/govuk-frontend.min.js", "/assets/govai/chat.js",
                 "/assets/govai/init.js", "/assets/govai/app.css", "/assets/images/favicon.svg"):
        response = citizen.get(path)
        assert response.status_code == 200, path
    assert citizen.get("/assets/../pyproject.toml").status_code == 404


def test_csrf_is_required(citizen, world) -> None:  # type: ignore[no-untyped-def]
    service = world.services["help"]
    citizen.get(f"/services/{service}")
    refused = citizen.post(f"/services/{service}/ask", data={"question": ANSWERED, "csrf_token": "forged"})
    assert refused.status_code == 403 and "This form could not be sent" in refused.text
    page = citizen.get(f"/services/{service}")
    cross = citizen.post(f"/services/{service}/ask", data={"question": ANSWERED, "csrf_token": csrf(page.text)},
                         headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    with browser(citizen.app) as other:  # another browser's token is not this one's
        other.get(f"/services/{service}")
        assert other.post(f"/services/{service}/ask", data={"question": ANSWERED,
                                                            "csrf_token": csrf(page.text)}).status_code == 403


def test_unknown_pages_and_staff_only_services(citizen, world) -> None:  # type: ignore[no-untyped-def]
    missing = citizen.get("/services/no-such-service")
    assert missing.status_code == 404 and "Page not found" in missing.text
    assert citizen.get(f"/services/{world.services['help']}/conversations/{'0' * 32}").status_code == 404
    assert citizen.get(f"/services/{world.services['secret']}").status_code == 404  # SECRET: staff only
    assert world.services["secret"] not in citizen.get("/").text
    assert citizen.get("/v1/nope").json()["error"]["code"] == "not_found"  # the API keeps its JSON
    page = citizen.get("/no-such-page", headers={"Accept": "text/html"})  # a browser anywhere else: a page
    assert page.status_code == 404 and "Page not found" in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert citizen.get("/v1/nope", headers={"Accept": "text/html"}).json()["error"]["code"] == "not_found"


# ---------------------------------------------------------------- staff sign-in


def test_local_sign_in_roles_and_sign_out(app, world) -> None:  # type: ignore[no-untyped-def]
    with browser(app) as staff:
        assert staff.get("/staff/review").headers["location"].startswith("/staff/sign-in?next=")
        bad = sign_in(staff, world.staff["reviewer"], "wrong password!!")
        assert bad.status_code == 401 and "The username or password is not right" in bad.text
        before = staff.cookies.get("__Host-govai_session")
        ok = sign_in(staff, world.staff["reviewer"], next_="/staff/review")
        assert ok.status_code == 303 and ok.headers["location"] == "/staff/review"
        assert staff.cookies.get("__Host-govai_session") != before  # a new session at sign-in
        assert staff.get("/staff/admin").status_code == 403
        assert staff.get("/staff/audit").status_code == 403
        home = staff.get("/staff")
        out = staff.post("/staff/sign-out", data={"csrf_token": csrf(home.text)})
        assert out.status_code == 303
        assert staff.get("/staff/review").status_code == 303


def test_oidc_sign_in_with_a_local_provider(app, world, oidc) -> None:  # type: ignore[no-untyped-def]
    import httpx

    email = f"{world.staff['auditor']}@example.gov.uk"
    with browser(app) as staff:
        page = staff.get("/staff/sign-in")
        assert "Sign in with Test Identity" in page.text
        oidc.login_as = {"sub": "user-123", "email": email, "email_verified": True, "name": "Auditor"}
        start = staff.get("/staff/sign-in/oidc?next=/staff/audit")
        assert start.status_code == 302 and start.headers["location"].startswith(oidc.issuer + "/authorize")
        assert "code_challenge=" in start.headers["location"] and "nonce=" in start.headers["location"]
        back = httpx.get(start.headers["location"], follow_redirects=False)
        callback = back.headers["location"].replace("https://testserver", "")
        done = staff.get(callback)
        assert done.status_code == 303 and done.headers["location"] == "/staff/audit"
        assert staff.get("/staff/audit").status_code == 200
        # The state cannot be replayed.
        assert staff.get(callback).status_code in (401, 502)
    with browser(app) as stranger:
        stranger.get("/staff/sign-in")
        oidc.login_as = {"sub": "nobody", "email": "nobody@example.gov.uk", "email_verified": True}
        start = stranger.get("/staff/sign-in/oidc")
        back = httpx.get(start.headers["location"], follow_redirects=False)
        refused = stranger.get(back.headers["location"].replace("https://testserver", ""))
        assert refused.status_code == 403 and "There is no staff account" in refused.text


def test_admin_pages_and_metrics_chart(app, citizen, world) -> None:  # type: ignore[no-untyped-def]
    conversation(citizen, ask(citizen, world.services["help"], ANSWERED))
    with browser(app) as staff:
        sign_in(staff, world.staff["all"])
        admin = staff.get("/staff/admin")
        assert world.services["help"] in admin.text and world.services["other"] not in admin.text
        metrics = staff.get(f"/staff/admin/metrics?service={world.services['help']}&days=7")
        assert metrics.status_code == 200 and metrics.text.count("<svg") >= 4
        assert 'role="img"' in metrics.text and "Answers by outcome, per day" in metrics.text
        assert "/child-benefit" in metrics.text  # most cited pages
        providers = staff.get("/staff/admin/providers")
        assert "extractive" in providers.text and "Answering" in providers.text
        assert staff.get(f"/staff/admin/services/{world.services['other']}").status_code == 404  # other tenant


def test_flagged_passages_page_lists_what_the_source_screen_flagged_at_ingest(app, world, db) -> None:  # type: ignore[no-untyped-def]
    from govai.store.knowledge import KnowledgeStore

    store = KnowledgeStore(db)
    chunk = store.chunks(store.require(KB))[0]
    with browser(app) as staff:
        sign_in(staff, world.staff["all"])
        assert "No passage was flagged when the guidance was loaded." in staff.get("/staff/admin/flagged").text
        # a flag from an older model: the page shows it, and that the current screen no longer flags it
        with db.connect() as conn:
            conn.execute("UPDATE chunk SET flags = ARRAY['injection'] WHERE id = %s", (chunk.id,))
        try:
            page = staff.get(f"/staff/admin/flagged?service={world.services['help']}")
            assert page.status_code == 200 and "1 passages" in page.text
            assert chunk.source_id in page.text and "Load it again to clear the flag." in page.text
            assert staff.get(f"/staff/admin/flagged?service={world.services['other']}").status_code == 404
        finally:
            with db.connect() as conn:
                conn.execute("UPDATE chunk SET flags = '{}' WHERE id = %s", (chunk.id,))
    with browser(app) as reviewer:
        sign_in(reviewer, world.staff["reviewer"])
        assert reviewer.get("/staff/admin/flagged").status_code == 403


# ---------------------------------------------------------------- Welsh


def test_welsh_is_chosen_and_remembered(citizen, world) -> None:  # type: ignore[no-untyped-def]
    service = world.services["help"]
    chosen = citizen.get(f"/language/cy?next=/services/{service}")
    assert chosen.status_code == 303 and "govai_lang=cy" in chosen.headers["set-cookie"]
    page = citizen.get(f"/services/{service}")
    assert '<html lang="cy"' in page.text and "Gofyn cwestiwn" in page.text
    assert "Neidio i'r prif gynnwys" in page.text or "Neidio i&#39;r prif gynnwys" in page.text
    _, page = conversation(citizen, ask(citizen, service, ANSWERED))
    assert 'class="govai-answer" lang="en"' in page and "Saesneg yn unig" in page
    _, page = conversation(citizen, ask(citizen, service, ABSTAIN))
    assert "Nid oeddem yn gallu dod o hyd i ateb" in page and "Ni allaf ddod o hyd" in page
    assert citizen.get("/language/en?next=//evil.example").headers["location"] == "/"


def test_every_interface_string_has_english_and_welsh() -> None:
    from govai.pipeline.replies import DEFAULT_REPLIES
    from govai.web.messages import MESSAGES
    from govai.web.present import KIND

    for key, (en, cy) in MESSAGES.items():
        assert en.strip() and cy.strip(), key
        assert set(re.findall(r"\{\w+\}", en)) == set(re.findall(r"\{\w+\}", cy)), key
    templates = Path(__file__).resolve().parents[1] / "src" / "govai" / "web"
    used = set()
    for path in [*templates.rglob("*.html"), *templates.glob("*.py")]:
        used |= set(re.findall(r"""_\(["']([a-z_]+\.[a-z_0-9]+)["']""", path.read_text(encoding="utf-8")))
        used |= set(re.findall(r"""["']((?:error|flash)\.[a-z_]+)["']""", path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in MESSAGES and not k.endswith(("_", ".html")))
    assert not missing, missing
    for key in DEFAULT_REPLIES:  # every canned reply has a Welsh wording and a page heading
        if key != "incomplete_kb":
            assert f"reply.{key}" in MESSAGES and f"kind.{key}" in MESSAGES, key
    assert set(KIND) == set(DEFAULT_REPLIES) - {"incomplete_kb"}
    families = {"pd.found_": ("warn", "redact", "refuse"), "pd.service_": ("warn", "redact", "refuse"),
                "pd.mode_": ("warn", "redact", "refuse"), "review.kind_": ("held", "contested"),
                "queue_status.": ("pending", "approved", "edited", "rejected"),
                "outcome.": ("answered", "abstained", "refused", "blocked", "error"),
                "kind.": ("answer", "held"), "flash.decided_": ("approve", "edit", "reject")}
    for prefix, names in families.items():
        for name in names:
            assert prefix + name in MESSAGES, prefix + name


def test_staff_pages_in_welsh(app, world) -> None:  # type: ignore[no-untyped-def]
    with browser(app) as staff:
        staff.get("/language/cy")
        page = staff.get("/staff/sign-in")
        assert "Mewngofnodi" in page.text and "Enw defnyddiwr" in page.text
        sign_in(staff, world.staff["all"])
        assert "Adolygu atebion" in staff.get("/staff/review").text
        assert "Switsh diffodd" in staff.get(f"/staff/admin/services/{world.services['help']}").text
        assert "Trywydd archwilio" in staff.get("/staff/audit").text


# ---------------------------------------------------------------- assets and the CLI


def test_asset_tarball_is_checked_and_unpacked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from govai.web import assets

    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as archive:
        for name, body in (("package/dist/govuk/govuk-frontend.min.css", b"body{}"),
                           ("package/dist/govuk/assets/images/x.svg", b"<svg/>"),
                           ("package/dist/govuk/all.mjs", b"export {}"),
                           ("package/dist/govuk/../../evil", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    tarball = tmp_path / "govuk-frontend.tgz"
    tarball.write_bytes(data.getvalue())
    with pytest.raises(assets.AssetsError, match="digest"):
        assets.fetch(tarball=tarball, where=tmp_path / "out")
    count = assets.unpack(data.getvalue(), tmp_path / "out")
    assert count == 2 and (tmp_path / "out" / "images" / "x.svg").is_file()
    assert not (tmp_path / "out" / "all.mjs").exists() and not (tmp_path / "evil").exists()
    assert assets.present(tmp_path / "out")


def test_staff_cli_creates_hashed_accounts(db, world) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from govai.cli.main import app as cli

    runner = CliRunner()
    username = f"cli-{world.tenant}"
    made = runner.invoke(cli, ["web", "staff", "add", username, "--tenant", world.tenant, "--role", "reviewer",
                               "--password-stdin", "--json"], input="a long enough password\n")
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["roles"] == ["reviewer"]
    stored = db.conn.execute("SELECT password_hash FROM web_staff WHERE id = %s", (username,)).fetchone()[0]
    assert stored.startswith("scrypt$") and "long enough" not in stored
    short = runner.invoke(cli, ["web", "staff", "add", f"{username}-2", "--tenant", world.tenant, "--role",
                                "reviewer", "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    listed = runner.invoke(cli, ["web", "staff", "list", world.tenant, "--json"])
    assert username in listed.stdout and "scrypt" not in listed.stdout
    assert runner.invoke(cli, ["web", "staff", "disable", username]).exit_code == 0
    from govai.web.accounts import StaffAccounts

    assert StaffAccounts(db).authenticate(username, "a long enough password") is None


def test_evaluation_reports_and_transparency_record_in_the_admin(app, world, db) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from govai.assurance import runs
    from govai.web.assurance import DOCUMENT_CSP

    service = world.services["help"]
    with browser(app) as staff:
        sign_in(staff, world.staff["auditor"])
        page = staff.get(f"/staff/admin/services/{service}")
        assert "has not been evaluated yet" in page.text
        now = datetime.now(UTC)
        run_id = f"web-test-{world.tenant}"
        runs.save(db, runs.StoredRun(run_id, service, "0" * 64, now, now, "partial", [], {"limit": 1}, {}, None))
        page = staff.get(f"/staff/admin/services/{service}")
        link = f"/staff/admin/services/{service}/evaluations/{run_id}"
        assert f'href="{link}"' in page.text and "Partial" in page.text
        report = staff.get(link)
        assert report.status_code == 200 and service in report.text
        assert report.headers["content-security-policy"] == DOCUMENT_CSP and "<script" not in report.text
        assert staff.get(f"/staff/admin/services/{service}/evaluations/no-such-run").status_code == 404
        record = staff.get(f"/staff/admin/services/{service}/transparency")
        assert record.status_code == 200 and "Algorithmic Transparency Record" in record.text
        assert "Draft" in record.text  # the test profile declares none of the ATRS fields
        assert staff.get(f"/staff/admin/services/{world.services['other']}/transparency").status_code == 404
