"""The web pages in a real browser: Playwright driving Debian's Chromium (headless) against
``govai serve`` started as a separate process, with a local OpenID Connect provider.

Journeys: ask, stream and follow up; the same with JavaScript off; abstain, refuse, block;
hold, review, approve and the citizen sees it; contest and edit; the kill switch; Welsh; a
keyboard-only journey. axe-core runs on every page (no serious or critical violations), no
page breaks its Content-Security-Policy, and a screenshot of each page is saved under
``out/screenshots/`` (``GOVAI_SCREENSHOTS`` to change it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from web_helpers import (
    ABSTAIN,
    ANSWERED,
    BLOCK,
    FOLLOW_UP,
    HELD,
    PASSWORD,
    PERSONAL,
    REFUSE,
    OidcProvider,
    World,
    axe_source,
    chromium as debian_chromium,
    free_port,
    ingest_demo,
    make_world,
    write_profiles,
)

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = Path(os.environ.get("GOVAI_SCREENSHOTS") or REPO / "out" / "screenshots")
TIMEOUT_MS = 60_000  # an answer on a busy 2-core CI machine


@pytest.fixture(scope="module")
def world(db, tmp_path_factory) -> World:  # type: ignore[no-untyped-def]
    ingest_demo(db)
    return make_world(db, tmp_path_factory.mktemp("web-browser"))


@pytest.fixture(scope="module")
def oidc() -> Iterator[OidcProvider]:
    provider = OidcProvider().start()
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def base_url(world, oidc, tmp_path_factory, govai_home) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """``govai serve`` on a free port, as an operator runs it."""
    services = write_profiles(world, tmp_path_factory.mktemp("services"))
    port = free_port()
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    env = {**os.environ, **oidc.env(), "GOVAI_HOME": str(govai_home)}
    govai = Path(sys.executable).parent / "govai"
    command = [str(govai), "serve", "--services", str(services), "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"govai serve exited {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail(f"govai serve did not start:\n{log.read_text()[-3000:]}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    executable, why_not = debian_chromium()
    if executable is None:
        pytest.skip(why_not)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_source()


class Visit:
    """One browser context (a person), with the checks every page gets."""

    def __init__(self, browser: Any, base_url: str, axe: str, *, javascript: bool = True) -> None:
        self.context = browser.new_context(java_script_enabled=javascript, base_url=base_url,
                                           viewport={"width": 1100, "height": 900})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.axe = axe
        self.javascript = javascript
        self.csp_errors: list[str] = []
        self.page.on("console", lambda m: self.csp_errors.append(m.text)
                     if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text else None)

    def go(self, path: str) -> Any:
        response = self.page.goto(path)
        return response

    def check(self, name: str) -> None:
        """axe-core on the page as it is (no serious or critical violations), the Design System's
        page basics, no CSP violation, and a screenshot."""
        page = self.page
        assert page.title().endswith("GOV.UK"), page.title()
        assert page.locator("h1").count() == 1, f"{name}: one h1"
        assert page.locator("main#main-content").count() == 1
        if page.locator(".govuk-error-summary").count():
            assert page.title().startswith(("Error:", "Gwall:")), page.title()
        violations = page.evaluate(
            """async (source) => {
                if (!window.axe) { (0, eval)(source) }
                const result = await window.axe.run(document, {resultTypes: ['violations']})
                return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))
            }""", self.axe) if self.javascript else self._axe_without_javascript()
        assert not violations, f"{name}: {violations}"
        assert not self.csp_errors, f"{name}: {self.csp_errors}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def _axe_without_javascript(self) -> list[Any]:
        """axe needs script: check the same HTML in a page with JavaScript on."""
        html = self.page.content()
        url = self.page.url
        context = self.context.browser.new_context(java_script_enabled=True, bypass_csp=True)
        try:
            page = context.new_page()
            page.route("**/*", lambda route: route.fulfill(body=html, content_type="text/html")
                       if route.request.url == url else route.continue_())
            page.goto(url)
            return page.evaluate(  # type: ignore[no-any-return]
                """async (source) => {
                    (0, eval)(source)
                    const result = await window.axe.run(document, {resultTypes: ['violations']})
                    return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                        .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))
                }""", self.axe)
        finally:
            context.close()

    def ask(self, question: str) -> None:
        self.page.fill("#question", question)
        self.page.get_by_role("button", name=re.compile(r"^(Ask|Gofyn)")).click()

    def messages(self) -> Any:
        return self.page.locator("section.govai-message")

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def visit(chromium, base_url, axe) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    opened: list[Visit] = []

    def open_(javascript: bool = True) -> Visit:
        v = Visit(chromium, base_url, axe, javascript=javascript)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        v.close()


def sign_in(v: Visit, username: str, next_path: str = "/staff") -> None:
    v.go(f"/staff/sign-in?next={next_path}")
    v.page.fill("#username", username)
    v.page.fill("#password", PASSWORD)
    v.page.get_by_role("button", name=re.compile("^(Sign in|Mewngofnodi)$")).click()
    v.page.wait_for_url(re.compile(re.escape(next_path) + r"(\?.*)?$"))


# ---------------------------------------------------------------- citizen journeys


def test_ask_streams_and_follows_up_with_javascript(visit, world) -> None:  # type: ignore[no-untyped-def]
    v = visit()
    service = world.services["help"]
    v.go(f"/services/{service}")
    assert v.page.locator("body.js-enabled").count() == 1  # init.js ran under the CSP
    v.check("citizen-start")
    v.page.evaluate("window.__stillHere = true")
    v.ask(ANSWERED)
    answer = v.messages().last
    answer.get_by_text("GOV.UK pages used in this answer").wait_for()
    assert "£" in answer.inner_text()
    assert v.page.evaluate("window.__stillHere === true"), "the answer was streamed into the page, not reloaded"
    assert re.search(rf"/services/{service}/conversations/[0-9a-f]{{32}}$", v.page.url)
    assert answer.locator("ol.govai-sources a").first.get_attribute("href").startswith("https://www.gov.uk/")
    v.ask(FOLLOW_UP)
    v.page.locator("section.govai-message:not(.govai-message--streaming)").nth(1).wait_for()
    assert v.page.evaluate("window.__stillHere === true")
    v.check("citizen-conversation")
    v.page.reload()  # the conversation is there without the script too
    assert v.messages().count() == 2


def test_ask_follow_up_feedback_with_javascript_off(visit, world) -> None:  # type: ignore[no-untyped-def]
    v = visit(javascript=False)
    service = world.services["help"]
    v.go(f"/services/{service}")
    v.ask("")
    v.page.locator(".govuk-error-summary").wait_for()
    v.check("citizen-error-summary")
    v.ask(ANSWERED)
    v.page.wait_for_url(re.compile("/conversations/"))
    assert v.page.get_by_text("GOV.UK pages used in this answer").count() == 1
    v.ask(FOLLOW_UP)
    v.page.locator("section.govai-message").nth(1).wait_for()
    first = v.messages().first
    first.get_by_role("button", name=re.compile("^No")).click()
    v.page.get_by_text("Thank you for your feedback.").wait_for()
    v.check("citizen-conversation-no-js")


def test_abstain_refuse_block_and_personal_data(visit, world) -> None:  # type: ignore[no-untyped-def]
    v = visit(javascript=False)
    v.go(f"/services/{world.services['help']}")
    v.ask(ABSTAIN)
    v.page.get_by_role("heading", name="We could not find an answer").wait_for()
    assert v.page.get_by_role("link", name="Search GOV.UK").count() == 1
    v.check("citizen-abstained")
    v.ask(REFUSE)
    v.page.get_by_role("heading", name="This service cannot help with that").wait_for()
    v.ask(BLOCK)
    v.page.get_by_role("heading", name="We cannot answer this question").wait_for()
    v.check("citizen-refused")
    v.go(f"/services/{world.services['refuse']}")
    v.ask(PERSONAL)
    v.page.get_by_text("so your question was not answered").wait_for()
    v.check("citizen-personal-data-refused")
    v.go(f"/services/{world.services['help']}/privacy")
    v.check("citizen-privacy")


def test_hold_review_approve_then_the_citizen_sees_it(visit, world) -> None:  # type: ignore[no-untyped-def]
    citizen = visit()
    citizen.go(f"/services/{world.services['help']}")
    citizen.ask(HELD)
    held = citizen.messages().last
    held.get_by_role("heading", name="A member of staff is checking this answer").wait_for()
    link = citizen.page.url
    citizen.check("citizen-held")
    reviewer = visit()
    sign_in(reviewer, world.staff["reviewer"], "/staff/review")
    reviewer.check("staff-review-queue")
    reviewer.page.get_by_role("link", name=re.compile(r"^Review item \d+")).last.click()
    reviewer.page.get_by_role("heading", name="Proposed answer").wait_for()
    reviewer.check("staff-review-item")
    reviewer.page.get_by_label("Approve", exact=True).check()
    reviewer.page.get_by_role("button", name="Save decision").click()
    reviewer.page.get_by_text(re.compile(r"approved\. The citizen can now see the answer")).wait_for()
    again = visit()  # the citizen comes back with the link, from anywhere
    again.go(link)
    seen = again.messages().last
    seen.get_by_text("Checked by a member of staff").wait_for()
    assert "Statutory Sick Pay" in seen.inner_text()


def test_contest_and_edit_after_oidc_sign_in(visit, world, oidc) -> None:  # type: ignore[no-untyped-def]
    citizen = visit()
    citizen.go(f"/services/{world.services['help']}")
    citizen.ask(ANSWERED)
    citizen.messages().last.get_by_role("link", name="Ask a member of staff to check this answer").click()
    citizen.page.get_by_role("heading", name="Ask a member of staff to check this answer").wait_for()
    citizen.check("citizen-contest")
    citizen.page.fill("#reason", "I have twins")
    citizen.page.get_by_role("button", name="Ask for a check").click()
    citizen.page.get_by_text("You asked for a member of staff to check this answer").wait_for()
    reviewer = visit()
    oidc.login_as = {"sub": "oidc-reviewer", "email": f"{world.staff['reviewer']}@example.gov.uk",
                     "email_verified": True}
    reviewer.go("/staff/sign-in?next=/staff/review")
    reviewer.check("staff-sign-in")
    reviewer.page.get_by_role("button", name="Sign in with Test Identity").click()
    reviewer.page.wait_for_url(re.compile("/staff/review$"))
    reviewer.page.get_by_role("link", name=re.compile(r"^Review item \d+")).last.click()
    reviewer.page.get_by_label("Edit", exact=True).check()
    reviewer.page.fill("#answer", "Child Benefit is £25.60 a week for the eldest child, and £16.95 for each "
                                  "other child, twins included. [1]")
    reviewer.page.fill("#reason", "twins")
    reviewer.page.get_by_role("button", name="Save decision").click()
    reviewer.page.get_by_text(re.compile("edited")).first.wait_for()
    citizen.page.reload()
    last = citizen.messages().last
    last.get_by_text("Corrected by a member of staff").wait_for()
    assert "twins included" in last.inner_text()


def test_admin_kill_switch_metrics_and_audit(visit, world) -> None:  # type: ignore[no-untyped-def]
    service = world.services["redact"]
    admin = visit()
    sign_in(admin, world.staff["all"])
    admin.check("staff-home")
    admin.go("/staff/admin")
    admin.check("staff-admin")
    admin.go(f"/staff/admin/services/{service}")
    admin.check("staff-admin-service")
    admin.page.get_by_label("Off", exact=True).check()
    admin.page.fill("#reason", "incident 42")
    admin.page.get_by_role("button", name="Save").click()
    admin.page.get_by_text("The service is off.").wait_for()
    citizen = visit(javascript=False)
    response = citizen.go(f"/services/{service}")
    assert response.status == 503
    citizen.page.get_by_role("heading", name=re.compile("not available at the moment")).wait_for()
    citizen.check("citizen-unavailable")
    admin.page.get_by_label("On", exact=True).check()
    admin.page.fill("#reason", "resolved")
    admin.page.get_by_role("button", name="Save").click()
    admin.page.get_by_text("The service is on.").wait_for()
    assert citizen.go(f"/services/{service}").status == 200
    for path, name in (("/staff/admin/providers", "staff-providers"), ("/staff/admin/metrics", "staff-metrics"),
                       ("/staff/admin/feedback", "staff-feedback"), ("/staff/admin/flagged", "staff-flagged"),
                       (f"/staff/audit?service={service}", "staff-audit"), ("/staff/audit/verify", "staff-verify")):
        admin.go(path)
        admin.check(name)
    admin.go(f"/staff/audit?service={service}&outcome=action:kill_switch")
    assert admin.page.locator("code", has_text="action:kill_switch").count() >= 2
    admin.go("/staff/audit/verify")
    admin.page.get_by_text("The audit trail is intact").wait_for()


def test_welsh_chosen_and_remembered(visit, world) -> None:  # type: ignore[no-untyped-def]
    v = visit(javascript=False)  # streaming is covered in English; here every page is the server's
    v.go(f"/services/{world.services['help']}")
    v.page.get_by_role("link", name="Cymraeg").click()
    v.page.locator("html[lang=cy]").wait_for(state="attached")
    assert v.page.get_by_role("heading", name="Gofyn cwestiwn").count() == 1
    v.check("citizen-start-welsh")
    v.ask(ABSTAIN)
    v.messages().last.get_by_role("heading", name="Nid oeddem yn gallu dod o hyd i ateb").wait_for()
    v.ask(ANSWERED)
    v.page.locator("section.govai-message:not(.govai-message--streaming)").nth(1).wait_for()
    assert v.messages().last.locator(".govai-answer[lang=en]").count() == 1
    v.check("citizen-conversation-welsh")
    v.go("/privacy")  # remembered on the next page
    assert v.page.evaluate("document.documentElement.lang") == "cy"
    v.check("citizen-privacy-welsh")
    for path, name in (("/cookies", "citizen-cookies-welsh"), ("/accessibility", "citizen-accessibility-welsh"),
                       ("/staff/sign-in", "staff-sign-in-welsh"), ("/no-such-page", "not-found-welsh")):
        v.go(path)
        v.check(name)


def test_other_pages_pass_axe(visit, world) -> None:  # type: ignore[no-untyped-def]
    v = visit()
    for path, name in (("/", "index"), ("/cookies", "cookies"), ("/accessibility", "accessibility"),
                       ("/privacy", "privacy"), ("/services/nope", "not-found"), ("/staff/signed-out", "signed-out")):
        v.go(path)
        v.check(name)
    limited = visit(javascript=False)
    service = world.services["other"]
    for _ in range(25):
        limited.go(f"/services/{service}")
        limited.ask("Hello")
        if limited.page.get_by_role("heading", name="You have asked too many questions in a short time").count():
            break
    limited.check("citizen-rate-limited")
    reviewer = visit()
    sign_in(reviewer, world.staff["reviewer"])
    reviewer.go("/staff/admin")
    reviewer.check("staff-forbidden")


def test_keyboard_only_journey(visit, world) -> None:  # type: ignore[no-untyped-def]
    v = visit()
    page = v.page
    v.go(f"/services/{world.services['help']}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
    for _ in range(30):  # onwards from the main content to the question box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "question":
            break
    else:
        pytest.fail("the question box cannot be reached with the keyboard")
    page.keyboard.type(ANSWERED)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Ask"
    page.keyboard.press("Enter")
    page.get_by_text("GOV.UK pages used in this answer").wait_for()
    # Focus moves to the new answer, so a keyboard or screen-reader user is taken to it.
    assert page.evaluate("document.activeElement.classList.contains('govai-message')")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('ol.govai-sources') !== null"):
            break
    else:
        pytest.fail("the sources cannot be reached with the keyboard")
    outline = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert outline == "rgb(255, 221, 0)", "the GOV.UK focus style shows where the keyboard is"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim().startsWith('Yes')"):
            break
    page.keyboard.press("Enter")
    page.get_by_text("Thank you for your feedback.").wait_for()
    v.check("citizen-keyboard")
