"""Email addresses and UK phone numbers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from govai.pii import gazetteer
from govai.pii.context import (
    ORGANISATION_LINE,
    POSTCODE_SHAPE,
    firm_footer,
    in_letterhead,
    nearest_cue_before,
    organisation_address,
    proximity_boost,
)
from govai.pii.entities import Entity
from govai.pii.registry import TextDoc, pii_recognisers

_EMAIL = re.compile(
    r"(?<![\w.+\-@])(?P<v>[A-Za-z0-9](?:[A-Za-z0-9._%+'\-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24})(?![\w\-])"
)

# Shared mailboxes of organisations: not a person's data.
ROLE_MAILBOXES = frozenset(
    """accounts admin admissions advice appeals applications benefits billing bookings careers casework
    claims clerk complaints contact contactus counciltax council customer customers customerservice
    customerservices data dataprotection donotreply dpo elections enquiries enquiry enforcement
    environmental estates events feedback finance foi general hello help helpdesk housing hr info
    information invoices it jobs legal licensing mail marketing media newsletter noreply no-reply
    notifications office orders parking payments payroll planning post postmaster press privacy
    procurement rates receipts reception recruitment registrar registry revenues safeguarding sales
    schools secretary security service services social support tax team tenancy test webmaster
    welcome waste tax council-tax business rates referrals referral repairs lettings allocations tenancy tenancies
    intake duty triage bookings appointments attendance fleet dispatch operations ops warehouse wellbeing pastoral
    studentsupport transport logistics correspondence socialvisits visits visiting rota onboarding""".split()
)


_ROLE_STEMS = ("council", "enquir", "benefit", "housing", "revenue", "parking", "service", "support", "contact",
               "admin", "office", "payment", "finance", "customer", "complain", "licens", "planning",
               "feedback", "helpdesk", "helpline", "claim", "reception", "noreply", "webmaster", "postmaster", "safeguard", "recruit",
               "careers", "admission", "election", "registr", "queries", "department", "general", "team")


_FREEMAIL = frozenset("""gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk live.com live.co.uk msn.com
    yahoo.com yahoo.co.uk icloud.com me.com aol.com btinternet.com sky.com virginmedia.com talktalk.net protonmail.com
    proton.me gmx.com mail.com wp.pl o2.pl onet.pl interia.pl""".split())
# Public bodies' domains: their single-word mailboxes belong to a team ("allocations@", "yot@").
_PUBLIC_DOMAINS = (".gov.uk", ".nhs.uk", ".nhs.net", ".police.uk", ".sch.uk", ".ac.uk", ".mod.uk", ".parliament.uk",
                   ".gov.scot", ".gov.wales", ".llyw.cymru", ".mil.uk")


def _personal_word(word: str) -> bool:
    """A name, an initial or two glued to a surname ("jsmith", "akhan"), or a first name glued to a surname."""
    if any(gazetteer.is_core_name(w) or gazetteer.is_name_word(w) for w in (word, word[1:], word[2:]) if len(w) >= 3):
        return True
    return any(gazetteer.is_first_name(word[:i]) and gazetteer.is_surname(word[i:]) for i in range(2, len(word) - 1))


def is_role_mailbox(local: str, domain: str = "") -> bool:
    """A shared mailbox: role words only ("council.tax"), a role stem with no name ("healthystartclaims"),
    ordinary words with no name in them ("consumer.queries"), or one word that is no name at a public body."""
    letters = re.sub(r"\d", "", local.lower())
    parts = [p for p in re.split(r"[._\-+]", letters) if p]
    if not parts:
        return False
    if all(p in ROLE_MAILBOXES for p in parts):
        return True
    public = ("." + domain.lower()).endswith(_PUBLIC_DOMAINS)
    if public and (parts[0] in ROLE_MAILBOXES or not any(_personal_word(p) for p in parts if len(p) > 1)):
        return True  # "allocations@…gov.uk", "ukvi.correspondence@homeoffice.gov.uk": no name in it
    if domain.lower() in _FREEMAIL:
        return False  # "sunflower.garden88@outlook.com": a person chose those words
    if any(gazetteer.is_core_name(p) or gazetteer.is_name_word(p) for p in parts):
        return False
    if any(stem in letters for stem in _ROLE_STEMS):
        return True
    return len(parts) > 1 and all(gazetteer.is_english_word(p) for p in parts)


class EmailRecogniser:
    name = "email"
    labels = ("EMAIL",)
    order = 5

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]:
        out = []
        for m in _EMAIL.finditer(doc.text):
            local, domain = m.group("v").split("@", 1)
            if is_role_mailbox(local, domain):
                continue
            out.append(Entity(m.start("v"), m.end("v"), "EMAIL", 0.95, self.name, ("syntax",)))
        return out


@pii_recognisers.register("email")
def email(options: dict[str, Any]) -> EmailRecogniser:
    return EmailRecogniser()


# +44 / 0044 / 0, then digits in groups; "(0113) 496 0123" and "+44 (0)113 ..." too.
_PHONE = re.compile(
    r"(?<![\w+])(?P<v>(?:\+44|0044)[ \-]?(?:\(0\)[ \-]?)?\(?\d(?:[ \-\)]{0,2}\d){8,9}|\(?0\d(?:[ \-\)]{0,2}\d){8,9})(?!\d)"
)
# A landline typed with a digit too many ("Tel: 01274 496 0157"): read only right after a phone cue.
_PHONE_TOO_LONG = re.compile(r"(?<![\w+])(?P<v>\(?01\d(?:[ \-\)]{0,2}\d){9})(?!\d)")
_PHONE_CUES = ("tel", "telephone", "phone", "mobile", "mob", "call", "ring", "text", "contact", "number", "m", "t",
               "landline", "whatsapp")
_SERVICE_CUES = ("helpline", "freephone", "switchboard", "textphone", "relay uk", "opening hours")
# How a letter or a notice gives its own number: "please ring", "call us on", "Info: … or", "I tried ringing".
_ORGANISATION_LINE_BEFORE = re.compile(
    r"(?:please[ \t]+(?:ring|call|phone|contact|telephone)(?![ \t]+(?:me|my|him|her|mum|dad|mr|mrs|ms|miss|dr)\b)|(?:ring|call|phone|contact)[ \t]+(?:us|the office|the team|"
    r"reception|the surgery|the school|the practice|the ward)|info:|enquiries:|tried ringing|tried calling|"
    r"if anything changes[, ]+(?:ring|call)|to (?:accept|rearrange|cancel|book|change|confirm)[^.\n]{0,30}(?:ring|call)|"
    r"(?:call|ring|phone|contact)[ \t]+the[ \t]+[a-z ]{0,20}(?:line|office|team|desk|surgery|school|ward|unit|reception)|"
    r"(?:call|ring|contact)[ \t]+the[ \t]+[a-z ]{0,20}(?:hub|centre|helpdesk|service)|enquiries to|out of hours|"
    r"website or (?:call|ring|phone)|"
    r"give us a (?:ring|call)|the (?:main )?office|\bour office|\bour number|duty (?:line|phone|number|desk)|"
    r"\boffice (?:line|number|phone|tel)|\b(?:office|info|admin|enquiries|reception|contact|hello)@[\w.\-]+[ \t]+or|"
    r"appointments?(?: line)?:|report absences|pager|switchboard|agency:|"
    # "Call 0161 496 0000 or use the NHS App", "any questions ring …", "the school number …",
    # "Contact Cardiff Council housing options on …": a notice's or an office's number
    r"(?:^|[.!?][ \t]+)(?:call|ring|phone)(?:[ \t]+(?:us|now|today))?(?:[ \t]+on)?[ \t]*$|"
    r"(?:any|with any)[ \t]+(?:questions|queries)[ \t,]*(?:please[ \t]+)?(?:ring|call|phone)(?![ \t]+(?:me|my)\b)|"
    r"(?:the|our)[ \t]+(?:school|office|main|surgery|practice|council|team|ward|reception)[ \t]+(?:phone[ \t]+)?number|"
    r"(?:contact|ring|call|phone)[ \t]+(?:the[ \t]+)?(?:[\w'’]+[ \t]+){0,3}(?:council|surgery|helpline|"
    r"team|hub|services?|options|centre|unit|department|bank|manse|nursery|pharmacy|clinic|library)\b)[^\n]{0,40}$")
# A landline at the end of a line that names the organisation it belongs to ("Referrer: Daniel, Brighton Advice
# Centre, 01273 665 900", "Dr Bhatt & Partners, 0191 565 8844"), or a switchboard with an extension after it.
_FIRM_BEFORE = re.compile(r"(?:[,:–]|^)[ \t]*(?:[A-Z&][\w'&.-]*[ \t]+){0,4}(?:Advice|Centre|Center|Partners|Homes|Associates|"
                          r"Surgery|Depot|Constabulary|Police|"
                          r"Trust|Council|Practice|Services?|Solicitors|Ltd|Limited|LLP|Clinic|Hospital|School|"
                          r"Academy|College|Agency|Charity|Foundation|Housing|Alliance|Group|Consultants|Accountants|"
                          r"Lettings|Agents|Taxis|Cabs|Nursery|Pharmacy|Garage|Motors|Bookkeeping|Accounts|Moves|Logistics|"
                          r"Association|Solutions|Staffing|Meddygfa['’\w]*)[ \t]*[,:·/(|]?[ \t]*"
                          r"(?:(?:[Tt]el|[Oo]ffice|[Ss]witchboard|24 ?hrs?|24/7)\.?[ \t]*)?$", re.MULTILINE)
# A reference or an account that happens to have a phone number's shape.
_REFERENCE_BEFORE = re.compile(r"\b(?:ref|reference|crime ref|job (?:number|no\.?)|account (?:number|no\.?))"
                               r"[ \t:.#]*(?:is[ \t]+)?$")
# A landline named for the place or desk that answers it, right before the number.
_PLACE_LINE_BEFORE = re.compile(
    r"\b(?:practice|school|surgery|ward|court|clinic|hospital|reception|bookings|agency|lost property|control room|"
    r"on[ \t\-]call|crisis line|(?:rent|repairs|main|booking|enquiry|enquiries|advice|help|support|customer|duty) line)"
    r"(?:[ \t]+(?:tel|telephone|phone|number|no\.?))?[ \t:,\-–(]*(?:is[ \t]+|on[ \t]+|via[ \t]+)?$|"
    # "I rang 01865 …", "been ringing 0191 … all morning": a citizen who rang a number rang an office
    r"\b(?:rang|rung|phoned|been ringing|been calling)[ \t]+$")
_ME_BEFORE = re.compile(r"\b(?:me|my)\b")
# "Duty phone: 07700 …", "on-call mobile": a handset passed from shift to shift belongs to the service.
_SHARED_MOBILE_BEFORE = re.compile(r"\b(?:duty|on[ \-]call)[ \t]+(?:phone|mobile|line|number)[ \t:]*(?:is[ \t]+|on[ \t]+)?$")
_EXTENSION_AFTER = re.compile(r"[ \t]*,?[ \t]*(?:ext|extension|x)\.?[ \t]*\d{2,5}\b", re.I)


_STAFF_ROLE = re.compile(r"(?i)\b(?:officer|manager|worker|coach|adviser|advisor|nurse|doctor|dr|clerk|assistant|"
                         r"coordinator|co-ordinator|lead|head|director|partner|solicitor)\b")


def _under_organisation(doc: TextDoc, start: int) -> bool:
    """A landline alone on a signature's line, under (or beside) the organisation's name ("Cole Wray Solicitors /
    01224 588 300", "Housing Officer – …@harrow.gov.uk – 020 8416 8200")."""
    line_start = doc.line_start(start)
    if line_start == 0 or doc.text[line_start:start].strip():
        return False  # only a number alone on its line
    previous = doc.text[doc.line_start(line_start - 1) : line_start - 1]
    # The firm's name above it, not a person's role ("Housing Needs Officer" is someone's direct line).
    return bool(ORGANISATION_LINE.search(previous)) and len(previous.split()) <= 6 and not _STAFF_ROLE.search(previous)


def national_digits(value: str) -> str:
    """The number as dialled inside the UK: 0 followed by 9 or 10 digits."""
    digits = re.sub(r"\D", "", value)
    if digits.startswith("0044"):
        digits = digits[4:]
    elif digits.startswith("44") and value.lstrip().startswith("+"):
        digits = digits[2:]
    if digits.startswith("0"):
        digits = digits[1:]
    return "0" + digits


def phone_score(number: str) -> float:
    if len(number) not in (10, 11) or number[1] not in "123578":
        return 0.0
    if number[1] in "237" and len(number) != 11:
        return 0.0  # 02, 03 and 07 numbers always have eleven digits
    if number.startswith("07") and (len(number) != 11 or number.startswith("070") or number.startswith("076")):
        # 070 personal numbers and 076 pagers are not mobiles; still phone-shaped.
        return 0.6 if len(number) == 11 else 0.0
    if number.startswith(("08", "03", "09")):
        return 0.35  # non-geographic: an organisation's line, not a person's
    if number.startswith(("01", "02")) and len(number) in (10, 11):
        return 0.85
    return 0.85 if len(number) == 11 else 0.0


class PhoneRecogniser:
    name = "phone_uk"
    labels = ("PHONE_UK",)
    order = 5

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]:
        out = []
        for m in (*_PHONE.finditer(doc.text), *_PHONE_TOO_LONG.finditer(doc.text)):
            start, end = m.span("v")
            text = doc.text[start:end]
            if text.startswith("(") and ")" not in text:
                start, text = start + 1, text[1:]
            text = text.rstrip(" -)")
            end = start + len(text)
            if re.search(r"\d[ \-]?$", doc.text[max(0, start - 2) : start]):
                continue  # the tail of a longer digit run (an account, an IBAN)
            digits = national_digits(text)
            score = phone_score(digits)
            cue = nearest_cue_before(doc, start, _PHONE_CUES, 40)
            if len(digits) == 12 and cue is not None and cue.distance <= 12:
                score = 0.5  # a landline typed with a digit too many, right after "Tel:", is still someone's number
            if score <= 0:
                continue
            score += proximity_boost(cue, 0.1, 40)
            if _REFERENCE_BEFORE.search(doc.lower, max(doc.line_start(start), start - 30), start):
                score -= 0.5  # "the reference 0151 337 4402 – that's their account number": phone-shaped, not a phone
            if nearest_cue_before(doc, start, _SERVICE_CUES, 60) is not None:
                score -= 0.5 if text.startswith(("01", "02")) else 0.3
            elif (not text.lstrip("+(").startswith(("07", "447", "44 7")) and self._office_line(doc, start, end)) or \
                    _SHARED_MOBILE_BEFORE.search(doc.lower, max(doc.line_start(start), start - 30), start):
                score -= 0.45  # "If you cannot attend please ring 0191 …", a signature's firm: the office's line
            out.append(Entity(start, end, "PHONE_UK", min(score, 1.0), self.name, ("uk_numbering",)))
        return out


    @staticmethod
    def _office_line(doc: TextDoc, start: int, end: int) -> bool:
        line_start = doc.line_start(start)
        if _ORGANISATION_LINE_BEFORE.search(doc.lower, max(line_start, start - 60), start) or _under_organisation(doc, start):
            return True
        if in_letterhead(doc, start):
            return True
        if _EXTENSION_AFTER.match(doc.text, end) and not _ME_BEFORE.search(doc.lower, max(line_start, start - 40), start):
            return True  # a switchboard and an extension, unless it is "ring me on …, extension 213"
        if line_start > 1 and re.match(r"[ \t]*(?:t|tel|telephone|phone|ph|ffôn)\b", doc.lower[line_start:start]) and \
                organisation_address(doc, line_start - 2):
            return True  # "T: 0116 496 0321" under "Unit 4, Belgrave Business Centre, 45 Frederick Street, …"
        if re.search(r"\b(?:office|switchboard|reception)[ \t:]*$", doc.lower[max(line_start, start - 12) : start]):
            return True  # "Bengal Care Services Ltd, office 020 7946 0000"
        if _PLACE_LINE_BEFORE.search(doc.lower, max(line_start, start - 40), start):
            return True  # "Practice tel: 0121 …", "Ward phone 01752 …", "or the agency 0113 …": a place's number
        before = doc.text[line_start:start]
        if re.search(r"\bDX[ \t]+\d", before):
            return True  # "DX 14382 Manchester 1 | 0161 …": a solicitor's document exchange, so the firm's line
        postcode = POSTCODE_SHAPE.search(before)
        if postcode and (organisation_address(doc, line_start + postcode.start()) or
                         firm_footer(doc, line_start + postcode.start())):
            return True  # "Fletcher Accounts | 12 Bridge Street, Leek ST13 5NB | 01538 …": after the firm's address
        rest = doc.text[end : doc.line_end(start)].strip(" .)")
        at_line_end = not rest or rest.startswith("|")  # "… Chartered Accountants | 0161 832 7700 | mob 07403 …"
        return at_line_end and bool(_FIRM_BEFORE.search(doc.text, max(line_start, start - 80), start))


@pii_recognisers.register("phone_uk")
def phone_uk(options: dict[str, Any]) -> PhoneRecogniser:
    return PhoneRecogniser()
