"""Context scoring: words near a match raise or lower confidence.

Cues are searched in a window before the match (and a short one after), and the
nearest cue counts most, so "NHS No: ... Tax reference: 1234567890" gives the
number to the nearer "Tax reference". A cue only counts inside the same line,
or on the previous line when the match starts its own line (label above value)
or answers it: in transcripts and chat, "Agent: date of birth?" is answered on
the next line, after the speaker's label ("Customer: 19.09.88").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from govai.pii.registry import TextDoc


@lru_cache(maxsize=512)
def cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(c.lower()) for c in cues), key=len, reverse=True)
    # Cues match whole words; punctuation inside a cue ("d.o.b", "a/c") is literal.
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")


@dataclass(frozen=True)
class Cue:
    word: str
    distance: int  # characters between the cue and the match (0 = touching)


# A speaker's label at the start of a transcript or chat line: "[00:01:12] Agent:", "CALLER:",
# "Advisor (Shauna):", "Q:". Form labels ("Name:", "Date of birth:") are not speakers.
_SPEAKER = re.compile(
    r"[ \t]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]*)?(?P<label>[^\W\d_][\w'’.\- ]{0,30}?(?:[ \t]*\([^)\n]{1,30}\))?)"
    r"[ \t]*:(?=[ \t]+\S)"
)
_FORM_LABEL = re.compile(
    r"(?i)\b(?:name|names|surname|forenames?|address|date|dob|d\.o\.b|birth|number|no|postcode|phone|tel|mobile|"
    r"email|e-mail|ref|reference|subject|re|to|from|cc|sent|time|location|age|occupation|nationality|relationship|"
    r"account|sort|code|bank|iban|nino|ni|nhs|utr|vat|passport|licence|reg|vehicle|reason|town|county|city|country|"
    r"property|rent|amount|note|notes|action|outcome|status|type|category|priority|result|present|apologies|"
    r"attendees|incident|location|offence|crime|case|claim|appointment|dear|hi|hello|re|fao|attn|ps|children|kids|"
    r"siblings|dependants|dependents)\b"
)
# What a reply may say before the value it gives ("it's the", "yeah", "I think it's").
_REPLY_FILLER = re.compile(
    r"(?:[ \t]*(?:yes|yeah|yep|ok|okay|oh|um|erm|er|uh|right|sure|so|well|sorry|hi|hello|it's|its|it is|that's|thats|"
    r"i think it's|i think its|i think|my name is|my name's|my names|this is|i'm|im|the|mine is|his is|hers is|"
    r"her name is|his name is|it was|only his first name|only her first name|just)[,.!]?)*[ \t]*"
)


# A chat question without a question mark ("and your name", "date of birth please").
_ASKS = re.compile(r"(?:name|surname|d\.?o\.?b|date of birth|birthday|postcode|address|number|sort code|account)\W*"
                   r"(?:please|pls|plz|to confirm|again|as well|too)?\W*$")


def speaker_label_end(doc: TextDoc, line_start: int) -> int | None:
    """End of the speaker's label that opens this line (just after the colon), or None."""
    known = doc.extras.setdefault("speaker_label_ends", {})  # asked for every candidate on the line
    if line_start not in known:
        m = _SPEAKER.match(doc.text, line_start)
        labelled = m is not None and "\n" not in m.group(0) and not _FORM_LABEL.search(m.group("label")) and len(
            m.group("label").split()) <= 4
        known[line_start] = m.end() if labelled else None
    return known[line_start]


def _previous_line(doc: TextDoc, line_start: int) -> tuple[int, int] | None:
    end = line_start - 1
    while end > 0:
        start = doc.line_start(end)
        if doc.text[start:end].strip():
            return start, end
        end = start - 1
    return None


def answer_line_question(doc: TextDoc, pos: int) -> str | None:
    """The previous line (lower case) when the text before ``pos`` on its line only replies to it:
    nothing, a speaker's label, or filler such as "it's the"."""
    line_start = doc.line_start(pos)
    if line_start == 0:
        return None
    prefix_start = speaker_label_end(doc, line_start) or line_start
    if not _REPLY_FILLER.fullmatch(doc.lower, prefix_start, pos):
        return None
    prev = _previous_line(doc, line_start)
    if prev is None:
        return None
    question = doc.lower[prev[0] : prev[1]]
    return question if "?" in question or _ASKS.search(question) else None


def window_before(doc: TextDoc, start: int, size: int) -> tuple[int, str]:
    """The lower-cased text a cue may sit in: this line, or the previous one when the match opens its line
    or replies to it."""
    line_start = doc.line_start(start)
    lo = max(line_start, start - size)
    if line_start > 0 and (doc.text[line_start:start].strip() == "" or answer_line_question(doc, start) is not None):
        prev = _previous_line(doc, line_start)
        if prev is not None:
            lo = max(prev[0], start - size - (line_start - 1 - prev[1]))
    return lo, doc.lower[lo:start]


def nearest_cue_before(doc: TextDoc, start: int, cues: Iterable[str], size: int = 48) -> Cue | None:
    cues = tuple(cues)
    if not cues:
        return None
    lo, window = window_before(doc, start, size)
    best: Cue | None = None
    for m in cue_pattern(cues).finditer(window):
        best = Cue(m.group(0), len(window) - m.end())
    if best is None:
        question = reply_to(doc, start)
        m = cue_pattern(cues).search(question) if question else None
        if m is not None:
            best = Cue(m.group(0), size // 2)  # asked on the line above ("And the account number?")
    return best


def reply_to(doc: TextDoc, start: int) -> str | None:
    """The question (lower case) on the line above, when this line replies to it: the line opens with a
    speaker's label, or the line above ends in a question mark; the reply may say a little first
    ("Hang on, I've got the card here... it's")."""
    line_start = doc.line_start(start)
    if line_start == 0 or start - line_start > 60:
        return None
    prev = _previous_line(doc, line_start)
    if prev is None:
        return None
    question = doc.lower[prev[0] : prev[1]]
    speaker = _speaker(doc, line_start)
    for _ in range(2):  # a two-part answer in chat: "User: amira haddad" / "User: 17/09/2016"
        if "?" in question or _ASKS.search(question) or speaker is None or _speaker(doc, prev[0]) != speaker:
            break
        earlier = _previous_line(doc, prev[0])
        if earlier is None:
            return None
        prev, question = earlier, doc.lower[earlier[0] : earlier[1]]
    if "?" not in question and not _ASKS.search(question) and not (speaker and (_WH_OPENING.match(question)
                                                                            or _REQUEST.search(question))):
        return None
    if speaker is None and not question.rstrip().endswith("?"):
        return None
    return question


# A request for details in chat: "Yes please, names and dates of birth for everyone in the household."
_REQUEST = re.compile(r"\b(?:names?|dates? of birth|d\.?o\.?bs?|addresses|numbers)[ \t]+(?:for|of)[ \t]+"
                      r"(?:everyone|every one|each|all|both|the (?:children|kids|household|family))\b")

# A chat question typed without its question mark: "buyer: whats the reg so i can check".
_WH_OPENING = re.compile(r"(?:[^:\n]{1,30}:[ \t]*)?(?:ok(?:ay)?[,.]?[ \t]+)?(?:what|whats|what's|wots|where|wheres|where's|"
                         r"who|whos|who's|when|which|how|can i (?:have|get|take)|could i (?:have|get|take)|"
                         r"can you|could you|please (?:give|confirm|tell|send))\b")


def _speaker(doc: TextDoc, line_start: int) -> str | None:
    """The speaker's label that opens this line, without a timestamp ("user", "agent (lauren)")."""
    end = speaker_label_end(doc, line_start)
    if end is None:
        return None
    m = _SPEAKER.match(doc.text, line_start)
    return m.group("label").strip().lower() if m else None


def cue_after(doc: TextDoc, end: int, cues: Iterable[str], size: int = 16) -> Cue | None:
    cues = tuple(cues)
    if not cues:
        return None
    line_end = doc.line_end(end)
    window = doc.lower[end : min(line_end, end + size)]
    m = cue_pattern(cues).search(window)
    return Cue(m.group(0), m.start()) if m else None


def clause_before(doc: TextDoc, start: int, size: int = 60) -> str:
    """Lower-cased text from the last clause break (sentence end, line break, semicolon) to the match."""
    lo = max(doc.line_start(start), start - size)
    window = doc.lower[lo:start]
    cut = max(window.rfind(". "), window.rfind("; "), window.rfind("? "), window.rfind("! "))
    return window[cut + 1 :] if cut >= 0 else window


def proximity_boost(cue: Cue | None, boost: float, size: int = 48) -> float:
    """Full boost for a touching cue, fading to half at the edge of the window."""
    if cue is None:
        return 0.0
    return boost * (1.0 - 0.5 * min(cue.distance, size) / size)


# What the first line of a letterhead says when an organisation sent the letter.
ORGANISATION_LINE = re.compile(
    r"(?i)\b(?:revenue|customs|hmrc|department|dwp|dvla|dvsa|agency|council|cyngor|companies house|service|services|"
    r"office|ministry|government|pensions?|ltd|limited|llp|plc|nhs|trust|police|magistrates|crown court|tribunal|"
    r"team|authority|commission|ombudsman|home office|jobcentre|university|college|school|surgery|practice|"
    r"infirmary|hospital|clinic|outpatients|lets|lettings|accounts|"
    r"solicitors|bank|building society|housing|association|charity)\b")


_PO_BOX = re.compile(r"\bp\.?\s?o\.?\s?box\s+\d+")
_ADDRESSEE = re.compile(r"[ \t]*(?:mr|mrs|ms|miss|mx|dr|prof|the director|the occupier|the householder|"
                        r"the executor)\b", re.IGNORECASE)


_ORGANISATION_ADDRESS_CUE = re.compile(
    r"(?i)(?:\bwrite to us at|\bin writing to (?:the|us)\b|\bcourt address|address of (?:the |your )?bank|head office|(?:held )?at the registered office|"
    r"\bvisit us at|return (?:it|the form) to|send (?:it|the form|them) to (?:us at|the)|"
    r"\b(?:to|at) (?:the|our) offices? (?:at|in|on)|"
    r"\b(?:agent|agent's|office|registered office|practice|surgery|school|branch)[ \t]+address)"
    r"(?=[ \t:,])")


# An organisation's premises named before its street on the same line ("Parkside Medical Practice, 2 Church
# Road, …", "Northumberland County Council, County Hall, Morpeth", "Civic Centre, St Peter's Square, …").
_ORG_PREMISES = re.compile(
    r"\b(?:Practice|Surgery|Centre|Center|Hospital|Council|Services|Service|Ltd|Limited|LLP|PLC|Trust|Housing|"
    r"Association|Partners|Solicitors|Clinic|School|Academy|College|University|Authority|Department|Agency|Charity|"
    r"Consultants|Accountants|Accounts|Alliance|County Hall|Town Hall|City Hall|Guildhall|Civic Offices|Depot|"
    r"(?<!Home )(?<!Post )Office|Pharmacy|Chemists?|Nursery|Library|Opticians|Dental|Tribunal|Chambers|"
    r"Takeaway|Restaurant|"
    r"Business Park|Industrial Estate|Retail Park|Neuadd y Sir)\b[^,|\n]{0,40}(?:,|[ \t][–|-][ \t])")
# A line that names an organisation and nothing else, above its address ("Fife Council - Council Tax Reduction").
_ORG_NAME_LINE = re.compile(
    r"^[ \t]*(?:(?:[A-Z][\w'&.-]*|&)[ \t]+){1,5}(?:Council|Trust|Ltd|Limited|LLP|PLC|Practice|Surgery|Hospital|Service|"
    r"Services|Agency|Authority|Department|Association|Solicitors|Partners|Centre|Constabulary|Police|Unit|"
    r"Accountants|Housing|Homes|Lettings|Chambers|Tribunal|Court|School|Academy|College|Nursery|Pharmacy)\b"
    r"(?:[ \t]+(?:LLP|Ltd|Limited|PLC|CIC|SCIO))?(?:[ \t]*[-–,|:][^\n]{0,60})?$"
    r"|^[ \t]*Citizens[ \t]+Advice(?:[ \t]+[A-Z][\w'&.-]*){0,3}[ \t]*$"
    r"|^[ \t]*(?:London[ \t]+|Royal[ \t]+|Metropolitan[ \t]+)?Borough[ \t]+of(?:[ \t]+[A-Z][\w'&.-]*){1,4}[ \t]*$")


# "The Flat, above Oduya Pharmacy, 2 High Street": a home beside the premises, not the premises.
_HOME_BY_PREMISES = re.compile(r"(?i)\b(?:above|over|behind|next to|opposite|flat)[ \t]+(?:[\w'’&.\-]+[ \t]+){0,4}$")
# A UK postcode's shape, to find one on a line (validation is the postcode recogniser's job).
POSTCODE_SHAPE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}\b")


def _organisation_premises(doc: TextDoc, pos: int) -> bool:
    line_start, line_end = doc.line_start(pos), doc.line_end(pos)
    text = doc.text[line_start:line_end]
    number = re.search(r"(?<![\w£$.,/])\d{1,4}[A-Za-z]?\b(?![/.:]\d)", text)  # what comes before the house number
    head = text[: number.start()] if number and number.start() <= pos - line_start + 60 else text[: pos - line_start]
    if any(len(head) - m.end() <= 60 and not re.search(r"[.!?](?:\s|$)", head[m.end() :])
           and not _HOME_BY_PREMISES.search(head, 0, m.start()) for m in _ORG_PREMISES.finditer(head)):
        return True
    # "… at Bradford Tribunal Hearing Centre, Phoenix House, …": the premises named straight before the address
    just_before = text[: pos - line_start]
    if not POSTCODE_SHAPE.match(text, pos - line_start) and any(
            not just_before[m.end() :].strip() and not re.search(r"[.!?]\s", m.group(0))
            and not _HOME_BY_PREMISES.search(just_before, 0, m.start()) for m in _ORG_PREMISES.finditer(just_before)):
        return True
    if line_start == 0 or len(text.split()) > 12:
        return False
    previous = doc.text[doc.line_start(line_start - 1) : line_start - 1]
    # the line above names the firm, alone or as the last cell of a signature ("Fiona Reid | HR | Clydeview Ltd")
    firm = previous.rsplit("|", 1)[-1] if previous.count("|") >= 1 else previous
    return bool(_ORG_NAME_LINE.match(firm)) and not re.search(r"\d|\?", firm) and not re.match(
        r"(?i)[ \t]*(?:to|dear|re|fao|attn|from|cc)\b", previous)


def organisation_address(doc: TextDoc, pos: int) -> bool:
    """An office's address in running text ("write to us at Waste Services, Stanley Road Depot …", "Court address:
    Cresta House …"), or a postcode district that only large organisations use ("WV99", "SA99", "NE98")."""
    line_start = doc.line_start(pos)
    # The cue may end just past pos: an address that starts "the Licensing Authority, County Hall, …".
    for cue in _ORGANISATION_ADDRESS_CUE.finditer(doc.text, max(line_start, pos - 120), min(doc.line_end(pos), pos + 4)):
        if cue.start() < pos and pos - cue.end() <= 80:
            return True
    if _organisation_premises(doc, pos):
        return True
    return bool(re.match(r"[A-Z]{1,2}9[89][ \t]*\d[A-Z]{2}\b", doc.text[pos : pos + 9]))


def firm_footer(doc: TextDoc, pos: int) -> bool:
    """``pos`` is on a company's own line at the head or foot of a text ("Caledonia Lets Ltd, 90 Pollokshaws Road,
    Glasgow G41 1PZ / Registered in Scotland"): the firm's address, not a person's."""
    line_start = doc.line_start(pos)
    if not re.search(r"(?i)\b(?:ltd|limited|llp|plc)\b", doc.text[line_start:pos]):
        return False
    return line_start == 0 or doc.text[doc.line_end(pos) :].count("\n") <= 2


_LETTERHEAD_CONTACT = re.compile(r"(?i)\s*(?:tel|telephone|phone|fax|e-?mail|web|website|headteacher|head teacher|"
                                 r"principal|head of school|pennaeth)\b[^:\n]{0,12}:")


def in_letterhead(doc: TextDoc, pos: int) -> bool:
    """``pos`` lies in the block of short lines that opens a letter and names the organisation that sent it
    ("HM Revenue & Customs / Self Assessment / BX9 1AS"): the sender's address, not a person's."""
    if _PO_BOX.search(doc.lower, max(doc.line_start(pos), pos - 60), pos):
        return True  # "Sefton Council Revenues, PO Box 18, Bootle L20 7UT": a PO box is never a home
    block_end = doc.text.find("\n\n")
    if block_end < 0 or pos > block_end:
        return False  # a letterhead is the first block, and something follows it
    lines = doc.text[:block_end].split("\n")
    # a letterhead's contact and head lines ("Tel: 01709 336009", "Headteacher: Mr Adrian Kellett") are its own
    body = [line for line in lines if not _LETTERHEAD_CONTACT.match(line)]
    if len(lines) > 7 or any(len(line.split()) > 16 or re.search(r"[:?!]|\.\s|\.$", line) for line in body):
        return False
    if any(re.match(r"(?i)\s*(?:mr|mrs|ms|miss|mx|dr)\.?\s", line) for line in body):
        return False
    if re.match(r"(?i)\s*(?:\d|flat\b|apartment\b|unit\b|room\b|c/o\b)", lines[0]):
        return False  # the letter opens with the addressee's address
    # The sender: an organisation's name first, or a block followed by the addressee's ("Mr …", "The Director").
    return bool(ORGANISATION_LINE.search(lines[0])) or bool(_ADDRESSEE.match(doc.text, block_end + 2))
