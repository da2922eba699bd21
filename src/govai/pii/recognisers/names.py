"""Names of people: word runs scored on UK name lists, titles, ranks, context and a NER model.

Evidence adds up: a known first name followed by a known surname is strong on
its own; anything less needs a title or rank ("Mrs", "PC 1234"), a label
("Patient:"), a phrase ("my name is", "my son", "Hi"), a speaker position in a
transcript or chat ("Priya: hello"), an answer to "what's your name?", a
sign-off ("Thanks, priya"), a place in a list of names, or the NER model's
agreement. Names in lower case are read the same way, from the lists and the
context only (the model does not know lower-case names). Organisations and
places named after people ("Sainsbury's", "St Thomas' Hospital", "Victoria
Station") count against. Once a name is found, later mentions of its parts are
names too.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from govai.pii import gazetteer, name_model
from govai.pii.context import answer_line_question, reply_to, speaker_label_end
from govai.pii.entities import Entity
from govai.pii.ner import DEFAULT_MODEL
from govai.pii.recognisers.contact import is_role_mailbox
from govai.pii.registry import ModelAnswer, ModelRequest, Steps, TextDoc, pii_recognisers, run_steps

# Word lists in govai/pii/data/ (each file's header says what it holds).
TITLES = gazetteer.word_list("titles")
STOP = gazetteer.word_list("name_stop_words")  # capitalised, but never part of a name
ORG_WORDS = gazetteer.word_list("organisation_words")  # a run ending in one is an organisation
ORG_NAMES = frozenset(gazetteer.key(p) for p in gazetteer.phrase_list("organisation_names"))
PUBLIC_FIGURES = frozenset(gazetteer.key(p) for p in gazetteer.phrase_list("public_figures"))
PLACES = gazetteer.word_list("places")
CORE_FIRST_NAMES = gazetteer.word_list("first_names")
CORE_SURNAMES = gazetteer.word_list("surnames")  # the hand-written UK list: "Hall", "Ward", "Park" are people too
LABEL_WORDS = gazetteer.phrase_list("name_labels")  # "Patient:", "Prepared by:"
STRONG_CUES = gazetteer.phrase_list("name_cues_strong")  # "my name is", "Dear"
WEAK_CUES = gazetteer.phrase_list("name_cues_weak")  # "to", "by"


def _ends_with_any(cues: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(sorted((re.escape(c) for c in cues), key=len, reverse=True))
    # "my son Tariq", "Mother is Máire", "known as \"Tommo\""
    return re.compile(r"(?:^|[^a-z0-9])(?:" + alternatives + r")(?:\s+(?:is|was|called|named))?\s*[,:]?\s*[\"'“‘]?$")


STRONG_RE = _ends_with_any(STRONG_CUES)
WEAK_RE = _ends_with_any(WEAK_CUES)
LABEL_RE = re.compile(
    r"(?:^|[^a-z0-9])(?:" + "|".join(sorted((re.escape(w) for w in LABEL_WORDS), key=len, reverse=True))
    + r")(?:\s*\([a-z ]+\))?\s*:\s*$"
)
ORG_LABEL_RE = re.compile(
    r"(?:place of birth|birthplace|country of birth|town of birth|born in|"
    r"company|school|organisation|organization|business|trading|employer|bank|council|court|practice|surgery|"
    r"firm|charity|supplier|landlord company|agency|college|nursery|academy|hospital|trust)(?: name)?\s*:\s*$"
)
LABEL_LINE_RE = re.compile(r"^[^:]{0,40}:\s*$")
# Police ranks with an optional collar number between rank and name ("PC 1234 Smith", "DS Khan").
RANK_RE = re.compile(
    r"(?:^|[^\w])(?:PC|PCSO|PSO|PS|DC|DS|DI|DCI|DSU|DCS|Det|Sgt|SGT|Insp|INSP|Ch Insp|Supt|Ch Supt|Det Sgt|Det Con|"
    r"Det Insp|T/Sgt|A/Sgt|T/Insp|A/Insp|Special|SC|Cst|Const|"
    r"HCA|NIC|RGN|RMN|OM|WM|CM|SM|"  # a care assistant, nurse in charge, offender manager, fire watch/crew manager
    r"OSG|"  # a prison's operational support grade
    r"Constable|Sergeant|Inspector|Detective Constable|Detective Sergeant|Detective Inspector|Superintendent)"
    r"\.?[ \t]*(?:[A-Z]{0,2}\d{2,6}[A-Z]{0,3}[ \t]+)?$"  # "PC 1234 Smith", "PC 227EK Nwosu"
)
# Saints and royalty name places and organisations, not people ("St Thomas'", "Queen Elizabeth Hospital").
SAINT_RE = re.compile(r"(?:^|[^\w])(?:St|St\.|Saint|Ste|King|Queen|Prince|Princess|Royal)[ \t]+$")
OF_PLACE_BEFORE = re.compile(
    r"(?:^|[^\w])(?:Isle|University|Bank|Mayor|City|Port|Duke|Duchess|Earl|Vale|Forest|Kingdom|Republic|Museum|"
    r"College|Church|Borough|County|District|Council|Institute|Bay|Firth|Lord|Lady|Archbishop|Bishop|Department|"
    r"Ministry|Secretary|Chancellor|Governor|State|Province|Isles|Sound|Kyle|Loch|Mount)[ \t]+of[ \t]+(?:the[ \t]+)?$"
)

SIGN_OFF = re.compile(
    r"(?i)^\s*(?:best wishes|best regards|kind regards|warm regards|many thanks|thanks|thank you|regards|cheers|"
    r"yours sincerely|yours faithfully|yours truly|yours|best|all the best|with thanks|love|cofion|diolch|"
    r"take care|sincerely|speak soon|ta|thanks again|thanks so much|x+|thx|bw|kr)\s*[,.!]?\s*(?:x+)?\s*$"
)
SIGN_OFF_INLINE = re.compile(
    r"(?i)(?:^|[\s,.!])(?:thanks|thank you|cheers|ta|regards|best wishes|many thanks|love|x+|thx)\s*[,!.]?[ \t]+$"
)
POST_ROLE = re.compile(
    r"(?i)^\s*(?:\((?:claimant|defendant|son|daughter|partner|sister|brother|mother|father|applicant|respondent|"
    r"tenant|landlord|wife|husband|child|appellant|witness|carer|guardian|work coach|caseworker|mum|dad|parent|"
    r"[a-z ]{0,20}(?:officer|teacher|worker|manager|adviser|advisor|handler|lead|coach|nurse|gp|interpreter|"
    r"social worker|solicitor|doctor|senco|head of year))\)|<[^>@\s]+@|,[ \t]*(?:[A-Za-z]+[ \t]+){0,2}(?:director|gp|"
    r"case manager|caseworker|work coach|teacher|manager|officer|solicitor|secretary|head ?teacher|senco|dsl|"
    r"social worker|nurse|consultant|clerk|adviser|advisor|psychologist|therapist|practitioner|midwife|paramedic|"
    r"co-?ordinator|keyworker|key worker|navigator|visitor)\b)"
)
# Words after a name that say a person did something ("Tariq said", "Kai returned home").
VERB_AFTER = re.compile(
    r"^(?:'s|’s)?[ \t]+(?:said|says|spoke|speaks|met|visited|went|goes|told|tells|asked|asks|rang|rings|called|calls|phoned|texted|emailed|wrote|"
    r"came|comes|attended|arrived|returned|left|lives|lived|works|worked|stays|stayed|wants|wanted|needs|needed|"
    r"reported|reports|disclosed|stated|states|confirmed|explained|agreed|refused|admitted|denied|is|was|has|had|"
    r"will|would|can|could|did|does|didn't|doesn't|isn't|wasn't|hasn't|and I|and me)\b"
)
# How a call handler gives their name ("Repairs line, Tamsin speaking", "Dafydd here").
SPEAKING_AFTER = re.compile(r"^[ \t]+(?:speaking|here)\b(?![ \t]+(?:is|are|was|in|at|on|to|for|of|and)\b)")
# A nickname in quotes where people are described ("Associate \"Tommo\" drives", "called \"Gaz\".").
QUOTE_OPEN = re.compile(r"[\"“][ \t]*$")
QUOTE_CLOSE = re.compile(r"^[ \t]*[\"”]")
QUOTED_PERSON_BEFORE = re.compile(
    r"(?i)\b(?:associate|associates|perp|suspect|offender|male|female|man|woman|lad|boy|girl|friend|mate|brother|"
    r"sister|cousin|partner|boyfriend|girlfriend|nickname|nicknamed|called|known as|know as|knew as|aka|alias|named|that|name)"
    r"[ \t:,]*[\"“]$")
QUOTED_PERSON_AFTER = re.compile(r"^[\"”][ \t]*(?:,[ \t]*(?:possibly|probably|believed|real name|aka|who)\b|\([^)]{0,40}\))")
# "jordan's mum", "Simran's dad": whose mum is a person's.
POSSESSIVE_KIN_AFTER = re.compile(
    r"^['’]s[ \t]+(?:mum|mam|mom|dad|mother|father|son|daughter|brother|sister|wife|husband|partner|nan|nana|gran|"
    r"grandma|grandad|aunt|auntie|uncle|cousin|boyfriend|girlfriend|carer|teacher|kids|children|baby|stepdad|"
    r"stepmum|fiance|fiancee)\b", re.IGNORECASE)
_HEADER_BEFORE = re.compile(r"(?im)^[ \t]*(?:from|to|cc|bcc|reply-to|sender)[ \t]*:[ \t]*$")
_MAILBOX_AFTER = re.compile(r"^[ \t]*<([^@>\s]+)@([^>\s]+)>")
_PRONOUN_AFTER = re.compile(r"^[ \t]+(?:anyone|anybody|someone|somebody|you|we|they|he|she|it|i|there|everyone|"
                            r"this|that|these|those)\b", re.IGNORECASE)
_PAREN_KIN = re.compile(r"^[ \t]+(?:mum|mam|mom|dad|nan|gran)\)", re.IGNORECASE)  # "its kayleigh (mason mum)"
# "the Kowalski family", "the Begum household": a surname naming a family.
FAMILY_AFTER = re.compile(r"^[ \t]+(?:family|families|household|twins|brothers|sisters|siblings|boy|girl|lad|lass|"
                          r"kid|boys|girls|lads|kids)\b")
PUBLIC_ROLE_AFTER = re.compile(r"^(?:['’]s)?,?[ \t]+(?:MP|MSP|MS|MLA|MEP)\b|^[ \t]*\((?:MP|MSP|MS|MLA)\)")
PET_BEFORE = re.compile(
    r"(?i)\b(?:dog|cat|puppy|pup|kitten|spaniel|terrier|labrador|lab|collie|staffy|staffie|cocker|pug|husky|poodle|"
    r"greyhound|lurcher|pony|horse|rabbit|bunny|hamster|parrot|budgie|tortoise|pet)[ \t,(]+(?:called[ \t]+|named[ \t]+)?"
    r"(?:(?:mr|mrs|miss)\.?[ \t]+)?$|\b(?:owner|owners)[ \t]+of[ \t]+$")  # "our cat Mr Whiskers", "owner of Luna"
_SPECIES = (r"dog|cat|puppy|pup|kitten|spaniel|terrier|labrador|lab|collie|staffy|staffie|cocker|pug|husky|poodle|"
            r"greyhound|lurcher|pony|horse|rabbit|bunny|hamster|guinea[ \t]+pig|parrot|budgie|tortoise|ferret|"
            r"retriever|shepherd|alsatian|beagle|dachshund|chihuahua|cockapoo|cavapoo|labradoodle|rottweiler|"
            r"bulldog|whippet|jack[ \t]+russell|shih[ \t]+tzu|cockatiel|gerbil|snake|gecko|dsh|dlh|moggy")
# "Bella, Labrador 2y F", "Winston (rabbit)", "Bella the dog": a pet, named before what it is.
PET_AFTER = re.compile(r"(?i)^[ \t]*(?:[,(–-][ \t]*|the[ \t]+)(?:an?[ \t]+)?(?:\d+[ \t]*(?:y|yo|yrs?|years?|m|mo|months?)\b"
                       r"(?:[ \t]+old)?[ \t,]*)?(?:[a-z]+[ \t]+){0,2}?(?:" + _SPECIES + r")s?\b")
# "Kennel 1 – Bella", "Cage 6 – Winston": a vet's or a rescue's handover names its animals by their pens.
PET_SLOT_BEFORE = re.compile(r"(?i)(?:\b(?:kennel|cage|hutch|stable|pen|cattery|run)[ \t]*\d{1,3}[a-z]?|"
                             r"\b(?:cat|dog|exotics?|rabbit)[ \t]+ward)[ \t]*[–:\-][ \t]*(?:(?:mr|mrs|miss)\.?[ \t]+)?$")
# A service's chatbot or virtual assistant, named before or after what it is.
_BOT_BEFORE = re.compile(r"(?i)\b(?:online|virtual|digital|web[ \t]?chat|ai)[ \t]+(?:assistant|agent|helper)[ \t,:]*[\"“]?$")
_BOT_AFTER = re.compile(r"(?i)^[\"”]?[ \t]*[,(]?[ \t]*(?:the[ \t]+|your[ \t]+|our[ \t]+)?(?:new[ \t]+)?(?:web[ \t]?chat[ \t]*bot|"
                        r"chat[ \t]?bot|bot|virtual[ \t]+assistant|online[ \t]+assistant)\b")
# "a white Corsa", "grey Astra", "black Mercedes": a colour before a capitalised word is a car or a brand.
COLOUR_BEFORE = re.compile(r"\b(?:black|white|silver|grey|gray|red|blue|green|yellow|orange|purple|gold|maroon|"
                           r"navy|dark|light)[ \t]+$", re.IGNORECASE)
CAR_MAKE_BEFORE = re.compile(
    r"\b(?:Seat|SEAT|Ford|Vauxhall|Kia|Hyundai|Skoda|Toyota|Nissan|Honda|Mazda|Peugeot|Renault|Citroen|Citroën|Fiat|"
    r"Audi|BMW|Mercedes|Merc|VW|Volkswagen|Volvo|Mini|Tesla|Jaguar|Lexus|Suzuki|Dacia|MG|Cupra)[ \t]+$")
WELSH_ORG_BEFORE = re.compile(r"\b(?:Ysgol|Capel|Eglwys|Canolfan|Prifysgol|Coleg|Clwb|Cymdeithas|Gwesty|Cyngor Sir|"
                              r"Masjid|Jamia|Gurdwara|Mandir|Ysbyty|Llys|Comhairle nan|Comhairle na)[ \t]+(?:Gymraeg[ \t]+)?$")
_FIELD_END = re.compile(r"[ \t]*(?:$|[ \t]{2,}|\t|[|;])", re.MULTILINE)
AGE_AFTER = re.compile(r"^[ \t]*\((?:\d{1,3}|[yY]\d{1,2}|year \d{1,2}|aged \d{1,3}|b\. [^)]{4,12})\)"
                       r"|^[ \t]+\d{1,2}(?=[ \t]*[,)]|[ \t]+and\b)")
POSSESSIVE_AFTER = re.compile(r"['’]s[ \t]+[a-z]")
VOCATIVE_BEFORE = re.compile(r"\w,[ \t]+$")
VOCATIVE_AFTER = re.compile(r"^[ \t]*(?:[?!]|\.[ \t]*$)")
# A capitalised word between lower-case words is a proper noun ("ask Will or Grace in Finance").
MID_SENTENCE_BEFORE = re.compile(r"[a-z][a-z,]*[ \t]+$")
MID_SENTENCE_AFTER = re.compile(r"(?:['’]s)?(?:[ \t]+[a-z]|[ \t]*[,.;:!?)]|[ \t]*$)")
LOWER_TITLE = re.compile(r"(?:^|[^a-z])(?:mr|mrs|ms|miss|mx|dr)\.?[ \t]+$")
LIST_ITEM = re.compile(r"[ \t]*(?:[-•*·–]|\d{1,3}[.)]|\(?[a-z][.)])?[ \t]*")
LIST_TITLE = re.compile(r"(?:mr|mrs|ms|miss|mx|dr|prof)\.?[ \t]+")
_CELL_OPENS = re.compile(r"(?:^|[|;]|:|(?<!\d)\d{1,2}[.)])[ \t]*$")
_CELL_CLOSES = re.compile(r"[ \t]*(?:[|;&]|$)|[ \t]{2,}", re.M)
_NUMBERED_ITEMS = re.compile(r"(?:^|[ \t])\d{1,2}[.)][ \t]+[A-Z]")
_CELL_SEPARATORS = re.compile(r"[|;]")
LIST_TAIL = re.compile(r"[ \t]*(?:$|[-–—(:,;/|]|\s[-–—]\s|x+$)")

_PARTICLES = gazetteer.word_list("name_particles")  # "Hywel ap Rhys", "Ludwig van Beethoven"
# After a particle: more particles, then a capital ("van der Meer", "de la Cruz").
_PARTICLES_THEN_CAPITAL = re.compile(
    r"(?:[ \t]+(?:" + "|".join(sorted((re.escape(p) for p in _PARTICLES), key=len, reverse=True)) + r"))*[ \t]+[A-Z]")
_GLUED_PARTICLE = re.compile(r"(?:al|el|ul|bin|ben|abu|bint)-[A-Z][^\W\d_]+")
_NEXT_WORDS = re.compile(r"(?:[ \t]+[\w'’&\-]+){1,2}")
# A form's surname or name field right before a value in capitals.
_NAME_FIELD_BEFORE = re.compile(r"(?m)(?:^|[ \t]{2,}|\|)[ \t]*(?:\d+\.[ \t]*)?(?:surname|family name|last name|surname at birth|"
                                r"previous surname|forenames?|first names?|full name|name)[ \t]*(?::|\.{2,})[ \t]*$")
# An elected member's seat: "the MLA for Foyle", "MP for Bolton West", "councillor for Heaton ward".
_SEAT_BEFORE = re.compile(r"\b(?:mp|mps|mla|mlas|msp|msps|ms|mss|mep|mayor|cllr|councillor|councillors|member)[ \t]+"
                          r"(?:for|of)[ \t]+(?:the[ \t]+)?$")
# What names a firm or a product after it: "solicitor Gill from …", "undertakers (…)", "trading as …", "Make/model:".
_FIRM_OR_PRODUCT_BEFORE = re.compile(
    r"\b(?:solicitors?|undertakers|funeral directors?|estate agents?|letting agents?)\b[^.\n;]{0,40}?"
    r"(?:\bfrom|\bof|\bat|\bwith|\()[ \t]*$|\b(?:trading|trades)[ \t]+as[ \t]+$|\bt/a[ \t]+$|"
    r"\b(?:make|model|make/model|make and model)[ \t]*:[ \t]*$")
_STREET_ABBREVIATIONS = frozenset("St St. Rd Rd. Ave Ave. Ln Cres Gdns Tce Sq".split())
# An exhibit's number after an officer's initials: "TR/1", "OB/1".
_EXHIBIT_AFTER = re.compile(r"/\d{1,3}\b")
# A prison number (a letter, four digits, two letters) right after a name: a wing list or a custody note.
_PRISON_NUMBER_AFTER = re.compile(r"[ \t]+[A-Z]\d{4}[A-Z]{2}\b")
# A word after a lone first name that makes the two a club's, a place's or a service's name.
_PLACE_WORD_AFTER = re.compile(
    r"[ \t]+(?:Athletic|Community|Customer|Bay|Class|FC|AFC|JFC|United|Rovers|Wanderers|Academy|Primary|Unit|Centre|"
    r"Center|Hall|Larder|Foodbank|Hospital|Surgery|Practice|Library|Church|Chapel|Mosque|Masjid|Gurdwara|Temple|"
    r"Circus|Station|Estate|Pavilion|Lodge|Suite|Wing)\b")
_MONTH_NAMES = frozenset("may june jun april august".split())
_PERSONAL_TITLES = frozenset("mr mrs ms miss mx dr".split())
_CARE_HOME_AFTER = re.compile(r"[ \t]+(?:Care|Nursing|Residential)[ \t]+(?:Home|Centre|Village)\b")
# The phonetic alphabet that police and ambulance call signs are spelt in.
_PHONETIC_ALPHABET = frozenset("alpha alfa bravo charlie delta echo foxtrot golf hotel india juliet juliett kilo lima "
                               "mike november oscar papa quebec romeo sierra tango uniform victor whiskey whisky "
                               "x-ray xray yankee zulu".split())
_PHONETIC_NAMES = frozenset("charlie mike oscar romeo victor juliet juliett india november".split())
_CALL_SIGN_NUMBER = re.compile(r"[ \t]+\d{1,3}(?:-\d{1,2})?\b(?![/:.]\d)")
_CALL_SIGN_CUE = re.compile(r"(?i)\b(?:call[ \t]?sign|unit|control|patrol)[ \t:]*(?:from[ \t]+)?$")
# Vietnamese family names, written first: the given names after them ("Thu", "Ha", "Van", "Long") stay with them.
_VIETNAMESE_SURNAMES = frozenset("nguyen tran le pham hoang huynh phan vu vo dang bui ngo duong trinh dinh truong "
                                 "luong".split())
# What a Vietnamese name opens with: the family name, or "Thi", the middle name of most women's names ("Thi Thu Hà").
_VIETNAMESE_LEADS = _VIETNAMESE_SURNAMES | {"thi"}
# Benefits and units that are also first names, typed in lower case far more often as the benefit or the unit.
_LOWER_ABBREVIATIONS = frozenset("pip esa min mins".split())
# What puts a month before it: a day ("3rd", "the fourth of"), or a time word ("in April", "since June").
_MONTH_BEFORE = re.compile(
    r"(?:(?:\d(?:st|nd|rd|th)?|\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth))"
    r"(?:[ \t]+of)?|\b(?:in|since|until|till|during|early|late|mid|last|next|this|end of|start of|beginning of|"
    r"from|by|before|after|around|for))"
    r"[ \t]+$", re.IGNORECASE)
_ALL_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# "for August and September", "April to June": a month beside another month.
_MONTH_PAIR_AFTER = re.compile(r"[ \t]+(?:and|or|to|till|until|through|-|–)[ \t]+(?:" + _ALL_MONTHS + r")\b", re.I)
_MONTH_PAIR_BEFORE = re.compile(r"\b(?:" + _ALL_MONTHS + r")[ \t]+(?:and|or|to|till|until|-|–)[ \t]+$", re.I)
_FIRM_AFTER = re.compile(
    r"[ \t]*&[ \t]*(?:Sons?|Partners|Co|Daughters|Associates)\b|[ \t]*&[ \t]*[A-Z][\w'’\-]+[ \t]+(?:" + "|".join(
        sorted((re.escape(w.capitalize()) for w in ORG_WORDS), key=len, reverse=True)) + r")\b")
_PLACE_BEFORE_OF = frozenset("hill bridge mount port kyle bay firth loch vale isle holm mull point water burn".split())
_NUMBERED_PLACES = frozenset(
    "ward bay room bed court unit block gate platform floor level zone pitch plot stand croft berth mooring lot resus "
    "cubicle majors minors theatre clinic pod caravan".split())
_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_OTHER_NER = {"ORG", "GPE", "FAC", "LOC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
# Words just after a run that make it a place or a building, not a person ("Victoria Station").
_PLACE_NEXT = frozenset(
    """station line park gardens square bridge hall room library museum gallery estate centre center stadium arena
    theatre theater road street lane avenue way close drive house court building wing ward suite unit block tower
    mosque church gurdwara temple chapel cathedral primary academy school college university hospital surgery
    ground fields field pub inn arms hotel market shopping wharf dock airport terminal walk crescent grove rise mews
    terrace parade project hub foodbank moor heath""".split()
)

# Compiled once here: these run for every candidate or every line.
_COMPANY_AFTER = re.compile(r"(?:[ \t]+[A-Z][\w&'’-]*){0,2}[ \t]+(?:Ltd|Limited|plc|PLC|LLP|CIC|Inc)\b")
_SPEAKER_COLON = re.compile(r"[ \t]*:[ \t]")
_NEXT_CAPITALISED = re.compile(r"[ \t]+[A-Z][\w'’\-]+")
_PREVIOUS_CAPITALISED = re.compile(r"[A-Z][\w'’\-]+[ \t]+$")
_FIELD_GAP = re.compile(r"[ \t]{2,}|\t|\|")
_BLANKS = re.compile(r"[ \t]+")
_HANDLE_SEPARATORS = re.compile(r"[._\-]")


def _labelled_field(line_before: str) -> bool:
    field = _FIELD_GAP.split(line_before)[-1].lstrip()
    return field != line_before.lstrip() and bool(LABEL_RE.search(field) and LABEL_LINE_RE.match(field))


_ELECTED_AFTER = re.compile(r",?[ \t]+(?:MP|MLA|MSP|MEP|MS)\b(?![\w-])")
_STREET_WORDS = frozenset("road street lane avenue drive crescent terrace grove".split())
# Text the NER model is given on either side of a name it is asked about, within its line. The model reads about
# four words either side (its CNN's reach); 48 characters hold them, and at 40, 60, 80 or 120 (the earlier setting)
# every developed-on set's errors were the same, at a fifth to a half less of the model's time.
NER_CONTEXT_CHARS = 48
# What keeps an everyday word in lower case as a name ("ask for will", "thanks, grace" signing off), besides a
# strong cue.
_NAMING_EVIDENCE = frozenset({"phrase", "sign_off", "closing_line", "closing_word"})


@lru_cache(maxsize=65536)
def _first(k: str) -> bool:
    return gazetteer.is_first_name(k)


@lru_cache(maxsize=65536)
def _last(k: str) -> bool:
    return gazetteer.is_surname(k)


@lru_cache(maxsize=65536)
def _common(k: str) -> bool:
    return k in gazetteer.common_words() or k in gazetteer.word_list("welsh_words")


@lru_cache(maxsize=65536)
def _english(k: str) -> bool:
    return gazetteer.is_english_word(k)


@dataclass
class Token:
    start: int
    end: int
    text: str
    key: str = field(init=False, repr=False)  # the word as the lists hold it; the rules ask for it often

    def __post_init__(self) -> None:
        self.key = gazetteer.key(self.text)


    @property
    def is_cap(self) -> bool:
        return self.text[0].isupper() and not self.text.isupper() or (len(self.text) == 1 and self.text.isupper())

    @property
    def is_upper(self) -> bool:
        return len(self.text) >= 2 and self.text.isupper()


@dataclass
class Candidate:
    tokens: list[Token]
    score: float = 0.0
    evidence: list[str] = field(default_factory=list)
    lower: bool = False  # found in lower case (the NER model cannot judge it)
    strong_context: bool = False  # a title, rank, label or speaker position says it is a name

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


def _strip_possessive(tok: Token) -> Token:
    if "'" not in tok.text and "’" not in tok.text:
        return tok  # most words: no apostrophe to look for (this runs on every word of every text)
    for suffix in ("'s", "’s", "'S", "’S"):
        if tok.text.endswith(suffix) and len(tok.text) > 3:
            return Token(tok.start, tok.end - 2, tok.text[:-2])
    if tok.text.endswith(("s'", "s’")) and len(tok.text) > 3:
        return Token(tok.start, tok.end - 1, tok.text[:-1])
    return tok


def _lower_case_words(text: str) -> list[Token | None]:
    """Every word of ``text`` in order, possessives stripped: a Token where it could be part of a name in lower
    case, None where it cannot (it has a capital, is a stop word or is in no list of names), which only ends a
    name; making no Token for most words saves time."""
    out: list[Token | None] = []
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        if "'" in word or "’" in word:
            tok = _strip_possessive(Token(m.start(), m.end(), word))
            out.append(tok if tok.text.islower() and _could_be_lower_name(tok.key) else None)
        elif word.islower() and _could_be_lower_name(gazetteer.key(word)):
            out.append(Token(m.start(), m.end(), word))
        else:
            out.append(None)
    return out


def _could_be_lower_name(k: str) -> bool:
    """A listed name that is not a stop word: only such a word starts or continues a name in lower case."""
    return (_first(k) or _last(k)) and not _is_stop_key(k)


def _speaker_named_elsewhere(tok: Token, text: str) -> bool:
    """ "DOT:" opening a line where the text calls her "Dot" ('Mrs Dorothy "Dot" Verrill'), "SAL:" after "co-host
    Sal": a short speaker label in capitals is that person, not a code."""
    if len(tok.text) < 3 or not _SPEAKER_COLON.match(text, tok.end) or text[text.rfind("\n", 0, tok.start) + 1 :
                                                                             tok.start].strip():
        return False
    return re.search(r"(?<![\w'’-])" + re.escape(tok.text.title()) + r"(?![\w'’-])", text) is not None


def _spelt_out(t: Token) -> bool:
    """ "D-I-A-L-L-O": a name spelt out letter by letter."""
    return "-" in t.text and all(len(p) == 1 for p in t.text.split("-"))


def _is_first(t: Token) -> bool:
    return _first(t.key)


def _is_last(t: Token) -> bool:
    return _last(t.key)


def _is_name(t: Token) -> bool:
    return _first(t.key) or _last(t.key)


def _is_stop(t: Token) -> bool:
    return _is_stop_key(t.key)


def _is_stop_key(k: str) -> bool:
    if not k.isascii() and k not in _PARTICLES:
        k = gazetteer.fold(k)  # "Bună" is the listed "buna"; Irish "Ní" and "Ó" are not "ni" and "o"
    return k in STOP or k in TITLES or ("-" in k and any(p in STOP for p in k.split("-")))


def _is_common(t: Token) -> bool:
    """An everyday word: "Will", "Grace", "Precious" are names only with more evidence."""
    return _common(t.key)


def _is_english(t: Token) -> bool:
    return _english(t.key)


def _unknown(t: Token) -> bool:
    return not (_is_stop(t) or _is_name(t) or t.key in PLACES or gazetteer.is_town(t.text) or _is_english(t))


def _is_place(t: Token) -> bool:
    return t.key in PLACES or gazetteer.fold(t.key) in PLACES or gazetteer.is_town(t.text)


class NameRecogniser:
    name = "person"
    labels = ("PERSON",)
    order = 40

    def __init__(self, model: str | None = DEFAULT_MODEL, model_band: tuple[float, float] = (0.2, 0.5),
                 second_opinion: bool = True) -> None:
        self.model = model if model and model.lower() != "none" else None
        self.model_band = model_band
        # The learned second opinion (govai/pii/name_model.py); off, the rule scores decide alone.
        self.second_opinion = name_model.shipped() if second_opinion else None

    def load(self) -> None:
        if self.model is not None:
            from govai.pii.ner import load_ner

            load_ner(self.model)

    # -- candidate runs -------------------------------------------------------------------------

    def _runs(self, doc: TextDoc, covered: list[tuple[int, int]]) -> list[list[Token]]:
        text = doc.text
        runs: list[list[Token]] = []
        current: list[Token] = []
        inside = bytearray(len(text) + 1)  # 1 where another label's span covers the character
        for start, end in covered:
            start, end = max(start, 0), min(end, len(text))
            if end > start:
                inside[start:end] = b"\x01" * (end - start)
        for m in _TOKEN.finditer(text):
            word = m.group(0)
            capital = word[0].isupper() or (len(word) >= 2 and word.isupper())  # is_cap or is_upper, cheaply
            if not capital and not current and "-" not in word:
                continue  # a word in lower case neither starts nor continues a run (most words: no Token made)
            tok = Token(m.start(), m.end(), word)
            glued = "-" in word and _GLUED_PARTICLE.fullmatch(word) is not None  # "al-Otaibi", "el-Masri"
            shaped = (capital or glued) and self._name_shaped(tok, text) and not inside[tok.start]
            if not shaped and current and tok.key in _PARTICLES and (text[current[-1].end : tok.start] == " " or (
                    len(current[-1].text) == 1 and text[current[-1].end : tok.start] == ". ")) \
                    and _PARTICLES_THEN_CAPITAL.match(text, tok.end):
                current.append(tok)  # "Hywel ap Rhys", "Pieter van der Meer": the run goes on
                continue
            if shaped and current:
                gap = text[current[-1].end : tok.start]
                initial = len(current[-1].text) == 1 and gap == ". "  # "Mrs D. Okafor"
                if gap == " " or initial or (gap == ", " and len(current) == 1 and tok.is_cap
                                             and self._surname_comma_first(current[0], tok, doc)):
                    current.append(tok)
                    continue
                if gap == ", " and tok.is_cap and len(current) > 1 and current[-1].is_upper and \
                        not current[-2].is_upper and not (_is_first(current[-2]) or _is_last(current[-2])) and \
                        self._surname_comma_first(current[-1], tok, doc):
                    # "Suspect HARGREAVES, Keith": the capitals start a surname-first name of their own
                    runs.append(current[:-1])
                    current = [current[-1], tok]
                    continue
            if current:
                runs.append(current)
            current = [tok] if shaped else []
        if current:
            runs.append(current)
        return runs

    @staticmethod
    def _surname_comma_first(surname: Token, first: Token, doc: TextDoc) -> bool:
        """ "OKAFOR, Chidi" anywhere; "Okafor, Chidi" only as a list line ("Ahmed, Zainab" in a class list)."""
        if surname.is_upper or (surname.text[:2] in ("Mc", "Ma") and any(c.isupper() for c in surname.text[2:])):
            return not _is_stop(surname)
        if f"{surname.text}, {first.text}" in _export_authors(doc):
            return True  # "chat: Okoro, Ngozi / Taylor, Ben" above "Okoro, Ngozi 09:12": the export's own author
        line_start = doc.line_start(surname.start)
        before = doc.text[line_start : surname.start]
        line = doc.text[line_start : doc.line_end(first.end)]
        if _CELL_OPENS.search(before) and _CELL_CLOSES.match(doc.text, first.end) and (
                len(_CELL_SEPARATORS.findall(line)) >= 2 or len(_NUMBERED_ITEMS.findall(line)) >= 2):
            # one cell of a row of names: "Row A: Abara, Chiamaka | Bell, Rory", "1. Chen, Ying  2. Ncube, Tendai"
            return _is_first(first) and not (_is_english(surname) or _is_english(first))
        if LIST_ITEM.fullmatch(before) is None:
            return False
        after = _NEXT_WORDS.match(doc.text, first.end)
        tail = doc.text[first.end : doc.line_end(first.end)]
        if after and after.group(0).strip()[:1].isupper():
            tail = doc.text[after.end() : doc.line_end(first.end)]  # a second given name
        return bool(LIST_TAIL.match(tail)) and not (_is_english(surname) or _is_english(first))

    @staticmethod
    def _initial_before_surname(run: list[Token], idx: int, doc: TextDoc) -> bool:
        """A lone capital that starts a two-token run ending in a surname or an unlisted word ("F. Rahman").
        "I" is a pronoun, and "A" only counts with its full stop ("A Tesco van")."""
        tok = run[idx]
        if len(tok.text) != 1 or not tok.text.isupper() or tok.text == "I" or idx + 2 != len(run):
            return False
        surname = _strip_possessive(run[idx + 1])
        dotted = doc.text[tok.end : tok.end + 2] == ". "
        if tok.text == "A" and not dotted and not _SIGN_CUE_BEFORE.search(doc.text, doc.line_start(tok.start), tok.start):
            return False  # "A Tesco van"; but "Signed: A Munteanu"
        return (_is_last(surname) or _unknown(surname)) and not _is_stop(surname) and not (
            _is_common(surname) or _is_place(surname))

    @staticmethod
    def _name_shaped(tok: Token, text: str) -> bool:
        """Not glued to digits ("QD21"), not a short unknown acronym ("GB", "UC"), not a month in a date."""
        before = text[tok.start - 1] if tok.start else " "
        after = text[tok.end] if tok.end < len(text) else " "
        if before.isdigit() or after.isdigit() or before in "@._/" or after in "@_/":
            return False
        if after == "-" and text[tok.end + 1 : tok.end + 2].isdigit():
            return False  # "Datix W-118402": a reference
        if tok.is_upper and len(tok.text) <= 3 and not gazetteer.is_core_name(tok.text) and tok.key not in TITLES \
                and not _speaker_named_elsewhere(tok, text):
            return False  # "RO", "PA", "DC": roles and codes; "ALI", "JO" are in the hand-written lists
        hyphenated = "-" in tok.text and all(p[:1].isupper() and p[1:].islower() for p in tok.text.split("-") if p)
        if len(tok.text) <= 5 and any(c.isupper() for c in tok.text[1:]) and not tok.is_upper and not hyphenated:
            return False  # "DfE", "HMRCs": acronyms, not names; "Ka-Ho", "Jo-Ann" are names
        if tok.key in _MONTH_NAMES:
            if _MONTH_BEFORE.search(text, max(0, tok.start - 24), tok.start) or re.match(
                r",?\s+\d", text[tok.end : tok.end + 4]
            ) or _MONTH_PAIR_AFTER.match(text, tok.end) or _MONTH_PAIR_BEFORE.search(text, max(0, tok.start - 16), tok.start):
                return False
        if tok.key in _NUMBERED_PLACES and re.match(r"[ \t]+\d", text[tok.end : tok.end + 3]):
            return False  # "Ward 24", "Court 1", "Bay 3": a place in a building
        return True

    def _split(self, run: list[Token], doc: TextDoc) -> list[tuple[list[Token], str | None]]:
        """Split a run at stop words; return name-shaped pieces with any title just before them."""
        following = _NEXT_WORDS.match(doc.text, run[-1].end)
        next_words = [gazetteer.key(w).removesuffix("s") if w.lower().endswith(("'s", "’s")) else w
                      for w in (following.group(0).lower().split() if following else [])]
        possessive = run[-1].text.endswith(("'s", "’s"))  # "Somtochukwu's school" is his school, not a school's name
        if any(t.key in ORG_WORDS for t in run[1:]) or (not possessive and any(w in ORG_WORDS for w in next_words[:1])):
            return []
        mailbox = _MAILBOX_AFTER.match(doc.text[run[-1].end : run[-1].end + 120])
        if mailbox and len(run) <= 4 and _HEADER_BEFORE.search(doc.text, doc.line_start(run[0].start), run[0].start) \
                and not is_role_mailbox(mailbox.group(1), mailbox.group(2)) \
                and not any(t.key in TITLES or _is_stop(t) for t in run) and sum(_is_name(t) for t in run) >= 2:
            return [(run, None)]  # "To: Tsang Kwok Wing <kwtsang…@…>": a header's display name, whole
        if len(run) <= 3 and next_words and next_words[0] in _PLACE_NEXT and not run[-1].text.endswith(("'s", "’s")):
            return []  # "Victoria Station", "Florence Nightingale Room"
        if _CARE_HOME_AFTER.match(doc.text, run[-1].end) or (len(run) >= 3 and run[-2].key in (
                "care", "nursing", "residential") and run[-1].key in ("home", "centre", "village")):
            return []  # "Bryn Celyn Care Home", "Rose Court Nursing Home": the home, not a person
        if len(run) >= 2 and all(t.key in _PHONETIC_ALPHABET for t in run):
            return []  # "Charlie Alpha 12", "Romeo Papa 12": a police unit's call sign
        if len(run) == 1 and run[0].key in _PHONETIC_ALPHABET and _CALL_SIGN_NUMBER.match(doc.text, run[0].end) and (
                run[0].key not in _PHONETIC_NAMES or _CALL_SIGN_CUE.search(
                    doc.text, max(0, run[0].start - 20), run[0].start) or "-" in doc.text[run[0].end : run[0].end + 6]):
            return []  # "Call sign Lima 14", "stopped by Charlie 2-1"; not "Charlie 12" without a cue
        if len(run) == 1 and _organisation_ahead(doc, run[0].end):
            return []  # "Avon and Somerset Police", "Kent Community Health NHS Trust": the start of a body's name
        if len(run) == 1 and _is_place(run[0]) and (m := _PLACE_AND_BEFORE.search(
                doc.text, max(0, run[0].start - 40), run[0].start)) and _is_place(Token(0, 0, m.group(1))) \
                and not _is_first(Token(0, 0, m.group(1))):
            return []  # "Greater Glasgow and Clyde", "Bath and Wells": a place beside a place
        if _ELECTED_AFTER.match(doc.text, run[-1].end) and re.search(
                r"[a-z]", doc.text[doc.line_start(run[0].start) : run[0].start]):
            return []  # "letter from Naomi Long MLA": a member in their public role (a signature stays a name)
        if len(run) == 1 and run[0].key in ("reg", "vrm") and re.match(
                r"[ \t:.\-]*(?:(?:is|was|no\.?|number|plate)[ \t:.\-]+)?[A-Za-z]{1,3}[ \t]?\d", doc.text[run[0].end :]):
            return []  # "Reg AXZ 4921": the registration, not Reginald
        if any(t.key in _STREET_WORDS for t in run[1:-1]):
            return []  # "Stanley Road Depot", "Albert Street Surgery": a place named after its street
        if _FIRM_AFTER.match(doc.text, run[-1].end):
            return []  # "J Rafferty & Sons", "Harley & Webb Dental", "Dr Kaur & Partners": a firm
        last = _strip_possessive(run[-1])
        if 1 < len(run) <= 4 and last.key in _PLACE_NEXT and not any(
                t.key in TITLES and t.key not in ("sir", "dame", "lord", "lady") for t in run) and (
            last.key not in CORE_SURNAMES or not _is_first(run[0]) or _is_place(run[0])
        ):
            return []  # "Victoria Park", "Jubilee House"; not "Stephen Hall", "Zainab Ward"
        if OF_PLACE_BEFORE.search(doc.text[max(0, run[0].start - 30) : run[0].start]):
            return []  # "Isle of Lewis", "University of Bolton", "Mayor of London"
        if len(run) == 1 and run[0].key in _PLACE_BEFORE_OF and re.match(r"[ \t]+of[ \t]+[A-Z]", doc.text[run[0].end :]):
            return []  # "Hill of Fearn", "Bridge of Allan": a place
        if any(" ".join(t.key for t in run[:n]) in ORG_NAMES for n in (1, 2, 3)) and not (
            run[0].key in TITLES
        ):
            return []  # "Sainsbury's", "John Lewis", "Capita"
        if SAINT_RE.search(doc.text[max(0, run[0].start - 12) : run[0].start]):
            return []
        pieces: list[tuple[list[Token], str | None]] = []
        title: str | None = None
        piece: list[Token] = []
        for idx, tok in enumerate(run):
            tok = _strip_possessive(tok)
            if tok.key in TITLES or tok.key.rstrip(".") in TITLES:
                if piece:
                    pieces.append((piece, title))
                piece, title = [], tok.key.rstrip(".")
                continue
            if tok.text in ("St", "St.", "Saint", "King", "Queen", "Prince", "Princess", "Royal") and idx + 1 < len(run):
                if piece:
                    pieces.append((piece, title))
                break  # "Mary St John" is rare; "St Mary's", "King George" are places
            if len(tok.text) == 1 and tok.text.isupper() and (piece or title):
                piece.append(tok)  # an initial: "Mr A Hussain", "Mrs D. Okafor"
                continue
            if self._initial_before_surname(run, idx, doc):
                piece.append(tok)  # "J. Ellison, Decision Maker", "Signed L. Harrington"
                continue
            if tok.key in _PARTICLES and piece:
                piece.append(tok)
                continue
            if piece and piece[0].key in _VIETNAMESE_LEADS and len(piece) < 4 and _is_name(tok) and not (
                    tok.key in TITLES):
                piece.append(tok)  # "Pham Thu Ha", "NGUYEN, Thu Ha": given names that are also "Thu(rsday)"
                continue
            nxt = run[idx + 1] if idx + 1 < len(run) else None
            if not piece and title is None and nxt is not None and tok.key in _IMPERATIVE_OPENERS and \
                    _sentence_start(doc, tok.start):
                continue  # "Call Ravi on his mobile", "Ask Hughes to …": the verb opens the sentence, the name follows
            if not piece and title is None and nxt is not None and tok.key in _ROLE_OPENERS and _is_name(nxt):
                continue  # "Driver Andrei Popa", "Keeper Mair Hughes": the role says who the name after it is
            # An everyday word that is also a name stays when a name is beside it ("Grace Adjei", "Chantelle
            # Fox") or it stands alone (scored low: context must carry it, as for "ask Will or Grace").
            name_like = _is_name(tok) and (
                not _is_common(tok) or (not piece and (nxt is None or _is_stop(nxt))) or bool(piece and _is_name(piece[-1]))
                or (nxt is not None and (_is_name(nxt) or _unknown(nxt)) and not _is_common(nxt) and not _is_stop(nxt))
                or (nxt is not None and _is_first(tok) and _is_last(nxt) and not _is_stop(nxt))  # "Grace Cooper"
            )
            if _spelt_out(tok) or (_is_stop(tok) or (_is_english(tok) and not title and not name_like)) and not (
                _is_name(tok) and piece == [] and title
            ):
                if piece:
                    pieces.append((piece, title))
                piece, title = [], None
                continue
            piece.append(tok)
        if piece:
            pieces.append((piece, title))
        return [(p, t) for p, t in pieces if len(p) <= 4 and not all(tok.key in _PARTICLES for tok in p)
                and (t is not None or not (_organisation(p, doc) or _inside_organisation(p, doc)))]

    # -- scoring ----------------------------------------------------------------------------------

    def _gazetteer_score(self, toks: list[Token], doc: TextDoc) -> tuple[float, str]:
        first, last = toks[0], toks[-1]
        if len(toks) == 1:
            if first.is_upper and not doc.text[first.end : first.end + 2] == ", ":
                return 0.1, "capitals"  # "NINO", "IBAN", "LOYD": capitals alone are codes more often than names
            if _is_first(first) and not _is_common(first):
                return (0.25, "first_name_place") if _is_place(first) else (0.5, "first_name")
            if _is_last(first) and not _is_common(first):
                return (0.1, "surname_place") if _is_place(first) else (0.25, "surname")
            if _is_name(first):
                return 0.15, "name_and_word"
            if _unknown(first):
                return (0.15, "unknown") if len(first.text) >= 3 and not first.is_upper else (0.1, "unknown")
            return 0.0, "not_a_name"
        if len(toks) == 2 and len(first.text) == 1 and first.text.isupper() and (_is_last(last) or _unknown(last)):
            return 0.5, "initial_and_surname"  # "P. Onyango", "R Chaudhry"
        surname_first = doc.text[first.end : first.end + 2] == ", "
        if surname_first:  # "KOWALSKI, Dafydd"
            if _is_first(last) or _is_first(toks[-2] if len(toks) > 2 else last):
                return (0.9 if _is_last(first) else 0.75), "surname_comma_first"
            if _unknown(last) or _is_last(last):
                return 0.6, "surname_comma_unknown"
            return 0.2, "surname_comma_word"
        if _is_first(first) and _is_last(last) and not (_is_common(first) and _is_common(last)):
            return 0.9, "first_and_surname"
        if _is_first(first) and _is_last(last):
            # "Grace Cooper", "Mark Gill": both everyday words; a common UK first name makes it likely
            return (0.75 if first.key in CORE_FIRST_NAMES else 0.45), "first_and_surname_words"
        if _is_first(first) and (_unknown(last) or _is_first(last)):
            return (0.62 if not _is_common(first) else 0.4), "first_name"
        if _is_last(first) and _is_last(last):
            return 0.55, "surnames"
        if _unknown(first) and (_is_last(last) or _is_first(last)):
            return 0.55, "surname"
        if all(_unknown(t) for t in toks):
            return 0.25, "unknown"
        return 0.3, "mixed"

    def _context(self, cand: Candidate, title: str | None, doc: TextDoc, address_starts: set[int],
                 everyday: bool = False) -> None:
        """Raise or lower ``cand``'s score on what surrounds it. ``everyday``: an everyday word in lower case that
        is kept only if something names it (a strong cue, a phrase, a sign-off); when nothing has by the point
        where the rest could only move its score, the rest is skipped (it runs for every such word: "will")."""
        text = doc.text
        line_start = doc.line_start(cand.start)
        before_raw = text[line_start : cand.start]
        before = doc.lower[line_start : cand.start]
        speaker_end = speaker_label_end(doc, line_start)
        if title:
            cand.score += 0.45 if len(cand.tokens) == 1 else 0.3
            cand.evidence.append("title")
            cand.strong_context = True
            before = before[: before.rfind(title)] if title in before else before
        elif RANK_RE.search(before_raw):
            cand.score += 0.5 if len(cand.tokens) == 1 else 0.35
            cand.evidence.append("rank")
            cand.strong_context = True
        role_label = False
        if speaker_end is not None:
            label_words = _TOKEN.findall(text[line_start:speaker_end])
            # "Agent (Lauren):" names who speaks; what follows is speech, not a form field's value
            role_label = all(gazetteer.key(w) in STOP for w in label_words) or "(" in text[line_start:speaker_end]
        if speaker_end is not None and cand.end <= speaker_end:
            label = text[line_start:speaker_end]
            others = [w for w in _TOKEN.findall(label) if gazetteer.key(w) not in {t.key for t in cand.tokens}]
            if all(gazetteer.key(w) in STOP or _is_common(Token(0, 0, w)) for w in others) and not (
                len(cand.tokens) == 1 and _is_common(cand.tokens[0])
                and not (_is_first(cand.tokens[0]) and not others and _speaks_again(doc, label))
            ):
                everyday = len(cand.tokens) == 1 and _is_common(cand.tokens[0])
                cand.score += 0.6 if everyday else 0.4  # an everyday word as a speaker is someone's name
                cand.evidence.append("speaker")
                cand.strong_context = True
        elif speaker_end is not None and cand.start >= speaker_end:
            before = doc.lower[speaker_end : cand.start]  # a chat line starts after its speaker label
        line_before = doc.lower[line_start : cand.start]
        if cand.lower and LOWER_TITLE.search(before):
            cand.score += 0.45
            cand.evidence.append("title")
            cand.strong_context = True
        if ORG_LABEL_RE.search(before):
            cand.score -= 0.5
            cand.evidence.append("organisation_label")
        elif (LABEL_RE.search(before) and LABEL_LINE_RE.match(before.lstrip())) or (
            not role_label and LABEL_RE.search(line_before) and LABEL_LINE_RE.match(line_before.lstrip())
        ) or (role_label and not before.strip() and LABEL_RE.search(line_before) and _FIELD_END.match(text, cand.end)) or (
            _labelled_field(line_before)  # "Surname: NGUYEN   First names: VAN THANH": several fields on a line
        ):
            cand.score += 0.4
            cand.evidence.append("label")
            cand.strong_context = True
        elif SIGN_OFF_INLINE.search(before) and not text[cand.end : doc.line_end(cand.end)].strip(" ,.!x"):
            cand.score += 0.4
            cand.evidence.append("sign_off")
        elif STRONG_RE.search(before):
            cand.score += 0.35
            cand.evidence.append("phrase")
        elif WEAK_RE.search(before):
            cand.score += 0.12
            cand.evidence.append("weak_phrase")
        question = answer_line_question(doc, cand.start)
        if question is not None and _NAME_QUESTION.search(question) and not _NOT_NAME_QUESTION.search(question):
            cand.score += 0.45
            cand.evidence.append("answer_to_name_question")
            cand.strong_context = True
        line_end = doc.line_end(cand.end)
        after = text[cand.end : line_end]
        alone = not before.strip(" -–•*") and not after.strip(" ,.!x")
        if alone and line_start > 1:
            prev = text[doc.line_start(line_start - 1) : line_start - 1]
            if SIGN_OFF.match(prev):
                cand.score += 0.4
                cand.evidence.append("sign_off")
            elif not prev.strip() and _closing_lines(text, line_end):
                cand.score += 0.3
                cand.evidence.append("closing_line")
        elif not after.strip() and line_end == len(text.rstrip()) and re.search(r"[ \t][-–][ \t]+$", before_raw):
            cand.score += 0.3  # "... 12345678 - nadia" ends a message
            cand.evidence.append("closing_dash")
        if alone and (line_end + 1) in address_starts:
            cand.score += 0.3
            cand.evidence.append("above_address")
        elif not after.strip(" ,.!x") and not text[line_end:].strip() and re.search(r"(?:^|[.!?][ \t]+)$", before_raw) \
                and len(cand.tokens) <= 2 and (line_start > 0 or len(before_raw.split()) >= 6):
            cand.score += 0.3  # "... attached. Tola" ends a message
            cand.evidence.append("closing_word")
        if everyday and not (cand.strong_context or _NAMING_EVIDENCE & set(cand.evidence) or POSSESSIVE_KIN_AFTER.match(
                after) or (before_raw.endswith("(") and _PAREN_KIN.match(after))):
            return
        if SPEAKING_AFTER.match(after) and (VOCATIVE_BEFORE.search(before_raw) or not before.strip(" -–•*")
                                            or speaker_end is not None):
            cand.score += 0.4
            cand.evidence.append("speaking")
        closing = QUOTE_CLOSE.match(after) if QUOTE_OPEN.search(before_raw) else None
        if closing and len(cand.tokens) <= 2 and (QUOTED_PERSON_BEFORE.search(before_raw) or QUOTED_PERSON_AFTER.match(
                after.lstrip(" \t")) or VERB_AFTER.match(after[closing.end():])):
            cand.score += 0.35
            cand.evidence.append("quoted_nickname")
        public_role = PUBLIC_ROLE_AFTER.match(after)
        if public_role and after[public_role.end():].strip(" ,.;:"):
            cand.score -= 0.6  # "Chi Onwurah MP": a public figure in their public role
            cand.evidence.append("public_role")
        if PET_BEFORE.search(before_raw) or PET_SLOT_BEFORE.search(before_raw) or (
                len(cand.tokens) == 1 and (not title or "titled_word" in cand.evidence) and PET_AFTER.match(after)):
            cand.score -= 0.6  # "our spaniel Hunter", "Kennel 1 – Bella", "Winston (rabbit)"
            cand.evidence.append("not_a_person_before")
            doc.extras.setdefault("pets", set()).add((cand.start, cand.end))
        elif CAR_MAKE_BEFORE.search(before_raw) or WELSH_ORG_BEFORE.search(before_raw) or COLOUR_BEFORE.search(before_raw):
            cand.score -= 0.6  # "a black Seat Leon", "Ysgol Glan Morfa"
            cand.evidence.append("not_a_person_before")
        if _BOT_BEFORE.search(before_raw) or _BOT_AFTER.match(after):
            cand.score -= 0.6  # "your online assistant Wanda", "Amelia (the new webchat bot)": software, not a person
            cand.evidence.append("bot")
        mailbox = _MAILBOX_AFTER.match(after)
        if mailbox and is_role_mailbox(mailbox.group(1), mailbox.group(2)):
            cand.score -= 0.6  # "From: Onboarding <onboarding@…>": a team's display name
            cand.evidence.append("team_mailbox")
        if POSSESSIVE_KIN_AFTER.match(after) or (before_raw.endswith("(") and _PAREN_KIN.match(after)):
            cand.score += 0.55
            cand.evidence.append("possessive_kin")
            cand.strong_context = True
        if FAMILY_AFTER.match(after) and len(cand.tokens) == 1 and not _is_common(cand.tokens[0]):
            cand.score += 0.6
            cand.evidence.append("family")
            cand.strong_context = True
        if POST_ROLE.match(after) or AGE_AFTER.match(after):
            cand.score += 0.25
            cand.evidence.append("role_after")
        elif VERB_AFTER.match(after):
            cand.score += 0.12
            cand.evidence.append("verb_after")
        elif POSSESSIVE_AFTER.match(text, cand.end) and not cand.lower:
            cand.score += 0.1
            cand.evidence.append("possessive")
        if VOCATIVE_BEFORE.search(before_raw) and VOCATIVE_AFTER.match(after):
            cand.score += 0.2
            cand.evidence.append("vocative")
        if len(cand.tokens) == 1 and not cand.lower and MID_SENTENCE_BEFORE.search(before_raw) and \
                MID_SENTENCE_AFTER.match(text, cand.end):
            cand.score += 0.3 if _is_common(cand.tokens[0]) else 0.1
            cand.evidence.append("mid_sentence_capital")
        if len(cand.tokens) > 1 and (any(_is_place(t) and not _is_name(t) for t in cand.tokens) or
                                     all(_is_place(t) for t in cand.tokens)):
            cand.score -= 0.3  # "Hong Kong", "Stoke Newington"
        if not title and all(_is_place(t) for t in cand.tokens) and LOCATIVE_BEFORE.search(before_raw):
            cand.score -= 0.4  # "lives in Bolton", "moved to Florence": a place named like a person
            cand.evidence.append("place_after_locative")
        elif not cand.strong_context and LOCATIVE_BEFORE.search(before_raw) and not POSSESSIVE_AFTER.match(text, cand.end):
            cand.score -= 0.25  # "born in Hai Phong": an unlisted place more often than a person
            cand.evidence.append("after_locative")
        if not cand.strong_context and _POSTCODE_AFTER.match(text, cand.end):
            cand.score -= 0.4  # "42 Mill Lane, Leigh WN7 1XX": the town of an address, before its postcode
        if len(cand.tokens) == 1 and _is_common(cand.tokens[0]) and _PRONOUN_AFTER.match(after):
            cand.score -= 0.4  # "Will anyone volunteer?", "May we ask": a verb, not a name
            cand.evidence.append("pronoun_after")
        if len(cand.tokens) == 1 and not cand.strong_context and re.search(r"\b[Tt]he[ \t]+$", before_raw):
            cand.score -= 0.3  # "the Mayor", "the Referrer": an office or a thing; people are not "the Smith"
            cand.evidence.append("after_the")

    # -- main -------------------------------------------------------------------------------------

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]:
        return run_steps(self.steps(doc, found))

    def steps(self, doc: TextDoc, found: Sequence[Entity]) -> Steps:
        """``find``, yielding its one request to the NER model so the detector can batch it with other texts'."""
        covered = [(e.start, e.end) for e in found if e.label != "PERSON" and e.score >= 0.5]
        covered.extend(doc.extras.get("dates", ()))
        covered.extend(doc.extras.get("table_headers", ()))
        address_starts = {e.start for e in found if e.label == "ADDRESS"}
        upper_lines = _upper_case_lines(doc.text)
        candidates: list[Candidate] = []
        for run in self._runs(doc, covered):
            for toks, title in self._split(run, doc):
                if doc.line_start(toks[0].start) in upper_lines and not title:
                    labelled = LABEL_RE.search(doc.lower, doc.line_start(toks[0].start), toks[0].start)
                    if not (len(toks) >= 2 and _is_first(toks[0]) and _is_last(toks[-1])) and not labelled and \
                            speaker_label_end(doc, doc.line_start(toks[0].start)) is None:
                        continue  # a heading in capitals, unless a name label opens the line ("LAST NAME: …")
                base, why = self._gazetteer_score(toks, doc)
                if base <= 0 and title in _PERSONAL_TITLES and len(toks) == 1 and toks[0].is_cap and \
                        len(toks[0].text) != 2:
                    base, why = 0.15, "titled_word"  # "Mr Harries", "Mrs Wood": a title makes a word a surname
                if base <= 0:
                    continue
                cand = Candidate(toks, base, [why])
                self._context(cand, title, doc, address_starts)
                candidates.append(cand)
        taken = [(c.start, c.end) for c in candidates]
        candidates.extend(self._lower_case_names(doc, covered + taken, address_starts))
        self._answers_and_spellings(doc, candidates, covered)
        self._speakers_and_initials(doc, candidates, covered)
        self._lists(doc, candidates)
        self._coordinated(doc, candidates)
        yield from self._consult_model(doc, candidates)
        self._coordinated(doc, candidates)  # again: the model may have settled a neighbour
        for cand in candidates:
            if len(cand.tokens) == 1 and _is_place(cand.tokens[0]) and not (
                cand.strong_context or {"role_after", "verb_after", "sign_off", "closing_line", "name_list"} & set(cand.evidence)
                or ("phrase" in cand.evidence and not _bare_preposition(doc, cand.start))
            ):
                # "seen in Stratford", "from Birmingham", "Harrow or Wembley": a listed place alone needs a cue
                # that says person; a capital mid-sentence or the model's guess does not
                cand.score = min(cand.score, 0.45)
        _nickname_parts(doc, candidates)
        for cand in candidates:
            following = _NEXT_CAPITALISED.match(doc.text[cand.end : cand.end + 30])
            preceding = _PREVIOUS_CAPITALISED.search(doc.text[max(0, cand.start - 30) : cand.start])
            named = gazetteer.key(doc.text[cand.start : cand.end])
            if preceding and gazetteer.key(preceding.group(0) + named) in PUBLIC_FIGURES:
                named = gazetteer.key(preceding.group(0) + named)  # "the Horrid Henry books": the whole name
            # a presenter who speaks ("JEREMY VINE: Let's go to Maureen") is in their public role too
            speaks = "speaker" in cand.evidence and not {"title", "rank", "label", "answer_to_name_question"} & set(
                cand.evidence)
            if (named in PUBLIC_FIGURES or (following and gazetteer.key(named + following.group(0)) in PUBLIC_FIGURES)) \
                    and (not cand.strong_context or speaks) and not _private_namesake(doc, cand):
                cand.score = min(cand.score, 0.3)  # "Yvette Cooper in the news": named in their public role
                cand.evidence.append("public_figure")
        accepted = [c for c in candidates if c.score >= 0.5]
        self._later_mentions(doc, candidates, accepted, covered)  # raises scores in place
        candidates.extend(_wide_candidates(doc, candidates, covered))
        if self.second_opinion is not None:
            # the candidates this recogniser reports, as the trainer saw them (it reads the recogniser's output)
            reported = [c for c in candidates if c.score > 0.05]
            counts, seen = name_model.text_context(doc.text, reported)
            for cand in reported:
                if cand.score < name_model.RULES_SETTLE and self.second_opinion.knows(cand.evidence):
                    feats = name_model.features(doc.text, cand.start, cand.end, cand.score, cand.evidence, counts, seen)
                    cand.score = self.second_opinion.score(feats)
        for cand in candidates:
            if cand.tokens[0].text.isupper() and len(cand.tokens[0].text) >= 2 and \
                    _NAME_FIELD_BEFORE.search(doc.lower, doc.line_start(cand.start), cand.start) and \
                    not any(_is_stop(t) for t in cand.tokens):
                cand.score = max(cand.score, 0.8)  # "Surname: EZE", "Surname ..... O'DONNELL": the field says name
                cand.evidence.append("label")
                continue
            if _SEAT_BEFORE.search(doc.lower, max(0, cand.start - 30), cand.start):
                cand.score = min(cand.score, 0.3)  # "the MLA for Foyle", "MP for Bolton West": a constituency
                continue
            if _FIRM_OR_PRODUCT_BEFORE.search(doc.lower, max(0, cand.start - 60), cand.start) and \
                    not cand.strong_context:
                cand.score = min(cand.score, 0.3)  # "solicitor … from Kirby Sheppard", "trading as …", "Make/model: Kia Niro"
                continue
            if cand.tokens[-1].text in _STREET_ABBREVIATIONS and len(cand.tokens) > 1:
                cand.score = min(cand.score, 0.2)  # "on Arabella St", "off Gladstone St", "Greggs on Victoria Rd"
                continue
            if _EXHIBIT_AFTER.match(doc.text, cand.end) and cand.tokens[0].text.isupper():
                cand.score = min(cand.score, 0.2)  # "exhibit TR/1", "CCTV exhibit OB/1": an officer's exhibit mark
                continue
            if _PRISON_NUMBER_AFTER.match(doc.text, cand.end) and not any(_is_stop(t) for t in cand.tokens):
                cand.score = max(cand.score, 0.8)  # "B2-14 FORDE A5521CZ": a prisoner before their prison number
                cand.evidence.append("prison_number_after")
                continue
            if len(cand.tokens) != 1 or cand.strong_context:
                continue
            if "unknown" in cand.evidence and _BARE_PLACE_PREPOSITION.search(doc.text, max(0, cand.start - 12),
                                                                              cand.start):
                cand.score = min(cand.score, 0.45)  # "on his way from Ystradgynlais", "near Rhosddu": a place
            elif _CELTIC_PLACE_BEFORE.search(doc.text, max(0, cand.start - 20), cand.start):
                cand.score = min(cand.score, 0.4)  # "Chy an Mor", "Tigh na Mara", "Ysgol Pen y Bryn", "Dosbarth Celyn"
            elif cand.tokens[0].key in _MONTH_NAMES and set(cand.evidence) <= _BARE_NAME_EVIDENCE:
                cand.score = min(cand.score, 0.45)  # "MOT due April", "wedding is June": a month, unless "wife June"
            elif set(cand.evidence) <= _BARE_NAME_EVIDENCE and _PLACE_WORD_AFTER.match(doc.text, cand.end):
                cand.score = min(cand.score, 0.4)  # "Ashton Athletic JFC", "Leith Community Larder", "Colwyn Bay"
            elif cand.tokens[0].text in ("Rm", "Rm.", "Reg") and re.match(r"[ \t]*\d", doc.text[cand.end :]):
                cand.score = min(cand.score, 0.3)  # "Rm 3 Darren", "Reg 40 notification": a room, a regulation
            elif cand.tokens[0].key in _MONTH_SHORT and re.match(r"[ \t]+\d{1,2}\b(?![:/.]\d)", doc.text[cand.end :]):
                cand.score = min(cand.score, 0.3)  # "@SueTheBrummie · Jun 8": a post's date
        for cand in candidates:
            value = doc.text[cand.start : cand.end]
            handle = name_model.HANDLE_SHAPE.search(value) or re.search(r"(?:@|u/)$", doc.text[max(0, cand.start - 2) :
                                                                                               cand.start])
            if " " not in value and handle and \
                    name_model.organisation_handle(value) and not _handle_of_a_person(value):
                cand.score = min(cand.score, 0.3)  # "LeedsCityCouncil", "advicenow_uk": an organisation's account
        return [
            Entity(c.start, c.end, "PERSON", min(c.score, 0.99), self.name, tuple(c.evidence))
            for c in candidates
            if c.score > 0.05
        ]

    def _lower_case_names(self, doc: TextDoc, covered: list[tuple[int, int]],
                          address_starts: set[int]) -> list[Candidate]:
        """Names written in lower case ("thanks, priya", "my son rory", "tunde bakare"): listed names that are
        not everyday words, or everyday-word names ("grace") after a self-introduction, scored on context."""
        out: list[Candidate] = []
        tokens = _lower_case_words(doc.text)
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            i += 1
            if tok is None or len(tok.text) < 2 or tok.key in _PARTICLES:  # a Token is a listed name, not a stop word
                continue  # "de la HMRC": particles alone are not a name
            if tok.key in _MONTH_NAMES and _MONTH_BEFORE.search(doc.text, max(0, tok.start - 24), tok.start):
                continue  # "from april"
            if tok.key in _LOWER_ABBREVIATIONS:
                continue  # "my pip is paid", "back in 5 min": a benefit or a unit, not Pip or Min
            if any(s <= tok.start < e for s, e in covered) or doc.text[tok.end : tok.end + 1] in ("@", ".") and \
                    doc.text[tok.end + 1 : tok.end + 2].isalnum():
                continue
            toks = [tok]
            after_first = i
            while i < len(tokens) and len(toks) < 3:
                nxt = tokens[i]
                if nxt is None:
                    break
                word_surname = _is_common(nxt) and len(toks) == 1 and _is_first(toks[0]) and not _is_common(toks[0]) \
                    and _is_last(nxt)  # "callum wright"
                if doc.text[toks[-1].end : nxt.start] != " " or (_is_common(nxt) and not word_surname):
                    break
                toks.append(nxt)
                i += 1
            words = sum(_is_common(t) for t in toks)
            if len(toks) > 1 and _is_first(toks[0]) and _is_last(toks[-1]) and not words:
                base, why = 0.55, "lower_first_and_surname"
            elif words and len(toks) > 1 and not _is_common(toks[-1]) and _is_last(toks[-1]):
                base, why = 0.45, "lower_word_and_surname"  # "grace adjei"
            elif words and len(toks) > 1 and not _is_common(toks[0]) and _is_first(toks[0]) and _is_last(toks[-1]):
                base, why = 0.45, "lower_first_and_word"  # "callum wright"
            elif words and len(toks) > 1 and _is_common(toks[0]):
                i = after_first  # "tell chinedu": the everyday word is not part of a name; start again after it
                continue
            elif words:
                base, why = 0.0, "lower_name_and_word"
            elif _is_first(toks[0]):
                core = toks[0].key in gazetteer.word_list("first_names")  # the hand-written UK list
                base, why = (0.1 if len(tok.text) < 3 else 0.35 if core else 0.25), "lower_first_name"
            else:
                base, why = 0.15, "lower_surname"
            if _is_place(toks[0]) and len(toks) == 1:
                base -= 0.1
            cand = Candidate(toks, base, [why], lower=True)
            greeted = LOWER_GREETING.search(doc.lower, max(0, tok.start - 16), tok.start) and len(toks) == 1 and \
                _is_first(toks[0]) and (not words or _GREETING_END.match(doc.text, toks[0].end))
            intro = LOWER_INTRO.search(doc.lower, max(0, tok.start - 20), tok.start)
            introduced = intro is not None and intro.end() == tok.start
            self._context(cand, None, doc, address_starts, everyday=bool(words) and not (greeted or introduced))
            if why == "lower_first_name" and len(tok.text) >= 4 and _written_in_lower_case(doc):
                cand.score += 0.15  # no capitals anywhere: a listed first name is not written small on purpose
                cand.evidence.append("lower_case_text")
            if greeted:
                cand.score += 0.35
                cand.evidence.append("greeted")
                cand.strong_context = True
            if introduced and "phrase" not in cand.evidence:
                cand.score += 0.35
                cand.evidence.append("intro")
            following = _NEXT_WORDS.match(doc.lower, toks[0].end)
            two = toks[0].key + " " + gazetteer.key(following.group(0).split()[0]) if following else ""
            if toks[0].key in ORG_NAMES or two in ORG_NAMES:
                continue  # "sainsburys", "is john lewis open"
            signs_off = {"sign_off", "closing_line", "closing_word"} & set(cand.evidence) and _is_first(toks[0])
            if words and not (cand.strong_context or "intro" in cand.evidence or "phrase" in cand.evidence or signs_off):
                continue  # "will", "grace" in lower case: only when introduced as a name or signing off
            if cand.score > 0.05:
                out.append(cand)
        return out

    @staticmethod
    def _answers_and_spellings(doc: TextDoc, candidates: list[Candidate], covered: list[tuple[int, int]]) -> None:
        """Names the lists cannot know, taken from how they are given: the whole reply to "what's your name?"
        ("Customer: ruksana bibi") and a name spelt out letter by letter ("That's K-A-T-Y-A", "O-K-E dash
        B-A-K-O"), which people only spell when asked for a name."""
        found: list[tuple[int, int, str]] = []
        pos = 0
        while pos < len(doc.text):
            line_end = doc.line_end(pos)
            start = (speaker_label_end(doc, pos) or pos) if line_end > pos else pos
            start = _REPLY_LEAD.match(doc.text, start, line_end).end()
            reply = _NAME_REPLY.fullmatch(doc.text, start, line_end)
            question = answer_line_question(doc, start) if reply else None
            if question and _NAME_QUESTION.search(question) and not _NOT_NAME_QUESTION.search(question):
                words = [Token(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(doc.text, start, reply.end(1))]
                if not any(_is_stop(t) or (_is_english(t) and not _is_name(t)) for t in words):
                    found.append((start, reply.end(1), "answer_to_name_question"))
            pos = line_end + 1
        for m in _SPELT.finditer(doc.text):
            question = reply_to(doc, m.start()) or ""
            if _SPELL_LEAD.search(doc.lower, doc.line_start(m.start()), m.start()) or "spell" in question or \
                    _spells_a_word_before(doc, m):
                found.append((m.start(), m.end(), "spelt_out"))
        for start, end, why in found:
            if any(s < end and start < e for s, e in covered):
                continue
            inside = [c for c in candidates if start <= c.start and c.end <= end]
            if any(c.start < end and start < c.end for c in candidates if c not in inside):
                continue
            for c in inside:
                candidates.remove(c)
            toks = [Token(start, end, doc.text[start:end])] if why == "spelt_out" else \
                [Token(t.start(), t.end(), t.group(0)) for t in _TOKEN.finditer(doc.text, start, end)]
            candidates.append(Candidate(toks, 0.8, [why], lower=doc.text[start:end].islower(), strong_context=True))

    @staticmethod
    def _speakers_and_initials(doc: TextDoc, candidates: list[Candidate], covered: list[tuple[int, int]]) -> None:
        """Who speaks in a chat, who writes in a thread or signs a form, and people written as initials in minutes
        ("SG asked why…", "LB to circulate…"): each placed among the candidates."""
        found = _initials(doc, candidates, _speakers(doc) + _writers_and_nicknames(doc))
        for start, end, why in found:
            if any(s < end and start < e for s, e in covered):
                continue
            overlapping = [c for c in candidates if c.start < end and start < c.end]
            score = 0.75 if why in ("repeated_speaker", "named_speaker", "thread_author", "signature") else 0.6
            wider = [c for c in overlapping if c.start < start or c.end > end]
            if wider:  # "Elira Hoxha:" speaks again as "Elira": the whole name stays, now as sure as its label
                for c in wider:
                    if c.score < score:
                        c.score = score
                        c.evidence.append(why)
                continue
            # a sure name that is only part of the label ("lauren" of "lauren_x_mills:") gives way to it
            if any(c.score >= 0.75 and c.end - c.start == end - start for c in overlapping):
                continue
            for c in overlapping:
                candidates.remove(c)
            candidates.append(Candidate([Token(start, end, doc.text[start:end])], score, [why],
                                        lower=doc.text[start:end].islower(), strong_context=True))

    def _lists(self, doc: TextDoc, candidates: list[Candidate]) -> None:
        """A line-initial name in a list of names ("- Terry (housing)", "EKWUEME, Obinna – Flat 5")."""
        heads: dict[int, Candidate] = {}
        for cand in candidates:
            line_start = doc.line_start(cand.start)
            head = LIST_ITEM.match(doc.text, line_start, cand.start)
            lead = doc.lower[head.end() : cand.start] if head else "x"
            if lead and not LIST_TITLE.fullmatch(lead):
                continue
            if not LIST_TAIL.match(doc.text[cand.end : doc.line_end(cand.end)]):
                continue
            heads.setdefault(line_start, cand)
        if len(heads) < 2:
            return
        lines = sorted(heads)
        for line_start in lines:
            neighbours = [s for s in lines if s != line_start and abs(s - line_start) < 400]
            cand = heads[line_start]
            support = any(heads[s].score >= 0.5 for s in neighbours) or \
                sum(heads[s].score >= 0.25 for s in neighbours) >= 2
            if neighbours and support and cand.score > 0.05 and not (
                len(cand.tokens) == 1 and _is_english(cand.tokens[0]) and not _is_name(cand.tokens[0])
            ):
                cand.score += 0.25
                cand.evidence.append("name_list")

    @staticmethod
    def _coordinated(doc: TextDoc, candidates: list[Candidate]) -> None:
        """Names joined to a found name by "and", "or" or a comma ("Ayaan, Khalid and Sagal")."""
        ordered = sorted(candidates, key=lambda c: c.start)
        for a, b in zip(ordered, ordered[1:]):
            gap = doc.text[a.end : b.start]
            if not COORDINATION.fullmatch(gap):
                continue
            for this, other in ((a, b), (b, a)):
                pets = doc.extras.get("pets", ())
                if (other.start, other.end) in pets and (this.start, this.end) not in pets and not this.strong_context:
                    this.score -= 0.5  # "Cat ward – Mr Whiskers, Luna and Shadow": listed with a pet, a pet
                    this.evidence.append("not_a_person_before")
                    pets.add((this.start, this.end))
                elif other.score >= 0.5 and this.score > 0.05 and "coordinated" not in this.evidence and (
                        this.start, this.end) not in pets:
                    this.score += 0.2
                    this.evidence.append("coordinated")

    def _consult_model(self, doc: TextDoc, candidates: list[Candidate]) -> Generator[ModelRequest, ModelAnswer, None]:
        lo, hi = self.model_band
        unsure = [c for c in candidates if lo <= c.score < hi and not c.lower and (len(c.tokens) > 1 or c.evidence[1:])]
        if not unsure or self.model is None:
            return
        windows = []
        for c in unsure:
            start = max(doc.line_start(c.start), c.start - NER_CONTEXT_CHARS)
            end = min(doc.line_end(c.end), c.end + NER_CONTEXT_CHARS)
            windows.append((start, doc.text[start:end]))
        results = yield ModelRequest(self.model, [w for _, w in windows])
        for cand, (offset, _), ents in zip(unsure, windows, results):
            s, e = cand.start - offset, cand.end - offset
            labels = {label for es, ee, label in ents if es < e and s < ee}
            if "PERSON" in labels:
                cand.score += 0.35
                cand.evidence.append("ner")
            elif labels & _OTHER_NER:
                cand.score -= 0.15
                cand.evidence.append("ner_other")

    def _later_mentions(
        self, doc: TextDoc, candidates: list[Candidate], accepted: list[Candidate], covered: list[tuple[int, int]]
    ) -> None:
        """Parts of a found name, mentioned again on their own ("Hi Ava", "Dear Mr Martin", "hi marcus")."""
        known = {t.key for c in accepted
                 if len(c.tokens) > 1 or c.strong_context or c.score >= 0.6 for t in c.tokens}
        known -= STOP | _PARTICLES
        known = {k for k in known if len(k) > 1}
        if not known:
            return
        taken = [(c.start, c.end) for c in accepted] + covered + [
            (c.start, c.end) for c in candidates if "public_figure" in c.evidence]  # "JEREMY VINE:" is not a Jeremy
        seen = {(c.start, c.end) for c in candidates}
        for cand in candidates:
            if cand in accepted or len(cand.tokens) != 1 or cand.tokens[0].key not in known:
                continue
            if any(s < cand.end and cand.start < e for s, e in taken) or _org_or_place_follows(doc, cand.end) or \
                    _inside_organisation(cand.tokens, doc) or _asks(doc, cand):
                continue
            cand.score = max(cand.score, 0.75)
            cand.evidence.append("mentioned_in_full")
        # Mentions in lower case or of everyday words ("hi marcus", "And Lee is") that no candidate holds yet.
        for m in _TOKEN.finditer(doc.text):
            k = gazetteer.key(m.group(0))
            if k not in known or (m.start(), m.end()) in seen or any(s < m.end() and m.start() < e for s, e in taken):
                continue
            tok = _strip_possessive(Token(m.start(), m.end(), m.group(0)))
            if _org_or_place_follows(doc, tok.end) or _inside_organisation([tok], doc):
                continue
            if gazetteer.key(tok.text) not in known or (tok.text.islower() and _is_common(tok)) or \
                    (tok.text.isupper() and len(tok.text) <= 3):
                continue
            cand = Candidate([tok], 0.75, ["mentioned_in_full"], lower=tok.text.islower())
            candidates.append(cand)
            taken.append((tok.start, tok.end))


_NICKNAME_INSIDE = re.compile(r"([A-Z][\w'’\-]+)[ \t]+\(?[\"“]([A-Z][\w'’\-]+)[\"”]\)?[ \t]+([A-Z][\w'’\-]+)")


def _speakers(doc: TextDoc) -> list[tuple[int, int, str]]:
    """Who speaks in a chat, by the label that opens their lines ("deji:", "maddie.xo:", "Rob Kitchener:", twice
    or more)."""
    found: list[tuple[int, int, str]] = []
    labels = [(m.start("label"), m.end("label"), m.group("label")) for m in _CHAT_SPEAKER.finditer(doc.text)]
    counts: dict[str, int] = {}
    for _, _, label in labels:
        counts[label.lower()] = counts.get(label.lower(), 0) + 1
    for start, end, label in labels:
        words = _HANDLE_SEPARATORS.split(label.lower())
        key = gazetteer.key(label)
        if counts[label.lower()] < 2 or key in STOP or key in TITLES or not words[0].isalpha():
            continue
        if label.isupper() and len(label) <= 3 and not gazetteer.is_core_name(label):
            continue  # "RO:", "IO:": a role's initials
        if (words[0] in STOP or (_english(words[0]) and not _first(words[0])) or key in ORG_NAMES) and \
                not _surname_of_someone_named(doc, label):
            continue  # "seller:", "agent:", "parent-carer:" are roles; "Marston:" a firm
        found.append((start, end, "repeated_speaker"))
    # "[19:41] Sue Next Door:", twice or more: the first name of a described speaker
    described: dict[str, list[re.Match[str]]] = {}
    for m in _DESCRIBED_SPEAKER.finditer(doc.text):
        described.setdefault(m.group("label").lower(), []).append(m)
    for matches in described.values():
        m = matches[0]
        first = Token(m.start("first"), m.end("first"), m.group("first"))
        if len(matches) < 2 or not _is_first(first) or _is_stop(first) or first.key in ORG_NAMES:
            continue
        rest = [Token(0, 0, w) for w in re.findall(r"[\w'’-]+", m.group("label"))[1:]]
        if all(len(t.text) == 1 or not (_is_common(t) or _is_stop(t)) for t in rest):
            found.extend((x.start("label"), x.end("label"), "named_speaker") for x in matches)  # "Rob Kitchener:"
        else:
            found.extend((x.start("first"), x.end("first"), "repeated_speaker") for x in matches)  # "Sue Next Door:"
    return found


def _private_namesake(doc: TextDoc, cand: Candidate) -> bool:
    """ "Pupil: Dwayne Johnson", "son Neil Armstrong", "my shift manager, Darren Fletcher": someone who shares a
    famous name, written where a person of the text is."""
    before = re.sub(r"[ \t]+\d{1,2}[ \t]*:[ \t]*$", ":", doc.lower[doc.line_start(cand.start) : cand.start])
    if "phrase" in cand.evidence or LABEL_RE.search(before) or before.endswith("@"):
        return True  # "Pupil: Dwayne Johnson", "Rhiant 1 / Parent 1: Rhodri Morgan", "son Neil Armstrong"
    if re.search(r"\b(?:manager|boss|colleague|supervisor|neighbour|tenant|landlord|client|patient)[ \t]*,?[ \t]*$",
                 doc.lower[max(0, cand.start - 25) : cand.start]):
        return True
    return False


def _surname_of_someone_named(doc: TextDoc, label: str) -> bool:
    """ "PIKE:" where the text names "Graham Leonard Pike": a speaker labelled by surname, not a role."""
    if len(label) < 3 or not label.isalpha():
        return False
    full = re.compile(r"\b([A-Z][a-z]+)(?:[ \t]+[A-Z][a-z]+)?[ \t]+" + re.escape(label.title()) + r"\b")
    return any(_first(m.group(1).lower()) and not _english(m.group(1).lower()) for m in full.finditer(doc.text))


def _writers_and_nicknames(doc: TextDoc) -> list[tuple[int, int, str]]:
    """People a text names by a handle, an export's author line, a signature, a quoted nickname or a handover."""
    found: list[tuple[int, int, str]] = []
    for m in _HANDLE.finditer(doc.text):
        if _handle_of_a_person(m.group(1)):
            found.append((m.start(1), m.end(1), "handle"))
    found.extend(_thread_authors(doc))
    for m in _EXPORT_AUTHOR.finditer(doc.text):  # a Teams export: "Ahmed, Bilal 09:14" above each message
        surname, first = Token(m.start("surname"), m.end("surname"), m.group("surname")), \
            Token(m.start("first"), m.end("first"), m.group("first"))
        if _is_first(first) and not _is_stop(surname) and not _is_common(surname):
            found.append((m.start("name"), m.end("name"), "named_speaker"))
    for m in _AT_NAME.finditer(doc.text):  # "@Lee Bancroft thank you!!": a Facebook reply names its reader
        if _is_first(Token(m.start(1), m.start(1), m.group(1).split()[0])):
            found.append((m.start(1), m.end(1), "handle"))
    platform = any(word in doc.lower for word in _PLATFORM_WORDS)  # a plain search first: the pattern is slow
    for m in _PLATFORM_HANDLE.finditer(doc.text) if platform else ():  # "on Snapchat (kyle_r0ss)", "TikTok name: x.y"
        if name_model.HANDLE_SHAPE.search(m.group(1)) and not _FILE_OR_SITE.search(m.group(1)) and \
                not name_model.organisation_handle(m.group(1)) and re.search(r"[a-z]{2}", m.group(1)):
            found.append((m.start(1), m.end(1), "platform_handle"))
    signed_before = -1
    for m in _DOTTED_NAME.finditer(doc.text):  # "Signature: A.O. Oyelaran", "signed: A.M. Jama / H.A. Warsame"
        before = doc.text[max(0, m.start() - 40) : m.start()]
        if not (_SIGN_CUE_BEFORE.search(before) or (signed_before >= 0 and
                                                      _AND_BEFORE.fullmatch(doc.text, signed_before, m.start()))):
            continue
        signed_before = m.end()
        if not _is_stop(Token(0, 0, m.group("surname"))) and not _org_or_place_follows(doc, m.end()):
            found.append((m.start(), m.end(), "signature"))  # not "approved by J.B. Priestley Library"
    for m in _QUOTED_CAPITALS.finditer(doc.text):  # 'a man I know as "Skinny"', 'Mickey Hughes ("Red")'
        before = doc.text[max(0, m.start() - 40) : m.start()]
        bracketed = _NAME_THEN_BRACKET.search(before)
        if not (_KNOWN_AS_BEFORE.search(before) or (bracketed and doc.text.startswith(")", m.end()) and (
                bracketed.group(1)[:1].isupper() or bracketed.group(1).lower() in _PERSON_NOUNS))):
            continue  # 'a letter ("Simple Assessment")', 'cat ("Mishmish")': only a name's nickname follows it
        if not _is_stop(Token(0, 0, m.group("nick").split()[0])):
            found.append((m.start("nick"), m.end("nick"), "nickname"))
    for m in _HANDED_TO.finditer(doc.text):  # "Handed over by Rosie to Tendai."
        if not _is_stop(Token(m.start(1), m.end(1), m.group(1))) and not _is_english(Token(0, 0, m.group(1))):
            found.append((m.start(1), m.end(1), "handover"))
    return found


def _initials(doc: TextDoc, candidates: list[Candidate],
              found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """People written as initials in minutes and notes ("SG asked why…", "LB to circulate…"), and every other
    mention of them; ``found`` holds what the other rules found, so a span is not proposed twice."""
    found = list(found)
    initials: set[str] = set()
    last_line = doc.line_start(len(doc.text.rstrip()))
    for pattern in (_INITIALS, *_INITIALS_LISTED):
        if pattern in _INITIALS_NEED and not any(word in doc.lower for word in _INITIALS_NEED[pattern]):
            continue
        for m in pattern.finditer(doc.text, last_line if pattern is _INITIALS_LAST_LINE else 0):
            if m.group(1) not in _NOT_INITIALS and m.group(1).lower() not in STOP:
                found.append((m.start(1), m.end(1), "initials"))
                initials.add(m.group(1))
    speaking = [m for m in _INITIALS_SPEAKING.finditer(doc.text)
                 if m.group(1) not in _NOT_INITIALS and m.group(1).lower() not in STOP]
    if len({m.group(1) for m in speaking}) >= 2:
        for m in speaking:
            found.append((m.start(1), m.end(1), "initials"))
            initials.add(m.group(1))
    for m in _ATTENDANCE.finditer(doc.text):  # "Present: SO (chair), RB, Ayo", "Panel: RA, SH, MD", "IDVA (CT)"
        for item in re.finditer(r"(?:^|[,;])[ \t]*(" + _INI + r")(?=[ \t]*(?:[,;(]|$))"
                                r"|(?<![\s,:][A-Z]{2} )(?<!^[A-Z]{2} )\((" + _INI + r")\)",  # not "SG (TL)": a role
                                m.group("list")):
            group = 1 if item.group(1) else 2
            if item.group(group) not in _NOT_INITIALS:
                start = m.start("list") + item.start(group)
                found.append((start, start + len(item.group(group)), "initials"))
                initials.add(item.group(group))
    for m in _INITIALS_OF_A_NAME.finditer(doc.text):  # "Liam Probert (LP)", "LR – Lowenna Rowe", "AB = Amrit Bains"
        if m.group("after"):
            values, name = [m.group("after")], m.group("name2")
        else:  # "(LP)", "(mum, LJH)", "(YH, Chair)", "(DSL, Princess Primary, CW)"
            values, name = [v.strip() for v in re.split(r"[,;/]", m.group("inside"))], m.group("name1")
        for value in values:  # even "MO", "HM": beside the name they are this person's letters
            if re.fullmatch(_INI_OF_NAME, value) and _letters_of_a_name(value, name):
                initials.add(value)  # "Shauna (RP)" is her role, "SW – Priya Mistry" too
    for m in _INITIALS_OF_A_FIRST_NAME.finditer(doc.text):  # "From: Rakesh (RK) to Sunita (SM)"
        value = m.group("ini")
        if value[0] == m.group("name")[0] and value not in _NOT_INITIALS and any(
                c.start == m.start("name") and c.end == m.end("name") and c.score >= 0.75 for c in candidates):
            initials.add(value)
    # the initials of someone named in full in this text, where they act or are listed ("Nia Lewis-Jenkins" …
    # "NLJ – letter to Minister"), even a word's letters ("Mared Evans" … "ME to request"); not in a heading in
    # capitals, a reference ("Our ref: MG/EST/00731") or before a name ("FZ Abubakar", "HM Revenue")
    named = set()
    for c in candidates:
        if c.score >= 0.75 and len(c.tokens) >= 2 and not c.lower:
            letters = _initials_of(doc.text[c.start : c.end])
            if 2 <= len(letters) <= 4 and letters.isupper() and letters not in _NEVER_INITIALS | initials:
                named.add(letters)
    if initials or named:  # every other mention of them: "LP's vehicle", "CM engaging"
        spans = {(start, end) for start, end, _ in found}
        for m in _CAPITALS_WORD.finditer(doc.text):  # one pattern for every text: no compiling per text
            value = m.group(1)
            if m.span(1) in spans or (value not in initials and value not in named):
                continue
            if value in named:
                if _REFERENCE_OR_NAME_AFTER.match(doc.text, m.end(1)):
                    continue
                if value in _NOT_INITIALS and _DETERMINER_BEFORE.search(doc.lower, max(0, m.start(1) - 10), m.start(1)):
                    continue  # "the GP at Llwynypia Surgery" beside Gwen Pritchard: the role, not her letters
                words = re.findall(r"[^\W\d_]{2,}", doc.text[doc.line_start(m.start()) : doc.line_end(m.start())])
                if len(words) >= 2 and all(w.isupper() for w in words):
                    continue
            found.append((m.start(1), m.end(1), "initials"))
    return found


def _nickname_parts(doc: TextDoc, candidates: list[Candidate]) -> None:
    """ 'Patrick "Paddy" Ward', 'Anthony ("Tony") GALLAGHER': once the first name is a name, the whole of it,
    nickname and surname included, is one name (one person, as a middle name is part of theirs). A nickname
    after a full name ('ZHANG Yuxuan ("Eric")   Room: Robins') is a name of its own."""
    for m in _NICKNAME_INSIDE.finditer(doc.text):
        first = next((c for c in candidates if c.start <= m.start(1) and m.end(1) <= c.end and c.score >= 0.5), None)
        if first is None and _first(gazetteer.key(m.group(1))) and _first(gazetteer.key(m.group(2))):
            # 'Rosemary "Rosie" Tull': a first name and a first name in quotes say name, if the words are common
            first = Candidate([Token(*m.span(1), m.group(1))], 0.75, ["first_name"])
        if first is None:
            continue
        nick = Token(*m.span(2), m.group(2))
        surname = Token(*m.span(3), m.group(3))
        after_full_name = len([t for t in first.tokens if t.end <= m.end(1)]) > 1  # 'Nhat Minh Pham ("Minh")'
        if after_full_name or _is_stop(surname) or surname.text in _NOT_INITIALS:
            if not (_is_stop(nick) or nick.text in _NOT_INITIALS):
                _replace(candidates, Candidate([nick], 0.75, ["nickname_and_surname"], strong_context=True))
            continue
        tokens = [t for t in first.tokens if t.end <= m.end(1)] + [nick, surname]
        _replace(candidates, Candidate(tokens, max(0.75, first.score), [*first.evidence, "nickname_and_surname"],
                                       strong_context=True))


def _replace(candidates: list[Candidate], cand: Candidate) -> None:
    """Put ``cand`` in place of every candidate it overlaps."""
    for c in [c for c in candidates if c.start < cand.end and cand.start < c.end]:
        candidates.remove(c)
    candidates.append(cand)


# A chat line's time stamp: "[09:18]", "09:18", "[08/03/2024, 08:15]" (a WhatsApp export).
_STAMP = (r"(?:\[?(?:(?i:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|today|yesterday)\.?,?[ \t]+)?"  # "wed 14:03 Dami:"
          r"(?:\d{1,2}/\d{1,2}/\d{2,4},?[ \t]+)?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]*)?")
# A chat line's speaker, one word or handle: "[09:18] kayleigh:", "maddie.xo:", "Deji:".
_CHAT_SPEAKER = re.compile(r"(?m)^[ \t]*" + _STAMP + r"(?P<label>[^\W\d_][\w.\-]{1,23}):[ \t]+\S")
_DESCRIBED_SPEAKER = re.compile(r"(?m)^[ \t]*" + _STAMP + r"(?P<label>(?P<first>[A-Z][a-z]+)"
                                r"(?:(?:[ \t]+[A-Z][\w.]*){1,2}|[ \t]+next[ \t]+door)):[ \t]+\S")  # "Gav next door:"
# Where a thread names its writers: a handle opening a line, then the post's time or a forum's dot:
# "↳ lindsaymcg · 2h", "maya.k 10:03: …", "xXshadowRaj99Xx — Today at 22:14", "@jayyy_k: Steve…".
_THREAD_AUTHOR = re.compile(
    r"(?m)(?:^[ \t•*-]*(?P<reply>(?:[>↳▸►▲▼]|[^\w\s•*#@-][\ufe0f\u200d]?)[ \t]*(?:\d{1,5}[ \t]+(?:·[ \t]*)?)?)?|"
    r"(?i:posted by)[ \t]+(?=u/)|(?P<posted>(?i:posted by|reply from|replied by))[ \t]+)"  # a forum's post header
    r"(?P<mark>u/|@)?(?P<handle>[A-Za-z][\w.\-]{1,28}[A-Za-z0-9])(?:\*\*(?=[ \t]))?"
    r"(?=[ \t]*(?P<after>·|—[ \t]*(?:Today|Yesterday|\d)|\d{1,2}:\d{2}(?:[ \t]*[AaPp]\.?[Mm]\.?)?(?:[ \t]*(?::|$)|[ \t]{2,}\S)|:[ \t]+\S|$)"
    r"|(?P<gap>[ \t]{2,})\S)")  # "@jj_okoro  proud of you": a comment's author, after "@" only
_BOTS = frozenset({"automoderator", "moderator", "admin", "bot", "mod", "mods", "anonymous", "deleted", "guest"})
# Where a thread was copied from, named on its first line: "Nextdoor · Heaton Moor", "Marketplace · Vauxhall…".
_PLATFORMS = frozenset({"nextdoor", "marketplace", "messages", "facebook", "instagram", "twitter", "tiktok", "reddit",
                        "whatsapp", "mumsnet", "discord", "snapchat", "linkedin", "youtube", "threads", "forum",
                        "comments", "group", "messenger", "teams", "slack", "telegram", "signal", "imessage",
                        "vinted", "ebay", "gumtree", "depop"})
# A social-media handle: "@chloe.mcgrath02", "@LeanneGrahamB16", "@bigdaz_76".
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z][\w.]{2,29}[A-Za-z0-9])")


# Wide candidates, for the learned second opinion to settle: capitals that may be initials ("KM", "K.A",
# "JRW") and handles where a chat or forum names its writers ("<sue.c>", "u/GeordieTaxGuy", "marek_p:").
_WIDE_INITIALS = re.compile(r"(?<![\w/&@.'’-])([A-Z](?:\.?[A-Z]){1,2})(?![\w'’-])")
_WIDE_HANDLE = re.compile(
    r"(?:(?<=u/)|(?<=(?<![\w.])@)|(?<=<)|(?<=[Pp]osted by )|(?m:^)[ \t>↳•*-]*(?:\[[0-9:. ]+\][ \t]*)?)"
    r"([A-Za-z][\w.]{1,28}[A-Za-z0-9])(?=[ \t]*(?:[:>]|$|[ \t]·))", re.MULTILINE)
_FILE_OR_SITE = re.compile(r"\.(?:csv|xlsx?|docx?|pdf|txt|com|org|net|uk|gov|ac|sch|nhs)$", re.IGNORECASE)


def _wide_candidates(doc: TextDoc, candidates: list[Candidate], covered: list[tuple[int, int]]) -> list[Candidate]:
    taken = covered + [(c.start, c.end) for c in candidates]
    out: list[Candidate] = []
    for pattern, why in ((_WIDE_INITIALS, "caps_token"), (_WIDE_HANDLE, "handle_shape")):
        for m in pattern.finditer(doc.text):
            start, end = m.span(1)
            if why == "handle_shape" and (not name_model.HANDLE_SHAPE.search(m.group(1))
                                          or _FILE_OR_SITE.search(m.group(1))
                                          or name_model.organisation_handle(m.group(1))):
                continue
            if why == "caps_token" and (m.group(1).lower() in STOP or m.group(1).lower() in TITLES
                                        or m.group(1).replace(".", "") in _NOT_INITIALS):
                continue
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            out.append(Candidate([Token(start, end, m.group(1))], 0.1, [why]))
    return out


def _thread_authors(doc: TextDoc) -> list[tuple[int, int, str]]:
    """The writers a chat or forum thread names where their posts open, and every other mention of them
    ("@jxrdan.w"): handles, or any label marked as a post's author (u/, @, a dot or time after it). A plain word
    before a colon ("Gav:", "Seller:") is left to the speaker rules, which ask for a name."""
    authors: list[str] = []
    sure = False
    for m in _THREAD_AUTHOR.finditer(doc.text):
        handle = m.group("handle")
        parts = name_model.handle_parts(handle)
        after = m.group("after") or ""
        if m.group("gap") and m.group("mark") != "@" or not (after or m.group("gap") or m.group("mark")
                                                            or m.group("posted")):
            continue  # a handle alone on its line is an author only after "u/" or "Posted by" ("Posted by Bex_85")
        marked = bool(m.group("mark") or m.group("reply") or m.group("posted")) or not after.startswith(":")
        shaped = re.search(r"[._]|\d", handle) or (marked and name_model.HANDLE_SHAPE.search(handle))
        if not parts or not (marked or shaped) or _FILE_OR_SITE.search(handle) or handle.replace(".", "").isupper():
            continue  # "PoP:", "Te1ephone:" and "D.O.B:" label a form's fields
        if name_model.organisation_handle(handle) or gazetteer.key(handle) in ORG_NAMES or \
                any(p in _BOTS for p in parts) or parts[-1].endswith("bot") or \
                gazetteer.key(handle) in STOP or gazetteer.key(handle) in TITLES or gazetteer.key(handle) in _PLATFORMS:
            continue
        if not shaped and _english(gazetteer.key(handle)) and not _first(gazetteer.key(handle)):
            continue
        if m.group("posted") and any(_organisation_ahead(doc, o.end()) or _COMPANY_AFTER.match(doc.text, o.end())
                                     for o in re.finditer(re.escape(handle), doc.text)):
            continue  # "Reply from SwiftMove" where the text names "SwiftMove Removals Ltd": the firm answers
        authors.append(handle)
        sure = sure or marked
    if not sure and len(authors) < 2:  # one label before a colon is a field ("Ref_no: …"); a thread has posts
        return []
    pattern = re.compile(r"(?<![\w.@/-])(?:u/|@)?(" + "|".join(map(re.escape, sorted(authors, key=len, reverse=True)))
                         + r")(?![\w-]|\.\w)")
    return [(m.start(1), m.end(1), "thread_author") for m in pattern.finditer(doc.text)]


def _handle_of_a_person(handle: str) -> bool:
    """ "chloe.mcgrath02", "LeanneGrahamB16": a handle that opens with a first name (not an organisation's)."""
    parts = name_model.handle_parts(handle)
    if not parts or gazetteer.key(handle) in ORG_NAMES:
        return False
    first = parts[0]
    return (len(first) >= 3 and _first(first) and not _is_stop(Token(0, 0, first))) or any(
        _first(first[:i]) and len(first[:i]) >= 4 for i in range(len(first) - 1, 3, -1))


# Two capitals that act in minutes: "SG asked", "VC stated", "LB to circulate".
_INITIALS = re.compile(
    r"(?<![\w/&-])([A-Z]{2})(?=[ \t]+(?:stated|said|says|asked|adjourned|agreed|confirmed|explained|noted|reported|"
    r"advised|queried|raised|declined|denied|accepted|apologised|thanked|presented|chaired|opened|closed|summarised|"
    r"to (?:circulate|send|chase|action|contact|follow|arrange|review|update|check|speak|write|book|share|draft|"
    r"confirm|provide|liaise|meet|visit|complete|raise|organise|organize|investigate|prepare|ring|call|phone|email|"
    r"attend|obtain|request|refer|ask|inform|discuss|report|sort|collect|present|explore|escalate|invite|look|move|"
    r"consider|notify|apply|seek|agree|coordinate|co-ordinate|put|give|bring|print|order|set)|"
    r"drafting|chasing|leading|attending|liaising|organising|arranging|covering|checking|visiting|reviewing|doing)\b)")
# Initials where minutes and notes list people: "Actions: HG - home visit with MC", "ACTION: JQ increase visits",
# "Action: HP/MO", "Present: KB (independent chair), MT (police)", "proposed RG, seconded GMcI", "Checked by: LM",
# and a note signed "- BH" at the end of its line.
_INI = r"[A-Z]{2}(?![A-Za-z])|[A-Z]Mc[A-Z]|[A-Z][À-ÖØ-Þ][A-Z]"
_INI3 = r"[A-Z]{2,3}(?![A-Za-z])|[A-Z]{1,2}Ma?c[A-Z](?![A-Za-z])"  # "KMH", "GMcK", "CMcG"
# A handle named with the platform it is on: "on Snapchat (kyle_r0ss)", "Snapchat name \"skyeyy.xo\"", "Insta: megs.x".
_PLATFORM_HANDLE = re.compile(
    r"(?i:snapchat|snap|tiktok|instagram|insta|facebook|fb|twitter|whatsapp|discord|xbox|psn|twitch|telegram|"
    r"username|user name|gamertag|handle|messages from)(?:[ \t]+(?i:name|handle|account|id))?"
    r"[ \t]*(?:\(|:|-|–|[ \t]is|[ \t]as|[ \t]called)?[ \t]*[\"'“‘]?@?([A-Za-z0-9][\w.]{1,28}[A-Za-z0-9])(?![\w@])")
_EXPORT_AUTHOR = re.compile(r"(?m)^[ \t]*(?P<name>(?P<surname>[A-Z][\w'’-]+),[ \t]+(?P<first>[A-Z][a-z][\w'’-]*))"
                            r"(?:[ \t]+\([^()\n]{1,30}\))?[ \t]+\d{1,2}:\d{2}[ \t]*$")


def _export_authors(doc: TextDoc) -> frozenset[str]:
    """The "Surname, First" authors a Teams export names above its messages, read once per text."""
    cached = doc.extras.get("export_authors")
    if cached is None:
        cached = doc.extras["export_authors"] = frozenset(m.group("name") for m in _EXPORT_AUTHOR.finditer(doc.text))
    return cached


_POSTCODE_AFTER = re.compile(r"[ \t]*,?[ \t]+[A-Z]{1,2}\d[A-Z\d]?[ \t]+\d[A-Z]{2}\b")
_AT_NAME = re.compile(r"(?<![\w@])@([A-Z][a-z]+(?:[ \t][A-Z][\w'’]*(?:-[A-Z][\w'’]*)?){1,2})(?=[ \t]*(?:[^\w \t]|$|[ \t](?![A-Z])[^\W\d_]))",
                      re.M)
_PLATFORM_WORDS = ("snap", "tiktok", "insta", "facebook", "fb", "twitter", "whatsapp", "discord", "xbox", "psn",
                   "twitch", "telegram", "user", "gamertag", "handle", "messages from")
# Initials with full stops before a surname, where a form or letter is signed ("Signature: A.O. Oyelaran"): the
# names are found first (they are rare) and the cue is looked for just before them.
_DOTTED_NAME = re.compile(r"(?<![\w.])(?:[A-Z]\.[ \t]?){1,3}(?P<surname>[A-Z][a-z][\w'’-]*)")
_SIGN_CUE_BEFORE = re.compile(r"(?i:signed|signature|signatory|print name|countersigned|witnessed|sent by|\bby)"
                              r"(?:[ \t]*\([^()\n]{0,20}\))?[ \t]*:?[ \t]+$")
_AND_BEFORE = re.compile(r"[ \t]*(?:/|&|and)[ \t]*")
# A nickname in quotes where someone is known by it: 'I know him as "Skinny"', 'known locally as "Tizzy"', 'Aliases:
# "J-Dog"', 'Mickey Hughes ("Red")', 'another male ("Deio")'.
_QUOTED_CAPITALS = re.compile(r"[\"“](?P<nick>[A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*)?)[\"”]")
_KNOWN_AS_BEFORE = re.compile(
    r"(?i:know[ns]?(?:[ \t]+(?:him|her|them|locally|only))?[ \t]+as|call(?:s|ed)?[ \t]+(?:him|her|them|himself|herself)|"
    r"nicknamed|goes[ \t]+by|aka|a\.k\.a\.?|alias(?:es)?:?)[ \t]*$")
_NAME_THEN_BRACKET = re.compile(r"(\S+)[ \t]+\($")
_PERSON_NOUNS = frozenset(("male", "female", "man", "woman", "boy", "girl", "lad", "youth", "suspect", "friend",
                           "brother", "sister", "cousin", "son", "daughter", "partner", "boyfriend", "girlfriend"))
# Whom a shift was handed to, by name: "Handed over by Rosie to Tendai", "Handover: Jo → Kwame".
_HANDED_TO = re.compile(r"(?i:handed over|handover|handed)(?:[ \t]+(?i:by|from))?[ \t]*:?[ \t]+[A-Z][\w'’-]+"
                        r"[ \t]*(?:→|->|(?i:to))[ \t]+([A-Z][a-z][\w'’-]*)\b(?![ \t]+[A-Z])")
_INITIALS_LISTED = [
    re.compile(r"(?i:actions?|owner|lead)[ \t]*:[ \t]*(" + _INI + r")\b(?![ \t]*:)"),
    re.compile(r"(?<=[A-Z]{2}/)(" + _INI + r")\b(?=[ \t]*[.,;\n]|$)", re.M),
    re.compile(r"(?:^|[.;][ \t]+|:[ \t]+)(" + _INI + r")[ \t]+[-–][ \t]+(?=[a-z])", re.M),
    re.compile(r"(?:^|,|:)[ \t]*(" + _INI + r")[ \t]+\((?=[a-z]|[A-Z][a-z]|[A-Z]{2,5}\))", re.M),
    re.compile(r"(?i:proposed(?: by)?|prop\.|seconded(?: by)?|sec\.|chaired by|minuted by|checked by|signed by|reviewed by|"
               r"completed by|verified by|allocated to|assigned to)[ \t]*:?[ \t]+(" + _INI + r")\b"),
    re.compile(r"[ \t][-–][ \t]?(" + _INI + r")[ \t]*$", re.M),
    # a note signed with initials after its last sentence: "Warning letter to be sent. LW", "… dad Brendan. JRW"
    re.compile(r"(?<=[.!?)])[ \t]+([A-Z]{2,3})[ \t]*$", re.M),
    # … or on a line of their own at the very end, or under a log entry with its time ("LF 16:10", "Thank you, HA")
    re.compile(r"(?:^|(?i:thank you|thanks|regards|signed)[ \t]*,?[ \t]+)([A-Z]{2,3}|[A-Z]Ma?c[A-Z])"
               r"(?:[ \t]+\d{1,2}[:.]\d{2})?[ \t]*(?=\s*\Z)", re.M),
    # who handed over to whom: "Handed by KB to DR", "Handed over AM → ZS"
    re.compile(r"(?i:handed over|handover|handed)(?:[ \t]+(?i:by|from))?[ \t]*:?[ \t]+(" + _INI3 + r")"
               r"(?=[ \t]*(?:\([^()\n]{1,20}\)[ \t]*)?(?:→|->|to[ \t]))"),
    re.compile(r"(?i:handed over|handover|handed)(?:[ \t]+(?i:by|from))?[ \t]*:?[ \t]+(?:" + _INI3 + r"|[A-Z][a-z]+)"
               r"[ \t]*(?:\([^()\n]{1,20}\)[ \t]*)?(?:→|->|to)[ \t]+(" + _INI3 + r")"),
    # "registered by LB,", "approved address check done by DW 26/02", "Handover by MB."
    re.compile(r"\b(?i:by)[ \t]*:?[ \t]+(" + _INI3 + r")(?=[ \t]*(?:[,.;)/]|$|\d{1,2}[/:.])|[ \t]{2,}\S)", re.M),
    # … and the second of two: "signed by FL and CW"
    re.compile(r"\b(?i:by)[ \t]*:?[ \t]+(?:" + _INI3 + r")[ \t]+(?:and|&)[ \t]+(" + _INI3 + r")(?=[ \t]*(?:[,.;)]|$))", re.M),
    # a form's signature box or a staff field holding initials: "Signed: RO     Date: …", "Staff: CR"
    re.compile(r"\b(?i:signed|signature|staff|initials)[ \t]*:[ \t]*(" + _INI3 + r")(?=[ \t]*$|[ \t]{2,}\S|[ \t]*[,;])",
               re.M),
    # a role with its holder's initials in brackets: "safeguarding lead (DB)", "manager (AK)"
    re.compile(r"\b(?i:lead|manager|supervisor|chair|worker|officer|coordinator|co-ordinator|keyworker|mentor|"
               r"teacher|nurse|senco|dsl)[ \t]+\((" + _INI3 + r")\)"),
    # a doctor or an officer by initials: "– Dr AK", "Officer: GMcK", "Adviser: RS", "Received by: KD"
    re.compile(r"\b(?:Dr\.?|Const\.?|Cst|(?i:officer|adviser|advisor|received by|canvassers?|keyworker|key worker|"
               r"caseworker|worker|reviewer|assessor|interviewer|logged by|reported by|report by|manager|received|"
               r"witnessed|countersigned|checked|minutes|coordinator|co-ordinator|nurse in charge|"
               r"(?:carer|midwife|nurse|staff|worker)[ \t]+(?:out|in)))[ \t]*:?[ \t]+"
               r"(" + _INI3 + r")(?![ \t][A-Z][a-z])(?![ \t]+[a-z]{3,})(?![\w'’-])"),  # a wider gap ends a column
    # a note signed with initials and a role: "SL, Clinical Psychologist", "AR, Social Worker", "JW HV"
    re.compile(r"^[ \t]*[-–]?[ \t]*(" + _INI3 + r")(?:,[ \t]*|[ \t]+[-–][ \t]+|[ \t]+)(?:[A-Z][a-z]+[ \t]+){0,3}"
               r"(?i:worker|officer|nurse|"
               r"psychologist|psychiatrist|manager|practitioner|adviser|advisor|visitor|co-?ordinator|therapist|"
               r"assistant|lead|teacher|paramedic|midwife|consultant|caseworker|keyworker|navigator|HV|SW|CPN|OT|"
               r"IDVA|ISVA|PO|PSO)[ \t]*$", re.M),
    # a social media team's reply signed with a caret: "… help with Delay Repay ^RH"
    re.compile(r"(?<![\w^])\^(" + _INI3 + r")\b"),
    # a log line signed in brackets after its sentence: "Both to isolation. (KMH)", "2 pts. (OA)"
    re.compile(r"(?<=[.!?])[ \t]+\((" + _INI3 + r")\)[ \t]*$", re.M),
    # two people's initials closing a note or signing it: "RH / NM", "Signed AB/HF", "Actions: SK/RW"
    re.compile(r"(?:^|[.;][ \t]+|(?i:signed|actions?:?)[ \t]+)(" + _INI3 + r")[ \t]*/[ \t]*(?:" + _INI3 + r")\b", re.M),
    re.compile(r"(?<=[A-Z]{2} / )(" + _INI3 + r")\b(?=[ \t]*(?:[.,;\n–-]|$))", re.M),
]
# Where a listed pattern can match, for the slow ones (each is tried over every text): only in a text holding one
# of these (a plain search of the lower-cased text), or only on its last line with text.
_INITIALS_NEED = {
    _INITIALS_LISTED[4]: ("prop", "sec", "chaired by", "minuted by", "checked by", "signed by", "reviewed by",
                          "completed by", "verified by", "allocated to", "assigned to"),
    _INITIALS_LISTED[13]: ("(",),
}
_INITIALS_LAST_LINE = _INITIALS_LISTED[7]
# Initials as the speakers of a stand-up or a log ("KB: 3 new placements", "TN: review upheld"), when two or more
# different ones open lines of the same text.
_INITIALS_SPEAKING = re.compile(r"^[ \t]*(" + _INI + r")[ \t]*:[ \t]+(?=\S)", re.M)
# A line that lists who was there: "Present: SO (chair), RB, Ayo", "Interview panel: IR, LG, NK".
_ATTENDANCE = re.compile(r"(?im)(?:^|[.;][ \t]+)[ \t]*(?:present|attendees|attending|in attendance|apologies|panel|interview panel|"
                         r"also present|members present)[ \t]*:[ \t]*(?P<list>[^\n]+)$")
# Initials as people write them beside a name: "LJH" for Lisa Jones-Hughes, "MOC" for Michael O'Connor,
# "IMacL" for Iain MacLeod.
_INI_OF_NAME = r"[A-Z]{2,4}(?![A-Za-z])|[A-Z]{1,2}Ma?c[A-Z](?![A-Za-z])|[A-Z][À-ÖØ-Þ][A-Z]"
_INITIALS_OF_A_NAME = re.compile(
    r"(?P<name1>[A-Z][\w'’\-]*\.?(?:[ \t]+[A-Z][\w'’\-]*\.?){1,2})[ \t]+\((?P<inside>[^()\n]{0,40}\b(?:" + _INI_OF_NAME + r")[^()\n]{0,30})\)"
    r"|(?<![\w/&-])(?P<after>" + _INI_OF_NAME + r")[ \t]*(?:–|-|=|\()[ \t]*"
    r"(?P<name2>[A-Z][a-z]+(?:[ \t]+[A-Z][\w'’\-]+){1,2})")

# A first name with its owner's initials in brackets, checked against the name's first letter.
_INITIALS_OF_A_FIRST_NAME = re.compile(r"(?<![\w'’-])(?P<name>[A-Z][a-z]+)[ \t]+\((?P<ini>[A-Z]{2,3})\)")


def _initials_of(name: str) -> str:
    """ "LJH" for "Lisa Jones-Hughes", "MOC" for "Michael O'Connor", "IML" for "Iain MacLeod" (titles left out)."""
    out = []
    for word in _BLANKS.split(name):
        if not word or not word[0].isupper() or word.rstrip(".").lower() in TITLES or (
                word.isupper() and 2 <= len(word) <= 3 and not re.fullmatch(r"[A-Z]\.", word)):
            continue  # a title or a rank ("DC Lowri Prosser" is LP); an initial stays ("Mrs S Hussain" is SH)
        for part in re.split(r"[-‐]", word):
            if part:
                out.append(part[0] if part.isupper() else "".join(c for c in part if c.isupper()))
    return "".join(out)


def _letters_of_a_name(value: str, name: str) -> bool:
    """The initials are the name's: all its capitals, or its first and last ("LG" for "Mrs L. Greenwood")."""
    letters, initials = re.sub(r"[^A-Z]", "", value), _initials_of(name).upper()
    words = [Token(0, 0, w) for w in re.findall(r"[^\W\d_][\w'’]*", name)]
    titled = bool(re.match(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Cllr)\.?[ \t]", name))
    if not titled and not any((_is_first(w) or _is_last(w)) and not _is_common(w) for w in words) and not (
            any(_is_first(w) for w in words) and any(not _is_english(w) for w in words)):  # "Dean Sparkes (DS)"
        return False  # "Unique Taxpayer Reference (UTR)", "Debt Relief Order (DRO)": an acronym spelt out
    return bool(initials) and (letters == initials or (letters[:1] == initials[:1] and letters[-1:] == initials[-1:]))
# A word that opens with a capital, short enough to be initials ("LP", "NLJ", "GMcK"), not inside a longer word.
_CAPITALS_WORD = re.compile(r"(?<![\w/&@.-])([A-Z][A-Za-zÀ-ÖØ-Þ]{1,5})(?![\w-])")
# After initials, what makes them a reference ("MG/EST/00731") or part of a name ("FZ Abubakar", "HM Revenue").
_REFERENCE_OR_NAME_AFTER = re.compile(r"/\w+/|[ \t]+[A-Z][a-z]")
# Capitals that stay what they are even beside a name with the same letters ("Ian Davies" … "ID badge").
_NEVER_INITIALS = frozenset("ID OK UK EU TV PS CC NB AM PM DOB NHS HM TA".split())
_NOT_INITIALS = frozenset(
    """GP UC HR IT PC DC DS DI SW TA OT PA CA AA NI UK EU ID OK TV MP QC KC JP DJ PE RE DT HM SG1 OH SU CQ MO ED IO
    OC SO BT EE O2 VO CV PR PM AM MR EP HV DA RP NFA TBC TBA FYI AOB PTO ETA LOL OMG BTW IMO ACK NB PS CC RIP
    ASB AKA DOB NHS DWP CPS GMP PIP ESA JSA SEN ICU A&E GCSE CEO CFO COO DSL SLT SMT CPN CAB HCA NIC RGN PP HO
    DH DD MIL FIL SIL BIL OP HP""".split())  # parenting forums: dear husband, mother-in-law, original poster; a PIP assessment: health professional


# Verbs that open an instruction about someone, and are surnames too ("Call", "Ring", "Ask", "Thank").
_IMPERATIVE_OPENERS = frozenset("call ring phone text ask tell email thank meet remind chase visit invite contact "
                                "see let pay send message".split())


# Roles written capitalised before a name, and surnames too ("Driver", "Keeper", "Friend", "Porter").
_ROLE_OPENERS = frozenset("driver keeper friend applicant passenger occupier claimant porter tenant lodger "
                          "witness victim suspect caller".split())


def _sentence_start(doc: TextDoc, start: int) -> bool:
    before = doc.text[doc.line_start(start) : start]
    return not before.strip(" \t-•*>–") or bool(re.search(r"[.!?:;)][ \t]+$", before))


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|his|her|their|my|your|our|wrong|new|own)[ \t]+$")


def _spells_a_word_before(doc: TextDoc, m: re.Match[str]) -> bool:
    """ "It's Tadeusz Wiśniewski. W-I-S-N-I-E-W-S-K-I": the letters spell a capitalised word just said."""
    letters = gazetteer.fold(m.group(0).replace("-", "").replace(" ", "").replace("dash", "").replace("hyphen", "")
                             .lower())
    said = {gazetteer.fold(gazetteer.key(w)) for w in re.findall(r"[A-Z][^\W\d_]+", doc.text[max(0, m.start() - 200) : m.start()])}
    return len(letters) >= 3 and letters in said


def _bare_preposition(doc: TextDoc, start: int) -> bool:
    """The cue before ``start`` is only "from" or "to" ("from Birmingham"), not "speaking to", "my son"."""
    m = STRONG_RE.search(doc.lower, doc.line_start(start), start)
    return m is not None and m.group(0).strip(" \t,:\"'“‘") in ("from", "to")


# A reply that is only a name: one to four words, maybe a full stop ("ruksana bibi", "Nkem Obi-Eze.").
_NAME_REPLY = re.compile(r"([^\W\d_]+(?:['’\-][^\W\d_]+)*(?:[ \t]+[^\W\d_]+(?:['’\-][^\W\d_]+)*){0,3})[ \t]*[.!]?[ \t]*")
_REPLY_LEAD = re.compile(r"[ \t]*(?:(?:yes|yeah|it's|its|it is|my name is|my name's|i'm|im|name's|er|erm|um)[,.]?[ \t]+)*",
                         re.IGNORECASE)
# Spelt letter by letter, parts joined by "dash" or "hyphen": "M-A-C-K-A-Y", "O-K-E dash B-A-K-O".
_SPELT = re.compile(r"(?<![\w\-])[A-Za-z](?:-[A-Za-z]){2,}(?:[ \t]+(?:dash|hyphen|-)[ \t]+[A-Za-z](?:-[A-Za-z]){1,})*(?![\w\-])")
_SPELL_LEAD = re.compile(r"(?:that's|thats|that is|spelt|spelled|spelling|spell it|i spell|it's|its)[ \t:,]*$")
COORDINATION = re.compile(r"(?:['’]s)?(?:,[ \t]*|[ \t]+(?:and|or|&)[ \t]+|,[ \t]+(?:and|or)[ \t]+)")
_NAME_QUESTION = re.compile(
    r"\b(?:name|surname|names|forename|who am i speaking|who's calling|who is calling|who's speaking|who are you|"
    r"who is this|spell|who else|who referred|who's the|who is the|speaking to|called|who)\b"
)
_NOT_NAME_QUESTION = re.compile(r"\b(?:street|road|company|school|bank|employer|name of the (?:street|company|school))\b")
# Who is greeted or thanked in a text, in lower case: "thanks mark", "cheers dean", "sorry sue", "hiya tre".
LOWER_GREETING = re.compile(r"(?:^|[^a-z'])(?:hi|hiya|hey|heya|hello|thanks|thank you|thank u|thanku|ta|cheers|sorry|"
                            r"morning|evening|night|nite|bye|love you|love u|miss you|miss u|congrats)[ \t,]+$")
_GREETING_END = re.compile(r"[ \t]*(?:$|[,.!?)x]|\n)", re.MULTILINE)
LOWER_INTRO = re.compile(
    r"(?<![a-z'])(?:my name is|my names|my name's|name is|names|i am|i'm|im|this is|it's|its|it is|i'm called|"
    r"call me|she's|shes|he's|hes|she is|he is|her name's|his name's)\s+$"
)


def _organisation(piece: list[Token], doc: TextDoc) -> bool:
    """ "Sainsbury's", "John Lewis", "Capita": a piece that starts with a known organisation's name."""
    for n in (1, 2, 3):
        if n > len(piece) and n > 1:
            break
        raw = gazetteer.key(doc.text[piece[0].start : piece[min(n, len(piece)) - 1].end + 2].rstrip(" ,.;:"))
        stripped = gazetteer.key(" ".join(t.text for t in piece[:n]))
        if raw in ORG_NAMES or stripped in ORG_NAMES:
            return True
    return False


# A word in no list of names, right after a preposition of place, is a place or a firm ("from Ystradgynlais",
# "ordered from Medequip"): over the developed-on sets 33 such words were false names and one a name.
_BARE_PLACE_PREPOSITION = re.compile(r"(?i)\b(?:from|near|at|in|to|around|outside|via)[ \t]+$")
# The Welsh, Cornish and Gaelic words that open a place's or a house's name, with the article or linking word
# after them where the name needs one: what follows is part of the place ("Chy an Mor", "Tigh na Mara", "Pen y
# Bryn", "Glan y Môr"), or a school's, a class's or a surgery's name ("Ysgol Bro Idris", "Dosbarth Derwen").
_CELTIC_PLACE_BEFORE = re.compile(
    r"(?:\b(?:Chy|Tigh|Taigh|Tŷ|Ty|Pen|Tan|Glan|Bryn|Cwm|Nant|Coed|Maes|Pant|Bod|Tre|Caer|Cae|Min|Bron|Blaen|Bwlch|"
    r"Heol|Stryd|Ffordd|Lôn|Lon|Cwrt|Plas|Llys|Bro)[ \t]+(?:an|na|nan|y|yr|a['’]|dan|ar|uwch|is)|"
    r"\b(?:Ysgol|Dosbarth|Meddygfa|Heol|Stryd|Ffordd|Cwrt|Plas|Llys|Bro|Ysgol[ \t]+Bro)|Canolfan)[ \t]+$")
_MONTH_SHORT = _MONTH_NAMES | frozenset("jan feb mar apr jul aug sep sept oct nov dec".split())
# A first name with nothing else that says person: a month's name so found is the month.
_BARE_NAME_EVIDENCE = frozenset({"first_name", "mid_sentence_capital", "verb_after"})
# Words that put a place after them ("in Bolton", "moved to Jordan"); a bare "to" or "from" does not.
LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|near|around|outside|across|towards|via)|\b(?:moved|move|moving|went|go|going|drove|travelled|"
    r"live|lives|living|lived|based|born|flew|fly|back|trip|visit|visiting)[ \t]+(?:to|in|from|out[ \t]+to)|"
    r"\bfrom[ \t]+(?:here|there)[ \t]+to)[ \t]+$", re.IGNORECASE)


def _organisation_spans(doc: TextDoc) -> list[tuple[int, int]]:
    """Where a listed organisation of several words is written, lower-case words included ("Marks and Spencer")."""
    cached = doc.extras.get("organisation_spans")
    if cached is None:
        cached = [m.span() for m in _ORG_PHRASES.finditer(doc.lower)]
        doc.extras["organisation_spans"] = cached
    return cached


def _inside_organisation(piece: list[Token], doc: TextDoc) -> bool:
    return any(s <= piece[0].start and piece[-1].end <= e for s, e in _organisation_spans(doc))


_ORG_PHRASES = re.compile(
    r"(?<![\w'’])(?:" + "|".join(
        r"[ \t]+".join(re.escape(w) for w in phrase.split())
        for phrase in sorted(gazetteer.phrase_list("organisation_names"), key=len, reverse=True) if " " in phrase
    ) + r")(?:['’]s)?(?![\w'’])"
)


def _org_or_place_follows(doc: TextDoc, end: int) -> bool:
    """ "Kaur & Sons Ltd", "Oyelowo Logistics Ltd", "Victoria Station's": the name is part of a bigger name."""
    following = _NEXT_WORDS.match(doc.text, end + (2 if doc.text[end : end + 2] in ("'s", "’s") else 0))
    if following is None:
        return False
    if _organisation_ahead(doc, end):
        return True
    words = [gazetteer.key(w).removesuffix("s") if w.endswith(("'s", "’s")) else gazetteer.key(w)
             for w in following.group(0).split()]
    if words and words[0] in ("&", "and") and len(words) > 1 and words[1][:1].isalpha():
        return following.group(0).split()[1][:1].isupper()
    return bool(words) and (words[0] in _PLACE_NEXT or words[0] in ORG_WORDS or (
        len(words) > 1 and words[1] in ORG_WORDS and following.group(0).split()[0][:1].isupper()))


_QUESTION_AHEAD = re.compile(r"[^.!?\n]{0,80}\?")


def _asks(doc: TextDoc, cand: Candidate) -> bool:
    """ "Will it have a call-back option?" opens a question: the verb, even where a Will is present."""
    return "pronoun_after" in cand.evidence and _QUESTION_AHEAD.match(doc.text, cand.end) is not None


_WORDS_AHEAD = re.compile(r"(?:[ \t]+(?:and|&|of|[A-Z][\w'’\-]*)){1,4}")
_PLACE_AND_BEFORE = re.compile(r"([A-Z][a-z][\w'’\-]*)[ \t]+(?:and|&)[ \t]+$")


def _organisation_ahead(doc: TextDoc, end: int) -> bool:
    """ "Avon and Somerset Police", "Kent Community Health NHS Trust": capitalised words or "and" lead from the
    word to an organisation's word; a first name is followed by a surname, not by "and Somerset" or "Community"."""
    ahead = _WORDS_AHEAD.match(doc.text, end)
    if ahead is None:
        return False
    words = ahead.group(0).split()
    lead = Token(0, 0, words[0])
    if not (words[0] in ("and", "&") or (words[0][0].isupper() and (_is_english(lead) or _is_stop(lead))
                                          and not _is_name(lead))):
        return False
    return any(gazetteer.key(w) in ORG_WORDS for w in words[1:])


def _speaks_again(doc: TextDoc, label: str) -> bool:
    """The same speaker's label opens another line: "precious:" twice in a chat is who speaks, not a word."""
    name = label.strip().rstrip(":").strip().lower()
    return len(re.findall(r"(?m)^[ \t]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]*)?" + re.escape(name) + r"[ \t]*:",
                          doc.lower)) >= 2


def _written_in_lower_case(doc: TextDoc) -> bool:
    """Chat and texts typed without capitals: under 1 in 20 words starts with one, away from line starts."""
    cached = doc.extras.get("lower_case_text")
    if cached is None:
        words = [m.group(0) for m in _MID_LINE_WORD.finditer(doc.text)]
        capitals = sum(w[0].isupper() for w in words)
        cached = len(words) >= 4 and capitals * 20 < len(words)
        doc.extras["lower_case_text"] = cached
    return bool(cached)


_MID_LINE_WORD = re.compile(r"(?<=[a-z,][ \t])[^\W\d_]+")


def _closing_lines(text: str, line_end: int) -> bool:
    """Only a short signature (a role, an organisation, "Sent from my iPhone") follows this line."""
    rest = [line for line in text[line_end:].split("\n") if line.strip()]
    return len(rest) <= 3 and all(len(line.split()) <= 6 and not line.rstrip().endswith((".", "?")) for line in rest)


def _upper_case_lines(text: str) -> set[int]:
    starts = set()
    pos = 0
    for line in text.split("\n"):
        if any(c.isalpha() for c in line) and not any(c.islower() for c in line):
            starts.add(pos)
        pos += len(line) + 1
    return starts


@pii_recognisers.register("person")
def person(options: dict[str, Any]) -> NameRecogniser:
    return NameRecogniser(**options)
