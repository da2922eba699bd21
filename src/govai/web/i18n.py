"""English and Welsh (Cymraeg) for every string the web pages show.

A person chooses the language with the link at the top of every page; the choice is kept in
the ``govai_lang`` cookie for a year. Without one, a browser that prefers Welsh gets Welsh.
Answers come from guidance written in English: a Welsh page says so and marks the answer
``lang="en"``; built-in canned replies (refusals, abstentions, ...) are shown in Welsh unless
the service profile rewords them, in which case the service's English wording is shown.

Each message is ``key: (English, Welsh)``; ``{name}`` is filled in by name. A key ending in
``_html`` holds markup written here (values filled into it are escaped).
"""

from __future__ import annotations

from markupsafe import Markup, escape
from starlette.requests import Request

from govai.web.messages import MESSAGES

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
DEFAULT = "en"


def language_of(request: Request) -> str:
    chosen = request.cookies.get("govai_lang")
    if chosen in LANGUAGES:
        return chosen  # type: ignore[return-value]
    session = request.scope.get("session")
    if session is not None and session.get("lang") in LANGUAGES:
        return str(session["lang"])
    accept = request.headers.get("accept-language", "")
    first = accept.split(",")[0].split(";")[0].strip().lower()
    return "cy" if first.startswith("cy") else DEFAULT


class Translator:
    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT
        self.index = 1 if self.lang == "cy" else 0

    def __call__(self, key: str, **values: object) -> str:
        entry = MESSAGES.get(key)
        if entry is None:
            raise KeyError(f"no interface string {key!r}")
        text = entry[self.index]
        html = key.endswith("_html")
        for name, value in values.items():
            shown = "" if value is None or _undefined(value) else str(value)
            text = text.replace("{" + name + "}", str(escape(shown)) if html else shown)
        return Markup(text) if html else text


def _undefined(value: object) -> bool:
    from jinja2 import Undefined

    return isinstance(value, Undefined)


def pd_label(label: str, t: Translator) -> str:
    key = f"pii.{label}"
    return t(key) if key in MESSAGES else label


def role_name(role: str, t: Translator) -> str:
    key = f"role.{role}"
    return t(key) if key in MESSAGES else role
