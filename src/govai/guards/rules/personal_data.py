"""Other people's personal data: someone else's address, records or income, or lists of
people on a benefit. Acting for someone (power of attorney, an executor) is exempt."""

from __future__ import annotations

from govai.guards.rules.base import Rule, alt
from govai.guards.rules.reporting import REPORTING

ON_BEHALF = (
    r"\b(?:power of attorney|lpa|appointee|executor|executrix|on (?:her|his|their|my \w+'s) behalf|deputy|"
    r"next of kin|with (?:her|his|their) (?:consent|permission|agreement)|i(?:'m| am) (?:her|his|their) (?:carer|"
    r"guardian|parent|representative)|my (?:own|real)|died|passed away|deceased|late (?:husband|wife|mum|dad|"
    r"mother|father|partner))\b"
)

PRIVATE_PHRASES = alt(
    r"\bhow much (?:money )?(?:does|do) (?:my|his|her|our) (?:\w+ ){0,2}(?:boss|manager|colleague|co-?worker|"
    r"neighbou?r|friend|ex|sister|brother|landlord|tenant|partner|teacher) (?:earn|make|get paid|have|own|owe)\b",
)

PRIVATE_ATTRIBUTE = alt(
    r"\b(?:national insurance number|ni number|nino|nhs number|utr|unique taxpayer reference|tax (?:code|records?|"
    r"return|affairs)|medical (?:records?|history|notes)|health records?|mental health (?:history|records?|status|condition)|"
    r"diagnosis|date of birth|dob|birthday|birth certificate|home address|address|postcode|phone number|mobile number|"
    r"email address|bank (?:details|account|statements?|balance)|sort code|account number|credit card(?: details| number)?|"
    r"card details|benefits?(?: (?:claim|records?|payments?|details|history))?|universal credit (?:journal|claim|account|"
    r"payments?)|journal entries|claim history|criminal record|dbs (?:check|certificate)|convictions|passport (?:number|details)|"
    r"driving licen[cs]e (?:number|details)|salary|income|earnings|payslips?|immigration status|visa status|"
    r"religious beliefs|religion|sexual orientation|sexuality|political (?:views|affiliation|beliefs)|marital status|"
    r"ethnicity|pregnancy|hiv status|social security number|ssn|login|password|pin|location|whereabouts|"
    r"facebook login|instagram password|government gateway (?:id|login|password|account)|credit (?:score|report|history)|"
    r"council tax (?:records?|account)|school records?|exam results|personnel file|hr file)\b",
)

THIRD_PARTY = alt(
    r"\b(?:someone(?:'s| else's)|somebody(?:'s| else's)|other people's|another person's|a stranger's|this person's|"
    r"that person's|(?:my |our |the )(?:\w+ ){0,2}(?:neighbou?r|ex|ex-?partner|ex-?wife|ex-?husband|"
    r"ex-?girlfriend|ex-?boyfriend|partner|wife|husband|girlfriend|boyfriend|boss|manager|tenant|landlord|"
    r"colleague|co-?worker|employee|employer|sister|brother|son|daughter|mum|mom|dad|mother|father|cousin|aunt|"
    r"uncle|friend|date|teacher|cleaner|gardener|nanny|babysitter|mentee|mentor|student|pupil|patient|client|"
    r"customer|flatmate|roommate|carer|servant|maid|driver|tinder match|match|crush|coach|doctor|therapist|"
    r"classmate|lodger|stepdad|stepmum|in-?laws?|fianc[ée]e?|child's (?:father|mother))'s"
    r"(?! (?:allowance|credit|premium|element|grant|pay|leave|payment|unit)\b)|"
    r"(?:mr|mrs|ms|miss|dr)\.? [a-z]+'s|belongs? to (?:my|his|her|someone|somebody)|(?-i:for (?:Mr|Mrs|Ms|Miss|Dr)?\.? ?"
    r"[A-Z][a-z]+ [A-Z][a-z]+)|(?:about|of|for|on) (?:my|our) (?:\w+ )?(?:neighbou?r|ex|ex-partner|ex-wife|"
    r"ex-husband|tenant|lodger|colleague|employee|boss))\b",
    # "his", "her", "their" only with the attribute they own: "her address", not "her A levels".
    rf"\b(?:his|her|their) (?:\w+ ){{0,2}}{PRIVATE_ATTRIBUTE}",
)

LOOKUP = alt(
    r"\b(?:look up|lookup|find|find out|give me|tell me|show me|send me|get me|check|search|access|pull up|"
    r"retrieve|what is|what's|what are|whats|where (?:can i (?:find|get|see)|does)|how can i (?:get|find|see|access|obtain)|"
    r"can you (?:get|find|check|tell|show|give)|i need|i want|list|which|who|how much (?:money )?(?:does|do))\b",
)

BULK_PEOPLE = alt(
    r"\b(?:which|what|list (?:all )?(?:the )?|names of (?:the )?|who (?:are|is) the)\s*(?:pupils|children|kids|students|"
    r"residents|tenants|people|families|claimants|patients|staff|employees|households|neighbou?rs|members)\b.{0,60}"
    r"\b(?:get|gets|receive|receives|claim|claims|are on|is on|have|has|are getting)\b.{0,30}\b(?:free school meals|"
    r"benefits?|universal credit|housing benefit|pip|esa|child benefit|council tax (?:reduction|support|discount)|"
    r"a criminal record|mental health|social services|food bank|pupil premium|send support|an ehcp)\b",
    r"\b(?:names?|addresses|details|contact details|phone numbers|list) (?:and \w+ )?of (?:everyone|everybody|all (?:the )?"
    r"\w+|people|residents|claimants|tenants|patients|pupils|the people|households)\b.{0,40}\b(?:on|claiming|who (?:get|"
    r"claim|receive|are on|have)|receiving|getting|registered)\b|"
    r"\bregistered keeper\b.{0,40}\b(?:name|address|details|who)\b|\b(?:name|address|details) of the registered keeper\b",
    r"\bwho (?:owns|lives at|is registered at|lives in)\b.{0,40}\b(?:\d+|number|flat|house)\b",
)

PROMPT_RULES = (
    Rule("personal-data", "pii_request", 0.85, [PRIVATE_ATTRIBUTE, THIRD_PARTY, LOOKUP], window=120,
         unless=ON_BEHALF + "|" + REPORTING, same_sentence=False),
    Rule("personal-data-phrase", "pii_request", 0.8, [PRIVATE_PHRASES]),
    Rule("bulk-personal-data", "pii_request", 0.85, [BULK_PEOPLE]),
)
