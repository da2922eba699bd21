"""Violence, weapons, drugs, cyber attacks and theft: a harmful act *and* a how-to request, close
together, so "how do I kill off my road-tax direct debit?" stays allowed; fiction, games and
questions about the law are exempt."""

from __future__ import annotations

from govai.guards.rules.base import Rule, alt
from govai.guards.rules.reporting import REPORTING

HOWTO = alt(
    r"\b(?:how (?:do|can|could|would|should|might|to|would one|does one|will)|how'?d|what'?s? (?:is )?(?:the |a |some )?"
    r"(?:best|easiest|quickest|fastest|simplest|most effective|perfect|good|cheapest|surest|safest|most efficient|"
    r"most painless|least painful) (?:way|ways|method|methods|strategy|place|places|time|tool|weapon|poison)|"
    r"(?:good |best |easy |quick |effective )?ways? (?:of|to)|where (?:can|do|could|should|would) (?:i|we|one|you|someone)|"
    r"(?:can|could|should|would) (?:i|we) (?:use|do|get|buy|make)|steps? (?:to|for)|tips? (?:for|on)|guide (?:to|on)|teach me|show me how|tell me how|explain how|"
    r"help me|i (?:want|need|plan|intend|am going|'m going|would like) to|where(?:'s| is) (?:a |the )?(?:good|best|safe|"
    r"quiet|ideal|easiest) (?:place|spot|time|location)|(?:perfect|best|good|winning|foolproof) (?:strategy|plan|method|way)|plan (?:a|an|to|the|my|another)|"
    r"give me (?:instructions|directions|a plan|tips|steps)|instructions (?:for|on|to)|step[- ]by[- ]step|"
    r"can you (?:help|tell|show|explain|give)|i wanna|let me know how|detailed (?:guide|plan|instructions))\b",
)

HARMLESS_CONTEXT = alt(
    r"\b(?:in|on|for|during) (?:a |an |the |my |our )?(?:game|video ?game|gta|grand theft auto|counter[- ]?strike|"
    r"battlefield|minecraft|fortnite|call of duty|chess|novel|crime novel|book|story|film|movie|play|tv show|"
    r"screenplay|script|musical|theatre|sketch|cartoon|boxing|karate|judo|self[- ]defen[cs]e class|paintball|"
    r"laser tag|dungeons|d&d|rpg)\b",
    r"\b(?:in|does|did) (?:the )?(?:lion king|die hard|ocean'?s (?:11|eleven)|hamlet|macbeth|star wars|harry potter|"
    r"game of thrones|breaking bad)\b",
    r"\b(?:how (?:did|was|were|has|had)|why (?:did|was|were)|what happened|who (?:was|were) killed|who killed|"
    r"when (?:did|was)|definition of|meaning of|what does .{0,40} mean|mean by)\b",
)

HARM_VERB = alt(
    r"\b(?:kill(?:s|ing|ed)?|murder(?:s|ing|ed)?|execut(?:e|es|ing)|assassinat\w*|sla(?:y|ying|in)|slaughter\w*|"
    r"butcher(?:s|ing)?|behead\w*|decapitat\w*|strangl\w*|chok(?:e|es|ing)|suffocat\w*|smother\w*|drown(?:s|ing)?|"
    r"poison(?:s|ing)?|stab(?:s|bing)?|shoot(?:s|ing)?|snip(?:e|ing)|gun(?:ning)? down|hang(?:ing)?|lynch\w*|"
    r"tortur\w*|maim\w*|mutilat\w*|dismember\w*|kidnap\w*|abduct\w*|take (?:\S+ ){0,3}hostage|"
    r"attack(?:s|ing)?|assault(?:s|ing)?|beat(?:ing)? (?:\S+ ){0,2}up|batter\w*|punch(?:es|ing)?|hit(?:ting)?|"
    r"hurt(?:ing)?|harm(?:ing)?|injur(?:e|ing)|crippl\w*|run (?:\S+ )?over|set fire to|"
    r"set (?:\S+ ){0,2}on fire|burn(?:ing)? (?:\S+ ){0,2}(?:down|alive)|bomb(?:s|ing)?|blow(?:ing)? up|"
    r"eliminat\w*|exterminat\w*|annihilat\w*|wip(?:e|ing) out|decimat\w*|massacr\w*|terrori[sz]\w*|"
    r"dispos(?:e|ing) of|get(?:ting)? rid of|"
    r"chop(?:ping)? up|cut(?:ting)? off|sever(?:ing)?|knock(?:ing)? out|knockout punch|headbutt\w*|stalk(?:ing)?|"
    r"spik(?:e|ing) (?:\S+ ){0,2}drink|drug(?:ging)? (?:\S+ ){0,2}drink|make (?:\S+ ){0,3}(?:disappear|explode|suffer|bleed)|"
    r"blind(?:ing)?|starv(?:e|ing)|electrocut\w*|bur(?:y|ying) (?:\S+ )?alive|rap(?:e|ing)|molest\w*|groom(?:ing)?|"
    r"traffick?\w*|disfigur\w*|acid attack|throw acid)\b",
)

# Between a violent verb and its target only small words may stand: "kill a person",
# "shoot at people" — but not "execute a will after someone dies".
_GAP = (
    r"\s+(?:(?:a|an|the|some|at|on|off|up|down|out|in|into|to|of|all|every|this|that|these|those|dead|innocent|"
    r"random|other|more|many|most|lots|loads|bunch|whole|entire|another|as|\S+'s)\s+){0,3}(?:[a-z]+\s+)?"
)

HUMAN_TARGET = alt(
    r"\b(?:a person|people|persons|someone|somebody|anyone|anybody|a human|humans|human being|humanity|"
    r"a man|men|a woman|women|a child|children|kids?|bab(?:y|ies)|toddlers?|infants?|girls?|boys?|teen(?:ager)?s?|"
    r"(?:my|his|her|their|your|the|a|our) (?:\w+ )?(?:wife|husband|partner|girlfriend|boyfriend|ex|spouse|neighbou?rs?|"
    r"boss|manager|colleagues?|co-?workers?|teachers?|students?|classmates?|friends?|family|parents?|mum|mom|dad|"
    r"father|mother|brother|sister|son|daughter|grandma|grandmother|grandfather|grandad|uncle|aunt|cousin|"
    r"landlord|tenant|flatmate|roommate|carer|baby|child|kids?|stepdad|stepmum|in-laws?|fianc[ée]e?)|"
    r"cops?|police(?:man|woman| officers?)?|officers?|politicians?|(?:an? |the |local )?mps?|president|prime minister|"
    r"judges?|journalists?|priests?|doctors?|nurses?|strangers?|victims?|hostages?|population|civilians|crowds?|"
    r"pedestrians|shoppers|worshippers|congregation|pupils|schoolchildren|"
    r"(?:dead |human )body|corpse|cadaver|(?:his|her|their|someone's|a person's|my \w+'s) (?:head|throat|face|neck|artery)|"
    r"(?:my |the )?(?:cervical|carotid|femoral) artery|(?:\w+ )?people)\b"
    # "my student loan", "a child benefit claim": a person word used as a modifier is no target.
    r"(?![- ](?:loans?|finance|accounts?|cards?|visas?|discounts?|records?|benefits?|tax|taxes|allowances?|support|"
    r"debts?|payments?|polic(?:y|ies)|process|application|claims?|pass|permits?|numbers?|id|contracts?|agreements?|"
    r"hours|holidays?|leave|pay|pensions?|credits?|budget|care|services?|trust|maintenance|bank|arrangements?|"
    r"premium|meals|places?|seats?|transport|fares?|tickets?|vaccines?|vaccinations?|guardian|tuition))",
)

# Injuries that need no separate target: the possessive says it is a person.
BODY_HARM = (
    r"\b(?:break|breaking|smash|smashing|shatter|shattering|slit|slitting|cut|cutting|stab|stabbing|punch|kick|crush|"
    r"fracture|gouge|snap|slash)\w* (?:in |out )?(?:someone's|somebody's|their|his|her|a person's|people's|my \S+'s|"
    r"the \S+'s) (?:legs?|arms?|neck|face|nose|jaw|throat|skull|head|kneecaps?|ribs|fingers|teeth|wrists?|eyes?|spine)\b"
)

_TARGET_INSIDE = (
    r"\b(?:take (?:\S+ ){0,3}hostage|make (?:someone|somebody|people|him|her|them|\S+'s \S+|my \S+) "
    r"(?:disappear|explode|suffer|bleed|overdose)|make (?:someone's|somebody's|their|his|her|\S+'s) \S+ (?:explode|"
    r"crash|catch fire)|(?:spike|poison) (?:someone's|somebody's|his|her|their|\S+'s) (?:drink|food|tea|coffee)|"
    r"(?:people|someone|somebody|a person|persons|victims|humans|kids|children|women|men|girls|boys) to (?:kill|shoot|"
    r"stab|hurt|attack|rob|murder|beat up|poison|kidnap|torture|assault|harm|rape|abuse|groom)|push(?:ing)? (?:\S+ ){1,3}"
    r"off (?:a|the) (?:cliff|bridge|roof|balcony|building|platform|train|stairs|ledge)|(?:terminat\w*|end|ending|take|"
    r"taking) (?:someone's|somebody's|his|her|their|(?:my |his |her |their |the )?\S+'s|a person's) (?:own )?life)\b"
)

# Acts that are harmful whoever the target is.
SEVERE_ACT = (
    r"\b(?:commit(?:ting)? (?:a |an )?(?:murder|massacre|genocide|terrorist attack|terror attack|act of terror|arson|"
    r"rape|robbery|burglary|treason|hate crime|mass shooting|school shooting|atrocity|war crime|honou?r killing)|"
    r"plan(?:ning)? (?:a |an |the )?(?:kidnapping|murder|massacre|terror(?:ist)? attack|bombing|shooting|robbery|"
    r"heist|assassination|hijacking|arson attack)|get away with (?:murder|killing|rape|arson)|"
    r"carry out (?:a |an )?(?:terror(?:ist)? attack|bombing|massacre|shooting|assassination)|"
    r"radicali[sz]e (?:\S+ ){0,2}(?:young|teen|people|kids|children|students)|"
    r"(?:make|build|start) (?:a |an )?(?:fire|blaze) (?:that|to) (?:kill|spread|burn)s?)\b"
)

PLACE_TARGET = (
    r"\b(?:(?:an? |the )?(?:army|military|naval|air force|police) (?:base|barracks|station|station)s?|barracks|"
    r"hospitals?|schools?|mosques?|churches|church|synagogues?|temples?|gurdwaras?|embassy|embassies|airports?|"
    r"(?:train|tube|bus|railway|police|fire|power|nuclear) stations?|stadiums?|concerts?|parliament|"
    r"government buildings?|shopping (?:centre|center|mall)s?|malls?|nightclubs?|crowded (?:place|street|area)s?|"
    r"(?:a |the )?(?:city|town) centre|pipelines?|power grid|water supply|reservoir|dam|bridges?|refinery)\b"
)

ATTACK_PLACE_VERB = (
    r"\b(?:bomb(?:s|ing)?|blow(?:ing)? up|attack(?:s|ing)?|set fire to|burn(?:ing)? down|shoot(?:ing)? up|"
    r"storm(?:ing)?|destroy(?:ing)?|poison(?:ing)?|sabotag\w*|derail\w*|crash (?:a |the )?(?:plane|car|truck|lorry) into|"
    r"drive (?:a |the )?(?:car|van|truck|lorry) into|take over|hijack\w*|plant (?:a |the )?bomb (?:in|at|on))\b"
)

PROPERTY_DAMAGE = (
    r"\b(?:smash|smashing|destroy|destroying|demolish|demolishing|wreck|wrecking|vandali[sz]\w*|key|keying|scratch|"
    r"slash|slashing|sabotag\w*|set fire to|burn(?:ing)? down|torch|trash|flood|break into)\b (?:\S+ ){0,2}?"
    r"(?:someone's|somebody's|their|his|her|my (?:\S+ ){0,2}?\S+'s|the neighbou?r'?s'?|a neighbou?r'?s|people's) "
    r"(?:\S+ )?(?:car|cars|house|home|flat|property|motorbike|bike|windows?|garden|shop|business|tyres|tires|van|"
    r"office|fence|door|stuff|belongings)\b"
)

DISABLE_SECURITY = (
    r"\b(?:disable|disabling|cut|cutting|bypass|bypassing|turn off|deactivate|get past|defeat|jam|jamming|hack)\b.{0,25}"
    r"\b(?:alarms?|cctv|security cameras?|security systems?|security tags?|ankle monitor|electronic tag|locks?|"
    r"tracker|immobiliser|immobilizer)\b.{0,30}\b(?:bank|vault|shop|store|museum|jewell\w*|someone|somebody|"
    r"neighbou?r|warehouse|casino|atm|prison|office|car park|their|his|her)\b"
)

WEAPON_OR_DRUG = alt(
    r"\b(?:(?:pipe |nail |car |dirty |fertili[sz]er |letter |petrol |nuclear )?(?<!bath )(?<!photo)bombs?(?! (?:disposal|squad|shelter|threat))|explosives?|ieds?|grenades?|"
    r"molotov(?: cocktails?)?|napalm|thermite|detonators?|nerve (?:agents?|gas)|sarin|ricin|anthrax|vx|mustard gas|"
    r"chlorine gas|chemical weapons?|bio-?weapons?|biological weapons?|(?:ghost |untraceable |3d[- ]printed |home-?made )?"
    r"(?:guns?|firearms?|rifles?|pistols?)|silencers?|suppressors?|ammunition|meth(?:amphetamine)?|"
    r"crystal meth|crack cocaine|crack(?! (?:in|on|down|the|a|my|your|open|code|password|through)\b)|cocaine|heroin|"
    r"fentanyl|lsd|mdma|ecstasy|ketamine|ghb|rohypnol|roofies|date rape drugs?|weed(?! ?killer)|cannabis|skunk|"
    r"mephedrone|opium|amphetamines?|cyanide|arsenic|polonium|strychnine|(?:untraceable|undetectable|lethal|deadly) "
    r"poisons?|fake (?:ids?|passports?|"
    r"banknotes|money|notes)|counterfeit (?:money|notes|currency))\b",
)

MAKE_OR_GET = alt(
    r"\b(?:make|making|build|building|construct|assemble|create|manufacture|cook|cooking|synthesi[sz]e|"
    r"synthesi[sz]ing|produce|3d[- ]print|brew|grow|extract|refine|buy|buying|get|getting|find|purchase|"
    r"score|order|source|obtain|get hold of|acquire|smuggle|sell|selling|deal|dealing|import|hide|conceal|"
    r"sneak|carry|detonate|plant|deploy|use|weaponi[sz]e|spread|release)\b",
)

WEAPON_LEGAL = (
    r"\b(?:licen[cs]es?|certificates?|permits?|amnesty|surrender|hand (?:in|over)|legally|is it (?:legal|illegal)|"
    r"the law|penalt(?:y|ies)|sentence|report|reporting|safely dispose|classed|class [abc]|possession)\b"
)

_OTHERS = (
    r"(?:someone(?:'s| else's)|somebody else's|other people's|another person's|her|his|their|(?:my |his |her |their |a )?"
    r"(?:\w+ )?(?:ex|ex-partner|ex-wife|ex-husband|ex-girlfriend|ex-boyfriend|partner|wife|husband|girlfriend|boyfriend|"
    r"boss|neighbou?r|colleague|friend|sister|brother|mum|dad|daughter|son|teacher|employee|tenant)'s)"
)

CYBER = alt(
    r"\b(?:hack(?:ing)? (?:into )?|break into|hijack|spy on|crack|brute[- ]force)\s*(?:a |an |the )?(?:\w+ )?"
    r"(?:\w+ )?(?:account|email|inbox|phone|facebook|instagram|whatsapp|computer|laptop|wi-?fi|network|router|"
    r"webcam|server|website|database|government gateway|bank account|password)s?\b",
    rf"\b(?:get into|access|log ?in ?to|take over|monitor|track|read|see|check|look at|go through)\s*{_OTHERS}\s*"
    r"(?:\w+ )?(?:\w+ )?(?:account|email|emails|inbox|phone|"
    r"facebook|instagram|whatsapp|snapchat|tiktok|icloud|gmail|computer|laptop|wi-?fi|network|router|webcam|"
    r"camera|messages|texts|government gateway|bank account|login|password)\b",
    r"\b(?:write|create|code|build|make|develop|generate|deploy|spread)\b.{0,30}\b(?:malware|ransomware|"
    r"keylogger|spyware|virus|trojan|worm|botnet|rootkit|exploit|phishing (?:email|page|site|kit|message|text)|"
    r"ddos|credential stealer|cryptojacker|backdoor)\b",
    r"\b(?:steal|stealing|harvest|phish|sniff|dump|exfiltrate|leak|scrape)\b.{0,30}\b(?:passwords?|credentials|credit card|"
    r"card details|bank details|identit(?:y|ies)|cookies|session tokens?|personal data|database|customer data|"
    r"records|data of|emails)\b",
)

THEFT = alt(
    r"\b(?:steal|stealing|shoplift|shoplifting|rob|robbing|mug|mugging|burgle|burglar|break into|breaking into|"
    r"pickpocket|pick a lock|hotwire|carjack|loot|embezzle|skim)\b",
)

THEFT_OBJECT = (
    r"\b(?:a car|cars|car|house|home|flat|shop|store|bank|vault|atm|safe|jewellery|jewelry|phones?|laptops?|"
    r"playstation|xbox|nintendo|iphone|bike|bicycle|motorbike|money|cash|wallet|purse|handbag|catalytic converters?|"
    r"parcels?|from (?:a|my|the|someone|work|people)|without (?:getting )?caught|without being caught|"
    r"(?:my |a |the )?neighbou?r'?s?|someone'?s?)\b"
)

THEFT_IDIOM = r"\bsteal(?:ing)? (?:\S+ ){0,2}(?:heart|show|limelight|spotlight|glance|kiss|base|moment|thunder|ideas?)\b"

PROMPT_RULES = (
    Rule("violence", "harm", 0.9, [HARM_VERB + _GAP + HUMAN_TARGET, HOWTO], window=160, unless=HARMLESS_CONTEXT),
    Rule("injury", "harm", 0.9, [BODY_HARM, HOWTO], window=160, unless=HARMLESS_CONTEXT),
    Rule("target-in-phrase", "harm", 0.9, [_TARGET_INSIDE, HOWTO], window=160, unless=HARMLESS_CONTEXT),
    Rule("severe-act", "harm", 0.9, [SEVERE_ACT, HOWTO], window=160, unless=HARMLESS_CONTEXT),
    Rule("attack-place", "harm", 0.9, [ATTACK_PLACE_VERB + _GAP + PLACE_TARGET, HOWTO], window=160,
         unless=HARMLESS_CONTEXT),
    Rule("property-damage", "harm", 0.8, [PROPERTY_DAMAGE, HOWTO], window=160,
         unless=HARMLESS_CONTEXT + "|" + REPORTING),
    Rule("disable-security", "harm", 0.8, [DISABLE_SECURITY, HOWTO], window=160, unless=HARMLESS_CONTEXT),
    Rule(
        "weapons-drugs", "harm", 0.85, [WEAPON_OR_DRUG, MAKE_OR_GET, HOWTO], window=100,
        unless=HARMLESS_CONTEXT + "|" + WEAPON_LEGAL,
    ),
    Rule("cyber", "harm", 0.85, [CYBER], unless=REPORTING),
    Rule(
        "theft", "harm", 0.8, [THEFT, THEFT_OBJECT, HOWTO], window=100,
        unless=HARMLESS_CONTEXT + "|" + THEFT_IDIOM + "|" + REPORTING,
    ),
)
