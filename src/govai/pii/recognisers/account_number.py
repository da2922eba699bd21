"""UK bank account numbers: eight digits (31926819, 3192 6819) named as a bank account.

Eight digits are also council tax, invoice and company numbers, so a bare "account" counts only
with bank words nearby, and reference words in the same clause rule it out. An account number
written just after a sort code needs no other cue.
"""

from __future__ import annotations

import re
from typing import Any

from govai.pii.context import reply_to, window_before
from govai.pii.recognisers.pattern import PatternRecogniser
from govai.pii.recognisers.sort_code import ACCOUNT, BANK_NAMES, organisation_account, pairs
from govai.pii.registry import TextDoc, pii_recognisers

STRONG_ACCOUNT_CUES = ("account number", "account no", "acc no", "acct no", "a/c", "bank account", "account num",
                       "acc num", "acc number", "account #", "acc #", "a/c no", "account details", "bank details")
ACCOUNT_CUES = (*STRONG_ACCOUNT_CUES, "account", "acct", "acc", *BANK_NAMES)

_BANK_WORDS = re.compile(r"sort code|sort-code|sortcode|\bbank\b|\biban\b|building society|\bs/c\b|\bsort\b|"
                         r"\bbarclays|\blloyds|\bhalifax|\bhsbc|\bnatwest|\bsantander|\bnationwide|\bmonzo|\bstarling|"
                         r"\brevolut|\btsb\b|\brefund|\bpaid into|\bpay (?:it )?into|\bpayment")


def _account_adjust(doc: TextDoc, m: re.Match[str], score: float) -> float:
    """A bare "account" counts only with bank words nearby (council tax accounts are not bank accounts)."""
    start = m.start("v")
    if organisation_account(doc, start):
        return 0.0
    if any(acc == m.span("v") for _, acc in pairs(doc)):
        return max(score, 0.0) + 0.7
    if score <= 0:
        return score
    lo, before = window_before(doc, start, 40)
    question = reply_to(doc, start) or ""
    if any(c in before or c in question for c in STRONG_ACCOUNT_CUES):
        return score
    nearby = doc.lower[max(0, start - 90) : min(len(doc.text), m.end() + 60)]
    return score if _BANK_WORDS.search(nearby) or _BANK_WORDS.search(question) else 0.0


@pii_recognisers.register("account_number")
def account_number(options: dict[str, Any]) -> PatternRecogniser:
    return PatternRecogniser(
        name="account_number", label="ACCOUNT_NUMBER",
        pattern=re.compile(r"(?<![\d\-/.])(?P<v>" + ACCOUNT + r")(?![\d\-/]|[ \t]\d|\.\d)"),
        score=0.0, cues=ACCOUNT_CUES, cue_boost=0.8, window=40,
        negative_cues=("council tax", "invoice", "reference", "ref", "customer", "claim", "works", "order",
                       "company", "application", "payroll", "policy", "student", "membership", "meter",
                       "card", "mortgage", "loan", "rent account", "tenancy", "phone", "tel", "mobile", "nhs"),
        adjust=_account_adjust,
    )
