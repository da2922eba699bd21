"""Jinja2 templates with the GOV.UK Frontend macros (govuk-frontend-jinja), in English or Welsh."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from govai.web.i18n import LANGUAGES, Translator, language_of, pd_label, role_name

_URL = re.compile(r"https://[^\s<>\"')\]]+[^\s<>\"')\].,;:]")
_MARKER = re.compile(r"\[(\d{1,2})\]")


def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([
            PackageLoader("govai.web", "templates"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["paragraphs"] = paragraphs
    env.filters["linkify"] = linkify
    env.filters["urlquote"] = lambda s: quote(str(s), safe="")
    env.filters["pd_label"] = pd_label
    env.filters["role_name"] = role_name
    return env


def linkify(text: str) -> Markup:
    """Escape text, then make each https:// address in it a link (canned replies name GOV.UK pages)."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(escape(text[last:match.start()]))
        url = match.group(0)
        out.append(Markup('<a class="govuk-link" href="{0}" rel="noreferrer">{0}</a>').format(url))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def paragraphs(text: str, anchor: str | None = None, sources: int = 0) -> Markup:
    """Answer text as paragraphs; each citation marker [n] links to the n-th source listed."""
    html = []
    for block in (b.strip() for b in str(text).split("\n\n")):
        if not block:
            continue
        body = linkify(block)
        if anchor and sources:
            def link(m: re.Match[str]) -> str:
                n = int(m.group(1))
                if 1 <= n <= sources:
                    return f'<a class="govuk-link govai-cite" href="#{anchor}-source-{n}">[{n}]</a>'
                return m.group(0)

            body = Markup(_MARKER.sub(link, str(body)))
        lines = Markup("<br>").join(escape_lines(body))
        html.append(Markup('<p class="govuk-body">{}</p>').format(lines))
    return Markup("\n").join(html)


def escape_lines(body: Markup) -> list[Markup]:
    return [Markup(line) for line in str(body).split("\n")]


class Renderer:
    def __init__(self) -> None:
        self.env = environment()

    def page(self, request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        lang = language_of(request)
        t = Translator(lang)
        session = request.scope.get("session")
        context = {
            "request": request, "lang": lang, "_": t, "t": t, "languages": LANGUAGES,
            "csrf_token": session.csrf_token() if session is not None else "",
            "staff": getattr(request.state, "staff", None),
            "path": request.url.path,
            "query": request.url.query,
            "flashes": session.take_flash() if session is not None else [],
            **values,
        }
        html = self.env.get_template(template).render(context)
        return HTMLResponse(html, status_code=status)

    def fragment(self, request: Request, template: str, **values: Any) -> str:
        lang = language_of(request)
        t = Translator(lang)
        return self.env.get_template(template).render({"request": request, "lang": lang, "_": t, "t": t,
                                                       "path": request.url.path, **values})
