"""Street addresses of people, anchored on a postcode (or a numbered street).

An address is a run of components separated by commas or line breaks: flat,
building, house number and street, locality, post town. Walking back from a
postcode, components are accepted while they read as address parts; the walk
stops at a label ("Address:"), a sentence, a name line, or a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from govai.pii import gazetteer
from govai.pii.context import firm_footer, in_letterhead, organisation_address, reply_to, speaker_label_end
from govai.pii.entities import Entity
from govai.pii.registry import TextDoc, pii_recognisers

STREET_SUFFIXES = frozenset(
    """road rd street st avenue ave close lane ln drive dr court ct way crescent cres terrace tce place pl gardens
    gdns grove gr park hill view walk rise square sq mews row green parade gate end side bank vale fields field
    meadow meadows croft wynd brae loan causeway circus boulevard broadway embankment quay yard passage approach
    chase dene garth heights hollow lea leys mount orchard path promenade ridge strand villas wood woods glade
    copse paddock market cottages buildings precinct circle gardens grange lawn lawns nook oval pastures reach
    retreat ride spinney steps terrace thorpe top vale vista wharf brow shaw holme dale lanes""".split()
)
WELSH_STREET_WORDS = frozenset("heol ffordd stryd lon lôn maes cae rhodfa llwyn bryn pant cwm clos teras plas".split())
BUILDING_WORDS = frozenset(
    """house cottage cottages farm farmhouse lodge forge barn mill hall manor court wharf villa bungalow ty tŷ tý
    bryn plas building buildings block tower towers mansions chambers granary rectory vicarage oast coach stables
    maltings works barracks cottage croft lodge grange place point heights view house hostel hotel caravan refuge
    site village estate fferm bwthyn chy tigh taigh""".split()
)
FLAT = re.compile(
    r"(?i)^(?:flat|apartment|apt|unit|room|suite|studio|maisonette|floor|ground floor|first floor|second floor|"
    r"top floor|basement|caravan|pitch|plot|berth|room)\b.{0,12}$|^\d{1,4}[A-Za-z]?$"
)
_FLAT_PREFIX = re.compile(r"(?i)(?:flat|apartment|apt|unit|room)\s+\d{1,4}[A-Za-z]?,?\s+")
HOUSE_NUMBER = re.compile(r"^\d{1,4}[A-Za-z]?(?:\s?[-/]\s?\d{1,4}[A-Za-z]?)?,?\s+\S")
CONNECTORS = frozenset("upon on le la en under de y super next sea st st. des du an na nan a".split())
_TOKEN = re.compile(r"[^\s,]+")


@dataclass
class Component:
    start: int
    end: int
    text: str
    truncated: bool = False


def _is_cap_token(tok: str) -> bool:
    t = tok.strip(".'’()")
    if not t:
        return False
    return t[0].isupper() or t[0].isdigit() or t.lower() in CONNECTORS


def _address_suffix(comp: Component) -> Component | None:
    """The longest tail of a component made of capitalised words and numbers ("I live at The Old Forge")."""
    tokens = list(_TOKEN.finditer(comp.text))
    keep = len(tokens)
    while keep > 0 and _is_cap_token(tokens[keep - 1].group(0)):
        keep -= 1
    if keep == len(tokens):
        return None
    # Never start on a connector word ("of 98 Park Avenue" -> "98 Park Avenue").
    while keep < len(tokens) and tokens[keep].group(0).lower() in CONNECTORS - {"st", "st."}:
        keep += 1
    if keep >= len(tokens):
        return None
    # A long capitalised tail ("Harrow Homes Ltd Mr Kwabena Asamoah 33 Orchard Rise"): start at the house number.
    if len(tokens) - keep > 4:
        numbered = [i for i in range(keep, len(tokens)) if tokens[i].group(0)[0].isdigit()]
        if numbered:
            keep = numbered[0]
    if keep == 0:
        return comp
    if keep > 0 and tokens[keep - 1].group(0).lower() in ("flat", "apartment", "apt", "unit", "room"):
        keep -= 1  # "from flat 4 38 Mill Lane": the flat word belongs to the address
    offset = tokens[keep].start()
    return Component(comp.start + offset, comp.end, comp.text[offset:], truncated=True)


def _address_start(comp: Component) -> tuple[Component, str] | None:
    """Where the address starts inside a component that also holds other words.

    Tries the capitalised tail ("...I live at The Old Forge"), then each house number or flat
    word in it ("John Smith 12 Elm Road Leeds" once line breaks were collapsed).
    """
    tail = _address_suffix(comp) or comp
    k = kind(tail.text)
    if k is not None and tail is not comp:
        return tail, k
    for m in _TOKEN.finditer(tail.text):
        if m.start() == 0 or not (m.group(0)[0].isdigit() or m.group(0).lower() in ("flat", "apartment", "unit")):
            continue
        part = Component(tail.start + m.start(), tail.end, tail.text[m.start():], truncated=True)
        k = kind(part.text)
        if k == "flat" and part.text.strip().lower() in ("flat", "apartment", "unit"):
            continue  # "Thames Valley Probation Delivery Unit": the word names no flat without its number
        if k == "street" or (k == "flat" and not part.text[0].isdigit()):
            return part, k
    return None


def _words(text: str) -> list[str]:
    return [w.strip(".'’()").lower() for w in text.split()]


def kind(text: str) -> str | None:
    """flat, street, building or place; None when it does not read as part of an address."""
    words = _words(text)
    if not words or len(words) > 7:
        return None
    if FLAT.match(text):
        return "flat"
    flat_prefix = _FLAT_PREFIX.match(text)
    if flat_prefix and kind(text[flat_prefix.end() :]) == "street":
        return "street"  # "Flat 4 38 Mill Lane" written without a comma
    if flat_prefix and kind(text[flat_prefix.end() :]) == "building":
        return "flat"  # "Flat 6 Beech House"
    if HOUSE_NUMBER.match(text) and any(w.isalpha() for w in words[1:]):
        first_word = next(i for i, w in enumerate(words) if i and w.isalpha())
        if any(any(c.isdigit() for c in w) for w in words[first_word:]):
            return None  # "0215 hrs attended 16 Canal Street": a log line; the street starts at its own number
        return "street"
    if any(ch.isdigit() for ch in text):
        return None
    if words[-1] in STREET_SUFFIXES and len(words) >= 2:
        return "street"
    if words[0] in WELSH_STREET_WORDS and len(words) >= 2:
        return "street"
    if words[0] == "the" or any(w in BUILDING_WORDS for w in words):
        return "building"
    if len(words) <= 4 and all(_is_cap_token(t) or (t == "of" and 0 < i < len(words) - 1)
                               for i, t in enumerate(text.split())):
        return "place"  # "Portnalong", "Isle of Lewis", "Hill of Fearn"
    return None


_TITLES = frozenset("mr mrs ms miss mx dr prof sir dame lady lord rev revd cllr".split())


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if words and words[0].lower().rstrip(".") in _TITLES:
        return True
    last = words[-1].lower().strip(".,") if words else ""
    return (
        2 <= len(words) <= 3
        and gazetteer.is_first_name(words[0])
        and gazetteer.is_surname(words[-1])
        and not gazetteer.is_town(words[-1])
        # "Carlton Court", "Stanley Street", "Ty Gwyn": a building or street named like a person
        and last not in STREET_SUFFIXES and last not in BUILDING_WORDS and last not in WELSH_STREET_WORDS
        and not any(w.lower() in WELSH_STREET_WORDS | BUILDING_WORDS for w in words)
    )


def _components_before(doc: TextDoc, end: int, limit: int = 260) -> list[Component]:
    """Components ending at ``end``, nearest first, up to a hard boundary."""
    lo = max(0, end - limit)
    text = doc.text[lo:end]
    # Hard boundaries: blank line, a label colon, sentence end.
    cut = max(text.rfind("\n\n"), text.rfind(": "), text.rfind(":\n"), text.rfind(". "), text.rfind("? "),
              text.rfind("! "), text.rfind("("), text.rfind(")"), text.rfind("\t"))
    base = lo + cut + 1 if cut >= 0 else lo
    if cut >= 0 and text[cut] in ":.?!":
        base += 1 if lo + cut + 1 < end else 0
    comps: list[Component] = []
    segment = doc.text[base:end]
    for m in reversed(list(re.finditer(r"[^,\n;]+", segment))):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        s = base + m.start() + (len(raw) - len(raw.lstrip()))
        comps.append(Component(s, s + len(stripped), stripped))
    return comps


def walk_back(doc: TextDoc, end: int) -> tuple[int, set[str]] | None:
    """Start of the address that ends at ``end`` and the kinds of component in it."""
    seen: set[str] = set()
    start = None
    phase = "locality"
    for comp in _components_before(doc, end):
        candidate = comp
        k = kind(candidate.text)
        if k is None:
            tail = _address_start(candidate)
            if tail is None:
                break
            candidate, k = tail
        if _looks_like_name(candidate.text) and not candidate.text[0].isdigit():
            break  # a name line above the address ("Gurpreet Martin")
        if phase == "locality":
            if k == "place":
                pass
            elif k in ("street", "flat"):
                phase = "premises"
            elif k == "building":
                phase = "after_building"
        elif phase == "premises":
            if k == "place":
                break
            if k == "building":
                phase = "after_building"
        elif phase == "after_flat":
            if k != "flat" or candidate.text[0].isdigit():
                break
        elif phase == "after_building":
            if k not in ("flat", "building") and not (k == "street" and candidate.text[0].isdigit()):
                break
        seen.add(k)
        start = candidate.start
        if candidate.truncated:
            break
        if k == "flat" and not candidate.text[0].isdigit():
            phase = "after_flat"  # only a room of the flat may come before it: "Room 7, Flat 3, Elms Village"
    if start is None:
        return None
    return start, seen


_SEPARATOR_BEFORE_POSTCODE = re.compile(r"[ ,\n]*$")


class AddressRecogniser:
    name = "address"
    labels = ("ADDRESS",)
    order = 30

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]:
        out: list[Entity] = []
        for pc in (e for e in found if e.label == "POSTCODE" and not in_letterhead(doc, e.start)
                   and not organisation_address(doc, e.start)):
            sep = _SEPARATOR_BEFORE_POSTCODE.search(doc.text, max(0, pc.start - 4), pc.start)
            end = sep.start() if sep else pc.start
            if end == pc.start and pc.start > 0 and not doc.text[pc.start - 1].isspace():
                continue
            if doc.text[:end].rstrip().endswith(":"):
                continue  # "111 call handler: LL57 3PT": a speaker or a label, then the postcode alone
            result = walk_back(doc, end)
            if result is None:
                continue
            start, kinds = result
            if "street" in kinds or ("building" in kinds and "place" in kinds) or "flat" in kinds and len(kinds) > 1:
                out.append(Entity(start, end, "ADDRESS", 0.88, self.name, ("postcode_anchor", *sorted(kinds))))
        out.extend(self._streets_without_postcode(doc, out))
        out.extend(self._streets_in_words(doc, out))
        out.extend(self._welsh_streets(doc, out))
        out = [self._from_cue(doc, e) for e in out if not in_letterhead(doc, e.start) and not firm_footer(doc, e.start)
               and not organisation_address(doc, e.start)]
        out.extend(self._answers(doc, found, out))
        out.extend(self._labelled(doc, found, out))
        return out

    def _labelled(self, doc: TextDoc, found: Sequence[Entity], addresses: list[Entity]) -> list[Entity]:
        """The value of a form's address field ("Address: 4 Ceann a Bhaigh, Tarbert, Isle of Harris   Postcode:
        HS3 3DG", "usual address Room 14, Park Royal Hotel, Acton - asylum accommodation"): shaped like an
        address, it needs no street word."""
        out: list[Entity] = []
        if "address" not in doc.lower:
            return out
        postcodes = [e.start for e in found if e.label == "POSTCODE"]
        for m in _ADDRESS_FIELD.finditer(doc.text):
            start, line_end = m.start("v"), doc.line_end(m.start("v"))
            end = min([p for p in postcodes if start < p <= line_end], default=line_end)
            value = _FIELD_END.split(doc.text[start:end], 1)[0]
            value = _CLAUSE_AFTER.split(value, 1)[0].rstrip(" ,.!;")
            if _NOT_A_VALUE.search(value):
                continue  # "refuge (withheld)", "c/o sponsor", "Time at address: 6 years"
            if (not value or any(a.start < start + len(value) and start < a.end for a in (*addresses, *out))
                    or in_letterhead(doc, start) or organisation_address(doc, start) or not self._answer_shaped(value)):
                continue
            out.append(Entity(start, start + len(value), "ADDRESS", 0.85, self.name, ("address_field",)))
        return out

    def _welsh_streets(self, doc: TextDoc, anchored: list[Entity]) -> list[Entity]:
        """Welsh streets name their kind first ("4 Bryn Celyn", "Maes y Coed", "Heol y Nant"): with a house
        number, or after an address phrase, they are addresses."""
        out: list[Entity] = []
        for m in _WELSH_STREET.finditer(doc.text):
            start, end = m.span()
            if any(e.start < end and start < e.end for e in (*anchored, *out)):
                continue
            if not m.group("num") and not _WELSH_CUE.search(doc.lower, max(0, start - 40), start):
                continue
            out.append(Entity(start, _extend_places(doc, end), "ADDRESS", 0.72, self.name, ("welsh_street",)))
        return out

    @staticmethod
    def _from_cue(doc: TextDoc, entity: Entity) -> Entity:
        """Start the address where "I live at" or "Home address:" says it starts, when a named premises comes
        before the street ("resides Ashgrove children's home, 3 Birch Lane", "The Flat, above the pharmacy,
        2 High Street")."""
        line_start = doc.line_start(entity.start)
        cue = None
        for cue in _PREMISES_CUE.finditer(doc.lower, max(line_start, entity.start - 70), entity.start):
            pass
        if cue is None or cue.end() >= entity.start:
            return entity
        between = doc.text[cue.end() : entity.start].rstrip(" ,")
        parts = [p.strip() for p in between.split(",")]
        if not between or len(parts) > 2 or any(not p or len(p.split()) > 8 or re.search(r"[.;:!?]", p) for p in parts):
            return entity
        if re.match(r"(?i)(?:an?|some|his|her|their|my|our)\b", between) or re.search(
                r"(?i)address|\bc/o\b|\b(?:mr|mrs|ms|miss|dr)\b", between):
            return entity  # "staying at an address on Clarendon Street": the street is the address
        return Entity(cue.end(), entity.end, entity.label, entity.score, entity.recogniser,
                      (*entity.evidence, "premises_before"))

    def _answers(self, doc: TextDoc, found: Sequence[Entity], addresses: list[Entity]) -> list[Entity]:
        """The whole reply to "What's the address?" or "And the first line?": an address needs no street word
        when it answers the question ("Tigh na Mara, Portnalong, Isle of Skye", "Sixty-one Moortown Ring")."""
        out: list[Entity] = []
        if not _ADDRESS_QUESTION.search(doc.lower):
            return out
        postcodes = [e for e in found if e.label == "POSTCODE"]
        pos = 0
        while pos < len(doc.text):
            line_end = doc.line_end(pos)
            start = speaker_label_end(doc, pos) or pos
            start = _ANSWER_LEAD.match(doc.text, start, line_end).end()
            question = reply_to(doc, start) if start < line_end else None
            if question and _ADDRESS_QUESTION.search(question) and not _NOT_ADDRESS_QUESTION.search(question):
                end = min([pc.start for pc in postcodes if start < pc.start < line_end], default=line_end)
                head = re.match(r"[^,\n]+,[ \t]*", doc.text[start:end])
                if head and "name" in question and not any(c.isdigit() for c in head.group(0)):
                    start += head.end()  # "Can I take your name and address?" "Kelly Shaw, flat 9 ..."
                for date_start, date_end in doc.extras.get("dates", ()):
                    if start <= date_start < end:  # "Date of birth and address?" "18th May, sixty-three. Flat 31, ..."
                        start = date_end + len(re.match(r"[ \t,.;]*", doc.text[date_end:end]).group(0))
                value = _CLAUSE_AFTER.split(doc.text[start:end], 1)[0].rstrip(" ,.!")
                if self._answer_shaped(value):
                    out.append(Entity(start, start + len(value), "ADDRESS", 0.9, self.name, ("answer_to_address_question",)))
            pos = line_end + 1
        return out

    @staticmethod
    def _answer_shaped(value: str) -> bool:
        words = value.split()
        if not 2 <= len(words) <= 12 or "?" in value or ":" in value or words[0].lower().strip(",.!") in _NOT_ANSWER_START \
                or re.search(r"(?i)\bthank|\bdisclose\b|\bconfidential\b", value):
            return False
        parts = [p.strip() for p in value.split(",") if p.strip()]
        first = parts[0]
        numbered = first[0].isdigit() or first.split()[0].lower().split("-")[0] in _NUMBER_WORDS or bool(
            _NUMBERED_PLACE.fullmatch(first))
        return bool(kind_any_case(first)) or numbered and len(first.split()) <= 5 or (
            len(parts) >= 2 and all(len(p.split()) <= 5 and _is_cap_token(p.split()[0]) for p in parts))

    def _streets_in_words(self, doc: TextDoc, anchored: list[Entity]) -> list[Entity]:
        """Addresses with no postcode and no capitals or no house number: "22 hawthorn drive",
        "flat 4 jubilee house, albion street, hull", "Holly Cottage, Back Street, Ripon". A street needs a
        house number, a building or flat before it, or an address phrase ("I live at") to count."""
        out: list[Entity] = []
        for m in _street_matches(doc.text):
            start, end = m.span()
            if any(e.start < end and start < e.end for e in (*anchored, *out)):
                continue
            words = m.group("words").split()
            lower = m.group(0) == m.group(0).lower()
            if any(w.lower() in _NOT_STREET_WORDS for w in words[1:] if w.lower() != "st") or (
                words[0].lower() in _NOT_STREET_WORDS - {"the"}) or (words[0].lower() == "the" and len(words) > 1):
                continue
            num = m.group("num") or ""
            if num[:2] in ("19", "20") and len(num) == 4:
                continue  # a year: "5 April 2024 must reach us"
            if lower and m.group("suffix").lower() not in _PLAIN_STREET_SUFFIXES and not num:
                continue  # "the claim will close": in lower case only a plain street word will do
            if not lower and not all(w[0].isupper() or w.lower() in CONNECTORS or w.lower() == "the" for w in words):
                continue  # "the street light", "a quiet road"
            comps = _components_before(doc, start)
            first = start
            has_building = False
            for comp in comps[:2]:
                part = _address_tail(comp)
                k = kind_any_case(part.text) if part else None
                if part is not None and (k in ("flat", "building") or (k == "street" and not lower)):
                    first, has_building = part.start, True
                    if k == "flat" or part.truncated:
                        break
                else:
                    break
            flat = _FLAT_BEFORE.search(doc.text, max(0, first - 24), first)
            if flat:
                first, has_building = flat.start(1), True
            end = _extend_places_any_case(doc, end, lower)
            cue = _ADDRESS_CUE.search(doc.lower, max(0, first - 40), first)
            if cue is not None and not (m.group("num") or has_building) and _EVENT_PLACE_CUE.fullmatch(cue.group(0).strip()):
                cue = None  # "seen at Ealing Broadway", "the footpath at Cromwell Lane": where something happened
            if not (m.group("num") or has_building or cue):
                continue
            out.append(Entity(first, end, "ADDRESS", 0.72, self.name, ("street_in_words",)))
        return out

    def _streets_without_postcode(self, doc: TextDoc, anchored: list[Entity]) -> list[Entity]:
        out = []
        for m in _NUMBERED_STREET.finditer(doc.text):
            if m.group("suffix").lower() not in STREET_SUFFIXES:
                continue
            if any(e.start <= m.start() < e.end or m.start() <= e.start < m.end() for e in anchored):
                continue
            end = _extend_places(doc, m.end())
            result = walk_back(doc, end)
            if result is None:
                continue
            start, _ = result
            out.append(Entity(start, end, "ADDRESS", 0.72, self.name, ("street_anchor",)))
        return out


_NUMBERED_STREET = re.compile(
    r"(?<![\w£$.,:])\d{1,4}[A-Za-z]?,?[ ]+(?:[A-Z][\w'’\-]*[ ]+){1,3}(?P<suffix>[A-Z][a-z]+)\b"
    r"(?:[ ]+(?:North|South|East|West)(?=[ ]*(?:[,.;\n]|$)))?"  # "3 Coombe Lane West, Kingston"
)


_SUFFIX_ALTERNATIVES = "|".join(sorted(STREET_SUFFIXES - {"end", "side", "top", "bank", "steps"}, key=len, reverse=True))
_ANY_STREET = re.compile(
    r"(?<![\w£$.,:/])(?:(?P<num>\d{1,4}[A-Za-z]?),?[ \t]+)?(?P<words>(?:[^\W\d_][\w'’\-]*[ \t]+){1,3})"
    r"(?P<suffix>" + _SUFFIX_ALTERNATIVES + r")\b(?![ \t]+(?:light|lights|sign|signs|works|closure))"
    r"(?:[ \t]+(?:north|south|east|west)(?=[ \t]*(?:[,.;\n]|$)))?",  # "3 Coombe Lane West, Kingston"
    re.I,
)
def _street_matches(text: str) -> Iterator[re.Match[str]]:
    """Every street-shaped run, and where an address phrase runs into a street's name ("she lives on Cherry
    Tree Lane", "we moved to ashgrove avenue") also the run after the phrase."""
    for m in _ANY_STREET.finditer(text):
        yield m
        words = list(re.finditer(r"\S+", m.group("words")))
        stops = [w for w in words if w.group(0).lower() in _NOT_STREET_WORDS]
        if stops and not m.group("num") and stops[-1] is not words[-1]:
            pos = m.start("words") + words[words.index(stops[-1]) + 1].start()
            if not _ADDRESS_CUE.search(text.lower(), max(0, pos - 40), pos):
                continue  # only an address phrase just before: "the school on Elm Grove" is not an address
            again = _ANY_STREET.match(text, pos)
            if again is not None and again.end() == m.end():
                yield again


# Words that are never part of a street's name: a sentence, not an address ("outside the school on Elm Grove").
_NOT_STREET_WORDS = frozenset(
    """a an the on in at to of for and or my your his her our their this that these those outside near by from with
    is was are were be been i we you he she they it its me us him them into onto down up along across behind past
    opposite round around off over under every each some any no not same other another busy quiet dark must will
    can could should would may might shall has have had do does did get got sheriff magistrates magistrates' custody
    tribunal""".split()
)
_FLAT_BEFORE = re.compile(r"(?i)(?:^|[^\w])((?:flat|apartment|apt|unit|room)[ \t]+\d{1,4}[a-z]?,?[ \t]+)$")
_ADDRESS_CUE = re.compile(
    r"(?:live at|lives at|living at|lived at|live on|lives on|living on|lived on|staying at|stays at|address is|"
    r"address:|address on|address in|addy is|moved to|moving to|moved into|moving into|"
    r"new address|resides at|residing at|home at|visited|attended|attend|broke into[^,.]{0,20}at|at|"
    # someone's home named by where it is: "from ours on Habershon st", "at hers on Ashley Down Road", "the
    # back garden on Trewirgie Road", "his mum on Cowbridge Rd East", "Marian's flat on Alfreton Road"
    r"(?:from|at)[ \t]+(?:ours|mine|hers|theirs)[ \t]+on|(?:(?:my|our|her|his|their|the)[ \t]+(?:back[ \t]+)?"
    r"(?:house|garden|step|porch)|at[ \t]+home|on[ \t]+(?:his|her|their)[ \t]+own|with[ \t]+(?:his|her)[ \t]+"
    r"(?:mum|mam|dad|nan|gran)|(?:friend|mum|mam|dad|nan|gran|auntie|aunty|uncle|cousin|sister|brother)['’]s"
    r"(?:[ \t]+(?:house|flat|place))?|[A-Z]?[a-z]+['’]s[ \t]+(?:house|flat))[ \t]+on)[ \t]*$"
)


_WELSH_STREET = re.compile(
    r"(?<![\w£$.,:/])(?:(?P<num>\d{1,4}[A-Za-z]?),?[ \t]+)?(?:Heol|Ffordd|Stryd|Lôn|Lon|Maes|Rhodfa|Llwyn|Bryn|Clos|"
    r"Teras|Plas|Parc|Cae|Pen[ \t]+y|Tan[ \t]+y)[ \t]+(?:(?:y|yr|'r)[ \t]+)?[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+)?")
_WELSH_CUE = re.compile(r"(?:\baddress[^:\n]{0,20}:|\blives? (?:at|on|in)|\bliving (?:at|on)|\bfrom|\bat|\bto|"
                        r"\bnumber \d{1,4}|\bdad's,|\bmum's,)[ \t]*$")
_PREMISES_CUE = re.compile(
    r"(?:\blives? at|\bliving at|\blived at|\bresides(?: at)?|\bresiding at|\bhome address[^:\n]{0,30}:|"
    r"\baddress:|\btaken home to|\bstaying at|\bstays at)[ \t]+")
_ANSWER_LEAD = re.compile(r"[ \t]*(?:(?:yes|yeah|yep|it's|its|it is|that's|thats|um|er|erm|sure|ok|okay|so)[,.]?[ \t]+)*",
                          re.IGNORECASE)
_ADDRESS_QUESTION = re.compile(r"\b(?:address|first line|where do you live|where are you (?:living|staying)|"
                               r"where (?:does|is) (?:he|she|they) (?:live|living|staying)|where are they (?:living|staying))\b")
# Where a reply stops being an address: "19 Coniston Way, Kirkby, the kitchen's on fire".
_CLAUSE_AFTER = re.compile(r"\.[ \t]+(?=[A-Z])|(?:,|[ \t][-–—])[ \t]+(?=(?:but|and|the|we|we're|were|i|i'm|i've|it|it's|its|he|she|they|"
                           r"there|there's|that|this|so|because|cos|near|opposite|next|asylum|temporary|until|since|"
                           r"from|for|with|no|not)\b)", re.I)
_NUMBERED_PLACE = re.compile(r"(?i)(?:room|bay|plot|pitch|unit|flat|croft|berth|site|block|caravan|chalet|cabin)[ \t]+"
                             r"\d{1,4}[a-z]?")
_ADDRESS_FIELD = re.compile(r"(?im)\b(?:home|current|permanent|usual|postal|correspondence|residential|supply|new|"
                            r"previous)?[ \t]*address(?:[ \t]*\([^)\n]{0,30}\))?(?:[ \t]*:[ \t]*|[ \t]{2,}|[ \t]+(?=(?:"
                            r"room|flat|bay|plot|pitch|unit|croft|\d)))(?P<v>[A-Za-z0-9][^\n]*)")
_NOT_A_VALUE = re.compile(r"(?i)[()?]|\bc/o\b|\b(?:withheld|unknown|n/a|nfa|same|above|below|none|redacted|"
                         r"years?|months?|weeks?|days?|yrs?|disclose|confidential)\b")
_FIELD_END = re.compile(r"[ \t]{2,}|\t|[ \t]*\|")
_NOT_ADDRESS_QUESTION = re.compile(r"\b(?:e-?mail|web|ip|url) address|\baddress (?:the|this|that|it|your (?:concern|complaint))")
_NOT_ANSWER_START = frozenset("""no not nope same yes yeah yep it i i'm im we he she they can could sorry don't dont ok okay
    perfect perfetto great lovely sure fine right correct with""".split())
_NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
    eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred""".split())


_EVENT_PLACE_CUE = re.compile(r"at|visited|attended|attend")
_PLAIN_STREET_SUFFIXES = frozenset(
    "road rd street avenue ave lane ln drive crescent cres terrace tce gardens gdns grove mews parade boulevard".split()
)


def _address_tail(comp: Component) -> Component | None:
    """The component, or its longest tail that reads as a flat or a building ("... at Holly Cottage")."""
    tokens = list(_TOKEN.finditer(comp.text))
    best = None
    for i in range(len(tokens) - 1, max(-1, len(tokens) - 6), -1):
        first_word = tokens[i].group(0).lower()
        if first_word in _NOT_STREET_WORDS - {"the"}:
            break
        text = comp.text[tokens[i].start() :]
        if kind_any_case(text) in ("flat", "building", "street") and (
            text[0].isupper() or text[0].isdigit() or first_word in ("flat", "apartment", "unit", "room", "the")
            or comp.text == comp.text.lower()
        ):
            best = Component(comp.start + tokens[i].start(), comp.end, text, truncated=i > 0)
    return best


def kind_any_case(text: str) -> str | None:
    """``kind`` for text in any case: "flat 4 jubilee house" is a flat, "holly cottage" a building."""
    k = kind(text)
    if k is not None or text != text.lower():
        return k
    return kind(" ".join(w[:1].upper() + w[1:] for w in text.split()))


def _extend_places_any_case(doc: TextDoc, end: int, lower: bool) -> int:
    """Localities and a post town after the street, capitalised or, in lower-case text, known towns."""
    end = _extend_places(doc, end)
    if not lower:
        return end
    for _ in range(2):
        m = re.match(r",?[ \t]+([a-z][a-z'’\-]+(?:[ \t]+(?:upon|on|le|in|by)[ \t]+[a-z][a-z'’\-]+)?)(?=[ \t]*(?:[,.\n!?]|$|[a-z]{1,2}\d))",
                     doc.text[end : end + 40])
        if not m or (gazetteer.is_english_word(m.group(1)) and not gazetteer.is_town(m.group(1))):
            break
        end += m.end()
    return end


_PLACE_AFTER = re.compile(r",\s*([A-Z][\w'’\-]*(?:\s+(?:upon|on|le|in|by|[A-Z][\w'’\-]*)){0,3})(?=[,.\n?!;)]|$)")
# "..., Mirfield on Saturday night", "..., Hove where": the town ends where the sentence goes on.
_PLACE_BEFORE_CLAUSE = re.compile(
    r",\s*([A-Z][\w'’\-]*(?:\s+(?:upon|le|by|[A-Z][\w'’\-]*)){0,2}?)(?=\s+(?:(?:on|in|at)\s+(?:the\b|[a-z]|Monday|"
    r"Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|last|this|yesterday|today|between|and|from|where|when|but)\b)")


def _extend_places(doc: TextDoc, end: int) -> int:
    """Take up to two following ", Town" components (a locality and a post town)."""
    for _ in range(2):
        m = _PLACE_AFTER.match(doc.text[end : end + 60]) or _PLACE_BEFORE_CLAUSE.match(doc.text[end : end + 60])
        if not m:
            break
        end += m.end()
    return end


@pii_recognisers.register("address")
def address(options: dict[str, Any]) -> AddressRecogniser:
    return AddressRecogniser()
