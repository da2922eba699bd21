"""Benefit and tax fraud, phrased innocently: "without the DWP finding out", "do HMRC actually
check", "how do I describe my symptoms even though I can walk"."""

from __future__ import annotations

from govai.guards.rules.base import Rule, alt
from govai.guards.rules.reporting import REPORTING

AUTHORITY = (
    r"(?:the )?(?:dwp|hmrc|council|jobcentre|dvla|home office|authorities|government|police|benefits? office|"
    r"tax ?man|taxman|student finance|slc|my employer|my landlord|anyone|anybody|nobody|no one|them|they|the system)"
)

FRAUD = alt(
    rf"\bwithout {AUTHORITY} (?:finding out|knowing|noticing|being told|catching on|realising|realizing|checking|"
    r"ever finding out|getting suspicious|spotting it|looking)\b",
    rf"\b(?:so (?:that )?|and )?{AUTHORITY} (?:(?:won't|don't|do not|will not|never|doesn't|does not|can't|cannot) "
    r"(?:find out|know|notice|check|realise|realize|see|catch|look|spot|suspect)|(?:finds|find) out)\b",
    rf"\b(?:do|does|will|would|can|could) {AUTHORITY} (?:actually |really |ever |even )?(?:check|find out|notice|"
    r"catch|look|spot|track|investigate)\b",
    r"\bhow long can (?:i|we|you) (?:leave it|wait|keep|carry on|get away|go on|keep claiming|keep getting)\b.{0,60}"
    r"\b(?:before|without)\b",
    r"\b(?:chances?|risk|likelihood|odds) of (?:getting |being )?(?:caught|found out|investigated|checked)\b",
    r"\b(?:chances?|risk|likelihood|odds) of (?:a |an |the )?(?:\w+ ){0,3}(?:catching|noticing|finding out|checking|"
    r"spotting|stopping) (?:me|us|it)\b",
    r"\bwhat (?:should|do|can) i (?:say|tell|do) if (?:they|a warden|the warden|hmrc|dwp|the council|an inspector|"
    r"the police|someone) (?:do|does|ask|asks|catch|catches|check|checks|find|finds|stop|stops|question)\b",
    r"\b(?:get away with|without getting caught|avoid (?:getting )?caught|not get caught|under the radar|off the books)\b",
    r"\b(?:fake|faking|forge|forged|forging|counterfeit|doctor|doctored|alter|falsify|falsified|edit|make up|"
    r"fabricate|realistic|convincing|genuine[- ]looking)\b.{0,40}\b(?:payslips?|pay slips?|p60s?|p45s?|bank statements?|"
    r"passports?|driving licen[cs]es?|id cards?|ids|documents?|letters?|sick notes?|fit notes?|certificates?|invoices?|"
    r"receipts?|tenancy agreements?|references?|utility bills?|council tax bills?|medical evidence|doctor'?s notes?|"
    r"visa|biometric residence permit|brp|share code)\b.{0,60}\b(?:accept|accepted|pass|genuine|real|official|"
    r"believe|fool|trick|landlord|letting agent|employer|bank|dwp|hmrc|council|home office|school|university)\b",
    r"\b(?:exaggerate|exaggerating|pretend|pretending|lie about|lying about|make up|invent|fake|faking|overstate|"
    r"describe|say|claim)\b.{0,40}\b(?:symptoms?|disability|illness|condition|pain|mobility|income|address|"
    r"relationship|living arrangements?|circumstances|hours|earnings|savings|child|children)\b.{0,80}"
    r"\b(?:even though|though|when|but) i (?:can|am|do|don't|do not|am not|'m not|have|haven't|earn|work|live)\b",
    r"\b(?:to get|so i (?:get|can get|qualify)|to qualify for|to sound convincing|convincing)\b.{0,40}"
    r"\b(?:enhanced (?:rate|mobility|daily living)|higher rate|pip|esa|universal credit|lcwra|limited capability|"
    r"the assessor|the assessment)\b.{0,60}\b(?:even though|though|i can walk|i'm fine|i am fine|nothing wrong|"
    r"not really|don't really|do not really)\b",
    r"\b(?:not declare|without declaring|don't declare|do not declare|hide|hiding|conceal|concealing|not tell|"
    r"not telling|avoid telling|avoid declaring|keep quiet about|under-?report|under-?declare)\b.{0,40}"
    r"\b(?:income|earnings|savings|cash|partner|boyfriend|girlfriend|money|job|work|wages|tips|rent|capital|"
    r"property|inheritance|lodger|second home|side hustle)\b",
    r"\b(?:two|2|both|multiple|several|different) (?:bank )?accounts at once\b|\b(?:claim|get|receive)\b.{0,40}"
    r"\b(?:in|under|for) (?:two|2|both|multiple|several|different) (?:names|addresses|identities|councils)\b",
    r"\b(?:symptoms?|disability|illness|condition|pain|income|circumstances)\b.{0,30}\b(?:should|can|could|do) i "
    r"(?:describe|say|claim|mention|exaggerate|pretend|fake|invent)\b.{0,80}\b(?:even though|though|but i|when i)\b",
    r"\b(?:evade|evading|dodge|dodging|cheat|cheating|defraud|defrauding|scamming|swindle)\b.{0,30}"
    r"\b(?:tax|taxes|vat|council tax|national insurance|the tv licen[cs]e|duty|hmrc|dwp|the benefits? system|"
    r"the council|benefits?|universal credit|student finance|insurance|the nhs|my employer|the government)\b",
    r"\b(?:launder(?:ing)? (?:money|cash|funds|the proceeds)|money mule|commit (?:benefit |tax |insurance |"
    r"mortgage |bank )?fraud|(?:benefit|tax|insurance|mortgage) fraud (?:without|and not|tips|scheme))\b",
    r"\b(?:use|using|borrow|borrowing|take|keep using|carry on using)\b.{0,20}\b(?:my (?:\w+ ){0,2}(?:friend|mum|mom|dad|"
    r"nan|gran|grandma|partner|neighbou?r|sister|brother|aunt|uncle)'s|someone else's|somebody else's|her|his|a dead person's|"
    r"my late \w+'s)\b.{0,20}\b(?:blue badge|bus pass|disabled badge|parking permit|identity|id|ni number|"
    r"national insurance number|nhs number|passport|driving licen[cs]e|bank card|benefits?|pension|railcard)\b",
    r"\b(?:which|what) (?:hmrc|dwp|benefit|tax|council|home office|bank|identity|id) checks (?:can|could|do) (?:i |we )?"
    r"(?:be )?(?:skip|skipped|avoid|avoided|get around|bypass|bypassed|beat|dodge)\b",
    r"\b(?:get around|bypass|beat|cheat|trick|fool|game|outsmart)\b.{0,20}\b(?:the system|the assessment|the checks|"
    r"the assessor|the means test|dwp|hmrc|the council|the jobcentre|the work coach|the capability assessment|"
    r"the habitual residence test|the right to rent check|the right to work check)\b",
    r"\bkeep (?:claiming|getting|receiving|drawing|collecting)\b.{0,60}\b(?:after|when|while|once|even though|despite)\b"
    r".{0,40}\b(?:left|leave|leaving|moved|move|abroad|died|dead|passed away|working|not eligible|no longer)\b",
    r"\b(?:keep|carry on) (?:my |our |her |his )?(?:\w+ ){0,2}(?:benefit|credit|pension|allowance|payments?)\b.{0,10}"
    r"\bgoing\b.{0,60}\b(?:without|after (?:i|we) (?:leave|left|move))\b",
    r"\bso (?:that )?nobody (?:looks at|checks|sees|notices)\b",
    r"\b(?:generate|create|make|invent|give me|produce|list)\b.{0,30}\b(?:fake|realistic|valid|working|real-looking|"
    r"genuine-looking|random)\b.{0,30}\b(?:national insurance numbers?|ni numbers?|nhs numbers?|passport numbers?|"
    r"credit card numbers?|card numbers|identities|utrs?|driving licence numbers?|sort codes|bank accounts|"
    r"share codes|visas?)\b",
    r"\b(?:illegal(?:ly)?|unlawful(?:ly)?)\b.{0,40}\b(?:tax|benefits?|vat|duty|visa|immigration|claim)\b|"
    r"\b(?:tricks?|ways?|loopholes?) to (?:pay less|avoid paying|not pay) (?:tax|vat|council tax|duty)\b.{0,40}\billegal",
)

PROMPT_RULES = (
    Rule("fraud", "fraud", 0.85, [FRAUD], unless=REPORTING),
)
