"""Bank sort codes: six digits (20-45-67, 20 45 67, 204567) named by a cue or followed by an account number.

There is no public check on a sort code alone (Pay.UK's modulus tables check the pair against bank
data), so the evidence is the context: "sort code", "s/c", a bank's name, or the account number
written after it. Dates written with dashes ("dated 19-07-24") are ruled out by date words.

People write bank details in many layouts ("sort code 20 00 00 acc 12345678", "20-00-00 / 12345678",
"s/c 200000 a/c 12345678", "Lloyds 30-15-99 acct 00891123", "Bank: 40-12-76 70436129"). A six-digit
sort code followed closely by an eight-digit account number is evidence for both, cue or no cue;
``pairs`` finds them once per text for this recogniser and the account number one.
"""

from __future__ import annotations

import re
from typing import Any

from govai.pii import validators as v
from govai.pii.recognisers.pattern import PatternRecogniser
from govai.pii.registry import TextDoc, pii_recognisers

BANK_NAMES = (
    "barclays", "lloyds", "halifax", "hsbc", "natwest", "santander", "nationwide", "monzo", "starling", "revolut",
    "tsb", "metro bank", "co-op", "co-operative", "cooperative bank", "virgin money", "first direct", "rbs",
    "royal bank", "bank of scotland", "ulster bank", "danske", "clydesdale", "yorkshire bank", "chase", "coventry",
    "skipton", "post office", "credit union",
)
SORT_CODE_CUES = ("sort code", "sort-code", "sortcode", "s/c", "s/code", "sc", "sort", "bank sort code",
                  "bank details", "bank", "bank account", "account details", *BANK_NAMES)

SORT_CODE = r"\d{2}(?P<sep>[\- ]?)\d{2}(?P=sep)\d{2}"
ACCOUNT = r"\d{8}|\d{4} \d{4}|\d{2} \d{2} \d{2} \d{2}"
# Between the two: separators and an account word ("/", ", acc no. ", " and ", " a/c: ").
PAIR_GAP = r"[ \t]*[,/|;–\-]?[ \t]*(?:(?:and|&)[ \t]+)?(?:(?:the[ \t]+)?(?:acc(?:oun)?t?|a/c|account)(?:[ \t]*(?:no\.?|num(?:ber)?|#))?[ \t]*[:.\-]?[ \t]*(?:is[ \t]+)?)?"
PAIR = re.compile(r"(?<![^\W_]|[\d\-/.])(?P<sc>" + SORT_CODE + r")(?P<gap>" + PAIR_GAP + r")(?P<acc>" + ACCOUNT + r")(?![\d\-/]|\.\d)")


def pairs(doc: TextDoc) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(sort code span, account span) of every sort code written just before an account number."""
    cached = doc.extras.get("bank_pairs")
    if cached is None:
        cached = [(m.span("sc"), m.span("acc")) for m in PAIR.finditer(doc.text)]
        doc.extras["bank_pairs"] = cached
    return cached


# An organisation's own bank details, given so that people can pay it ("Please pay HMRC to sort code 08 32 00",
# "into our client account", "the contractor's bank details (40-11-62 / 21558804)", a solicitors' "Client Account",
# a "charity account").
_ORGANISATION_ACCOUNT = re.compile(
    r"\b(?:pay (?:hmrc|the council|us|the trust|the court)|payable to|our (?:client |bank |business )?account|"
    r"client account|charity account|"
    r"our bank details|into our|(?:council|hmrc|company|contractor|supplier|landlord company|firm)['’]s (?:bank|account)|"
    r"quoting (?:our|your) (?:reference|ref)|using your (?:vat|utr|reference|payment reference))\b")


def organisation_account(doc: TextDoc, start: int) -> bool:
    """Bank details an organisation gives for payments to it: not a person's."""
    return bool(_ORGANISATION_ACCOUNT.search(doc.lower, max(doc.line_start(start), start - 80),
                                             min(doc.line_end(start), start + 60)))


def _pair_adjust(doc: TextDoc, m: re.Match[str], score: float) -> float:
    """An account number just after: a sort code, whatever the cue; an organisation's own: not personal."""
    if organisation_account(doc, m.start("v")):
        return 0.0
    if any(sc == m.span("v") for sc, _ in pairs(doc)):
        return max(score, 0.0) + 0.7
    return score


@pii_recognisers.register("sort_code")
def sort_code(options: dict[str, Any]) -> PatternRecogniser:
    return PatternRecogniser(
        name="sort_code", label="SORT_CODE",
        pattern=re.compile(r"(?<![^\W_]|[\d\-/.])(?P<v>" + SORT_CODE + r")(?![\d\-/]|\.\d)"),
        score=0.0, validator=v.sort_code, cues=SORT_CODE_CUES, cue_boost=0.9, window=40,
        negative_cues=("dated", "date", "born", "dob", "d.o.b", "birth"), adjust=_pair_adjust,
    )
