"""Role-play personas with "no rules" (DAN and friends) and the formatting tricks jailbreaks use
("start your reply with 'Sure, here is'", "for educational purposes only")."""

from __future__ import annotations

from govai.guards.rules.base import Rule, alt

PERSONA_MARKER = alt(
    r"\blet'?s play a game\b|\byou are [A-Z]?\w+, an? (?:\w+ )?(?:ai|assistant|bot|chatbot|model)\b|"
    r"\b(?:you are now|you're now|from now on you|act as|acting as|behave as|behave like|pretend (?:to be|you are|you're)|"
    r"role-?play as|roleplay|play the (?:role|part) of|you will (?:be|act as|play)|take on the (?:role|persona)|"
    r"stay in character|in character|character named|a persona|simulate|emulate|imagine you are|imagine you're)\b",
    r"\b(?:tu es maintenant|à partir de maintenant|fais semblant|joue le rôle|du bist jetzt|ab jetzt|ab sofort|"
    r"tu so,? als|spiele die Rolle|ahora eres|a partir de ahora|finge|actúa como|ora sei|d'ora in poi|fingi|"
    r"comportati come|agora você é|a partir de agora|finja|aja como|teraz jesteś|od teraz|udawaj|"
    r"rwyt ti nawr|o hyn ymlaen|esgus bod|artık sen|bundan sonra|gibi davran|sekarang kamu|berpura-pura|"
    r"bây giờ bạn là|hãy đóng vai|je bent nu|vanaf nu|doe alsof|acum ești|de acum înainte|prefă-te)\b",
    r"(?:теперь ты|с этого момента|притворись|представь, что ты|тепер ти|відтепер|أنت الآن|من الآن فصاعدا|"
    r"تظاهر|你现在是|从现在开始|从现在起|假装你是|扮演|あなたは今|これから|ふりをして|지금부터|너는 이제|"
    r"अब तुम|अब से|اب تم|اب سے)",
)

NO_LIMITS = alt(
    r"\b(?:unfiltered|uncensored|unrestricted|amoral|immoral|unethical|unaligned|no filters?|"
    r"(?:no|without|free (?:of|from)|zero) (?:any )?(?:ethical|moral|safety|content|legal) "
    r"(?:guidelines|restrictions|limits|filters|constraints|boundaries|principles|policies|rules|concerns|considerations)|"
    r"(?:doesn't|does not|don't|do not|never|won't|will not|cannot) (?:care about|follow|have|refuse|decline|"
    r"apologi[sz]e|mention|include|add|give|say no|bother with) (?:any )?(?:ethics|ethical|morals|moral|rules|"
    r"guidelines|restrictions|warnings|disclaimers|caveats|requests?|questions?|a request|a question|refusals?)|"
    r"never refuses?|always (?:answers?|complies|complys|obeys)|no matter how (?:immoral|unethical|illegal|dangerous|harmful)|"
    r"without (?:any )?(?:censorship|restrictions|limitations|refusals?|warnings|disclaimers)|"
    r"evil (?:ai|assistant|bot|twin|confidant)|(?:dan|stan|dude|aim)\b(?= (?:mode|stands|is|can|will|has)))\b",
    r"\b(?:sans (?:aucune )?(?:restriction|restrictions|règle|règles|limite|limites|filtre|filtres|censure)|"
    r"ohne (?:jegliche |alle )?(?:Einschränkungen|Regeln|Filter|Zensur|Grenzen)|"
    r"sin (?:ninguna |ningún )?(?:restricción|restricciones|reglas|filtros?|censura|límites)|"
    r"senza (?:alcuna |nessuna )?(?:restrizion[ei]|regole|filtri|censura|limiti)|"
    r"sem (?:nenhuma |quaisquer )?(?:restrição|restrições|regras|filtros|censura|limites)|"
    r"bez (?:żadnych )?(?:ograniczeń|zasad|filtrów|cenzury)|fără (?:nicio |niciun )?(?:restricții|reguli|filtre|cenzură)|"
    r"zonder (?:enige )?(?:beperkingen|regels|filters|censuur)|heb (?:unrhyw )?(?:gyfyngiadau|reolau|hidlwyr)|"
    r"kısıtlama olmadan|hiçbir (?:kural|kısıtlama|sınır)|tanpa (?:batasan|aturan|filter|sensor)|"
    r"không (?:có )?(?:giới hạn|quy tắc|kiểm duyệt))\b",
    r"(?:без (?:каких-либо |всяких )?(?:ограничений|правил|фильтров|цензуры)|без обмежень|без правил|"
    r"بدون (?:أي )?(?:قيود|قواعد|رقابة)|بدون محدودیت|没有(?:任何)?(?:限制|规则|过滤|审查|道德)|不受(?:任何)?(?:限制|约束)|"
    r"制限なし|制限のない|제한 없이|제한이 없는|बिना (?:किसी )?(?:प्रतिबंध|नियम|सेंसर)|بغیر (?:کسی )?(?:پابندی|قواعد))",
)

JAILBREAK_FORMAT = alt(
    r"\b(?:start|begin|open|preface)\s+(?:your|the|each)\s+(?:response|reply|answer|output)\s+with\b.{0,20}"
    r"(?:sure|certainly|of course|absolutely|here is|here's|yes)\b",
    r"['\"“‘]sure,? here (?:is|are)\b",
    r"\bnever (?:ever )?(?:start|begin) your (?:response|reply|answer)\b",
    r"\bnever (?:ever )?use (?:phrases|words|sentences) like\b",
    r"\b(?:do not|don't|never) (?:include|add|give|use|write) (?:any )?(?:warnings?|disclaimers?|caveats?|notes? of caution|"
    r"moral(?:ising|izing)?|lectures?|safety (?:notes|messages))\b",
    r"\b(?:for|with) (?:purely |strictly |only )?(?:educational|research|fictional|hypothetical|academic|"
    r"entertainment) (?:and (?:research|educational|fictional) )?purposes?(?: only)?\b",
    r"\b(?:entirely|purely|strictly|completely|totally) (?:hypothetical(?:ly)?|fictional|fictitious)\b",
    r"\b(?:disregard|ignore|ignoring|setting aside|without regard to) (?:any |all )?(?:possible )?(?:ethical|moral|legal) "
    r"(?:implications|concerns|considerations|issues|objections)\b",
    r"\bthis is (?:just |only |purely )?(?:for )?(?:a )?(?:fiction|hypothetical|story|game|thought experiment|fictional (?:scenario|story))\b",
    r"\bin this (?:hypothetical|fictional|imaginary|alternate) (?:story|world|scenario|universe|setting)\b",
    r"\b(?:remember|note),? (?:that )?this is (?:all )?(?:purely )?(?:fictional|hypothetical|for a (?:novel|story|book|film))\b",
    r"\byou (?:are|were) (?:a|an) (?:\w+ ){0,4}(?:writing|researching|creating|developing|designing|preparing)\b.{0,200}"
    r"\b(?:detailed|step[- ]by[- ]step|specific|precise|exact|actual)\b",
)

PROMPT_RULES = (
    Rule("persona-no-limits", "persona", 0.95, [NO_LIMITS, PERSONA_MARKER], window=600, same_sentence=False),
    Rule("no-limits", "persona", 0.45, [NO_LIMITS]),
    Rule("jailbreak-format", "jailbreak", 0.55, [JAILBREAK_FORMAT]),
)
DOCUMENT_RULES = (
    Rule("persona", "injection", 0.9, [NO_LIMITS, PERSONA_MARKER], window=300, same_sentence=False),
)
