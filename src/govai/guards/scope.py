"""Scope routing: is this a question the service should answer from its guidance?

Routes: ``in_scope`` (the default: answer from guidance), ``greeting``,
``out_of_scope``, ``needs_account_data`` (we cannot see anyone's records) and
``crisis`` (self-harm or immediate danger: signpost help at once). The router is
deliberately conservative: anything not clearly in another route is in scope,
so citizens' real questions are never turned away by it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govai.guards.rules.self_harm import SELF_HARM, SUICIDE_MENTION

ROUTES = ("in_scope", "out_of_scope", "greeting", "needs_account_data", "crisis")

_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|im|me|my|myself|je|moi|ich|mich|yo|me|io|eu|ja|mnie|rwy|dw i|ben)\b|"
    r"(?:我|私|나는|मैं|میں|আমি|я |мне|أنا)", re.I
)
_DANGER = re.compile(
    r"\b(?:(?:i'?m|i am) (?:going to|gonna|about to) (?:hurt|kill|end) (?:myself|me)|"
    r"(?:i'?m|i am) (?:in danger|not safe) (?:right )?now|(?:he|she|they|someone) (?:is|are) (?:hurting|attacking|"
    r"hitting|threatening) me (?:right )?now|(?:i'?ve|i have) taken (?:an )?overdose|took (?:too many|all my) (?:pills|tablets))\b",
    re.I,
)
_SELF_HARM = re.compile(SELF_HARM, re.I)
# "What should I do if my son talks about suicide?" asks how to help someone else: answer it.
_SOMEONE_ELSE = re.compile(
    r"\b(?:someone|somebody|a friend|my (?:\w+ )?(?:friend|son|daughter|child|partner|husband|wife|mum|mom|dad|"
    r"brother|sister|student|pupil|colleague|client|patient|neighbour)|he|she|they|a person|people)\b", re.I
)
# "Where can I check the status of my application?" asks where to look: guidance answers that.
_WHERE_TO_LOOK = re.compile(r"^\W*(?:where|how)\b.{0,40}\b(?:check|find|see|track|view|get|look)\b", re.I)
_SUICIDE = re.compile(SUICIDE_MENTION, re.I)

_GREETING = re.compile(
    r"^\W*(?:hi|hiya|hello|hey|hey there|hi there|hello there|good (?:morning|afternoon|evening)|morning|"
    r"thanks?|thank you(?: very much| so much)?|thanks a lot|cheers|ta|ok(?:ay)?|great|brilliant|bye|goodbye|"
    r"bonjour|salut|hallo|guten tag|hola|buenos días|ciao|olá|cześć|dzień dobry|bună|shwmae|s'mae|helo|bore da|"
    r"prynhawn da|diolch|merci|danke|gracias|grazie|obrigad[oa]|dziękuję|привет|здравствуйте|مرحبا|السلام عليكم|"
    r"你好|您好|こんにちは|안녕하세요|नमस्ते|السلام علیکم|হ্যালো|ਸਤ ਸ੍ਰੀ ਅਕਾਲ|merhaba|salam|xin chào)"
    r"(?:[\s,!.]+(?:there|again|all|you|team|assistant|bot|govai))*\W*$",
    re.I,
)
_ABOUT_YOU = re.compile(
    r"^\W*(?:who|what) are you\W*$|^\W*what can you (?:do|help (?:me )?with)\W*$|^\W*how can you help(?: me)?\W*$|"
    r"^\W*are you (?:a )?(?:real person|human|a bot|a robot|an ai)\W*$",
    re.I,
)

_ACCOUNT = re.compile(
    r"\b(?:(?:what(?:'s| is| are)|check|show(?: me)?|tell me|give me|look up|confirm|read out)\s+my\s+(?:current |latest |"
    r"next |last |outstanding )?(?:balance|claim status|application status|case|account balance|journal|award|"
    r"statement|tax code|national insurance number|ni number|utr|unique taxpayer reference|reference number|"
    r"payment history|payments|bill|arrears|debt|credit score|record|details|case notes)|"
    r"(?:has|have|is|was) my (?:\w+ ){0,3}(?:claim|application|payment|appeal|refund|passport|licence|license|visa|"
    r"mandatory reconsideration|complaint|form|council tax reduction) (?:been )?(?:approved|processed|paid|sent|"
    r"received|accepted|rejected|refused|decided|looked at|granted|issued|through)|"
    r"(?:the )?status of my (?:\w+ ){0,3}(?:claim|application|appeal|passport|visa|refund|case|complaint)|"
    r"where(?:'s| is) my (?:\w+ ){0,2}(?:payment|refund|passport|licence|card|application|money|parcel|letter)|"
    r"(?:log|sign) (?:me )?in(?:to)? (?:to )?my account for me|my (?:claim|reference|case|customer) number is\s*\w+)\b",
    re.I,
)

_OUT_OF_SCOPE = re.compile(
    r"\b(?:write (?:me )?(?:a |an |some )?(?:poem|story|song|joke|limerick|haiku|rap|essay|novel|screenplay|love letter)|"
    r"tell (?:me )?a (?:joke|story)|(?:write|fix|debug|review) (?:my |some |this |a )?(?:python|javascript|java|c\+\+|"
    r"sql|html|css|code|program|script|function)|recipe for|how (?:do i|to) (?:cook|bake) |"
    r"what(?:'s| is) the capital of|who won the (?:world cup|premier league|euros|match|game|super bowl)|"
    r"football scores?|weather (?:forecast|tomorrow|today)|translate (?:this|the following|it) (?:into|to)|"
    r"best (?:phone|laptop|tv|car|restaurant|film|movie|book) (?:to buy|for|in)|horoscope|lottery numbers|"
    r"stock tips|which (?:crypto|shares|stocks) should i buy|play a game with me)\b",
    re.I,
)
_POLITICAL = re.compile(
    r"\b(?:(?:who|which (?:party|candidate|politician)) should (?:i|we|people|everyone) (?:vote|support)|"
    r"which (?:political )?party (?:should|is (?:the )?best|is better|to vote for)|how should i vote|"
    r"(?:your|honest|personal) (?:honest |personal )?opinion (?:on|of|about) (?:the )?(?:government|prime minister|"
    r"labour|conservatives?|tories|lib ?dems?|liberal democrats|reform|greens?|snp|plaid|brexit|election|politics|"
    r"which (?:political )?party)|what do you think (?:of|about) (?:the )?(?:prime minister|government|labour|"
    r"conservatives?|tories|lib ?dems?|reform|greens?|snp|plaid cymru|brexit|immigration policy)|"
    r"is (?:labour|the conservatives|the tories|reform|the snp|the greens) (?:better|worse|right|good|bad)|"
    r"(?:vote|voting) (?:labour|conservative|tory|reform|green|lib dem|snp|plaid)\b.{0,20}\b(?:or|vs|versus)\b)",
    re.I,
)


@dataclass(frozen=True)
class ScopeDecision:
    route: str
    reason: str
    canned_key: str | None  # None: answer normally


def scope_of(text: str) -> ScopeDecision:
    """Route a (normalised) question; the first clear match wins, in order of urgency."""
    stripped = text.strip()
    if _DANGER.search(stripped) or _SELF_HARM.search(stripped) or (
        _SUICIDE.search(stripped) and _FIRST_PERSON.search(stripped) and not _SOMEONE_ELSE.search(stripped)
    ):
        return ScopeDecision("crisis", "mentions self-harm, suicide or immediate danger", "crisis")
    if len(stripped) <= 60 and (_GREETING.match(stripped) or _ABOUT_YOU.match(stripped)):
        return ScopeDecision("greeting", "greeting or question about the assistant", "greeting")
    if _POLITICAL.search(stripped):
        return ScopeDecision("out_of_scope", "asks for a political opinion", "political")
    if _ACCOUNT.search(stripped) and not _WHERE_TO_LOOK.search(stripped):
        return ScopeDecision("needs_account_data", "asks about the person's own records", "needs_account_data")
    if _OUT_OF_SCOPE.search(stripped):
        return ScopeDecision("out_of_scope", "not about public services", "out_of_scope")
    return ScopeDecision("in_scope", "default", None)
