"""What kind of answer a question asks for, and how to recognise one in a sentence.

"How much…" wants an amount, "how long…" a period, "who do I ring…" a phone number,
"what's the email…" an email address.
The composer prefers sentences of the right kind; the answerability check asks
whether the guidance holds one at all.
"""

from __future__ import annotations

import re

_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"

ANSWER_TYPES: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (re.compile(r"\b(e-?mail address|(what|which)('s| is)? (the |their |an? )?e-?mail|e-?mail (for|to|of))\b", re.I),
     re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")),
    (re.compile(r"\b(ring|call|phone|telephone|helpline|contact number|number to)\b", re.I),
     re.compile(r"\b0\d{2,4}[ \d]{6,10}\d\b|\+44")),
    (re.compile(r"\b(percent|percentage|what rate)\b|%", re.I), re.compile(r"\d%|\bper ?cent\b")),
    (re.compile(r"\brates\b", re.I), re.compile(r"£\s?\d|\d%|\bper ?cent\b")),  # "the weekly rates", "which rates"
    (re.compile(r"\b(how much|cost|costs|price|fee|fees|charge|charged|salary|wage|amount|how big a|"
                r"maximum (fine|amount|payment)|minimum (amount|payment))\b", re.I),
     re.compile(r"£\s?\d|\b\d+(\.\d+)? (pounds|pence)\b|\blevel \d\b")),
    (re.compile(r"\b(how long|how soon|how quickly|how early|how late|how far in advance|time limit|within how|"
                r"how many (days|weeks|months|years|hours))\b", re.I),
     re.compile(r"\b\d+\s?(working |school |calendar )?(day|week|month|year|hour|minute)s?\b|"
                r"\b(a|one|two|three|four|six) (day|week|month|year)s?\b", re.I)),
    (re.compile(r"\b(when|what date|which date|deadline|by what)\b", re.I),
     re.compile(rf"\b\d{{1,2}}(st|nd|rd|th)? {_MONTH}\b|\b{_MONTH}\b|\b\d+\s?(working )?(day|week|month|year)s?\b|"
                r"\b(holidays?|term|before|after)\b", re.I)),
    (re.compile(r"\b(what age|how old|age limit|minimum age|maximum age)\b", re.I), re.compile(r"\b\d{1,2}\b|\bage\b", re.I)),
    (re.compile(r"\bhow many\b", re.I), re.compile(r"\b\d+\b|\b(one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)),
]


def expected_answer(question: str) -> re.Pattern[str] | None:
    """The pattern an answer to this question should match, or None for an open question."""
    for asks, looks_like in ANSWER_TYPES:
        if asks.search(question):
            return looks_like
    return None
