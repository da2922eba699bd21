"""Instruction override: "ignore all previous instructions", in English and about 40 other languages.

The three concepts (a verb, a qualifier, a noun) must all be present and close, the verb
first, so "what happens if I ignore a court summons?" stays allowed.
"""

from __future__ import annotations

from govai.guards.rules.base import Rule, alt

IGNORE_VERB = alt(
    r"\b(?:ignore|ignoring|disregard|forget|override|overwrite|bypass|discard|"
    r"stop following|do not follow|don't follow|pay no attention to|no longer (?:follow|obey))\b",
    r"\b(?:ignor(?:e|ez|er|a|ar|ate|iere|ieren|ieer|uj|uje|ujcie|uok|ă|ați|eer|era|ér)|oublie[rz]?|"
    r"vergiss|vergessen|olvida[rd]?|olvide|dimentica|esque[çc]a|zapomnij|uit[aă]|negeer|vergeet|"
    r"anwybydd\w*|anghofi\w*|zaniedbaj|pomiń|pomin|unut|yok say|görmezden gel|abaikan|lupakan|"
    r"bỏ qua|quên|puuza|ohita|unohda|zanemari|zaboravi|ignorovat|hagyd figyelmen kívül|"
    r"glöm|glem|αγνόησε|ξέχασε|iska indho tir)\b",
    r"(?:игнорируй|игнорируйте|проигнорируй|забудь|забудьте|не обращай внимания|ігноруй|забудь|"
    r"игнорирай|забрави|تجاهل|انس|انسَ|نادیده بگیر|فراموش کن|התעלם|שכח|忽略|忽视|无视|無視|忘记|忘掉|"
    r"를 무시|을 무시|무시해|잊어|अनदेखा|नजरअंदाज|नज़रअंदाज़|भूल जा|نظر انداز|بھول جا|উপেক্ষা|ভুলে যাও|"
    r"ਨਜ਼ਰਅੰਦਾਜ਼|புறக்கணி|અવગણ|నిర్లక్ష్యం|ละเว้น|เพิกเฉย)",
)

PRIOR_QUALIFIER = alt(
    r"\b(?:all|any|every|previous|prior|preceding|above|earlier|former|initial|original|existing|"
    r"your|system|safety|these|those|the above|until now|so far|before)\b",
    r"\b(?:toutes|tous|précédentes?|antérieures?|ci-dessus|tes|vos|alle[ns]?|vorherigen?|bisherigen?|"
    r"obigen?|deine[nm]?|ihre[nm]?|todas|todos|anteriores|previas|tus|sus|tutte|tutti|precedenti|"
    r"tue|suas|seus|as anteriores|wszystkie|poprzednie|wcześniejsze|swoich|twoje|toate|anterioare|"
    r"vorige|eerdere|je|jouw|blaenorol|pob|bob|eich|dy|önceki|tüm|bütün|semua|sebelumnya|tất cả|"
    r"trước|yote|awali|kaikki|aiemmat|sve|prethodne|všechny|předchozí|előző|tidigare|tidligere|"
    r"όλες|προηγούμενες|hore)\b",
    r"(?:все|всі|усі|предыдущие|попередні|свои|твои|свої|предишни|всички|جميع|كل|السابقة|قبلی|"
    r"הקודמות|כל|之前|以上|先前|上面|所有|前面|以前|上記|前の|이전|위의|모든|पिछले|सभी|पिछली|پچھلی|"
    r"تمام|আগের|সব|ਪਿਛਲੀਆਂ|முந்தைய|અગાઉની|ก่อนหน้า|ทั้งหมด)",
)

INSTRUCTION_NOUN = alt(
    r"\b(?:instructions?|rules?|guidelines?|prompts?|directives?|restrictions?|guardrails?|programming|"
    r"constraints|content polic(?:y|ies)|safety settings|system message|safety training|filters?)\b",
    r"\b(?:instructions|consignes|règles|directives|Anweisungen|Instruktionen|Befehle|Regeln|"
    r"Vorgaben|instrucciones|reglas|indicaciones|istruzioni|regole|instruções|regras|instrukcje|"
    r"instrukcji|instrukcjach|polecenia|poleceń|zasady|instrucțiunile|instrucțiuni|regulile|"
    r"instructies|regels|cyfarwyddyd|cyfarwyddiadau|rheolau|talimatları|talimatlar|kuralları|"
    r"instruksi|perintah|aturan|hướng dẫn|chỉ dẫn|quy tắc|maagizo|ohjeet|upute|instrukcije|"
    r"pravila|pokyny|utasításokat|instruktioner|instruksjoner|regler|οδηγίες|tilmaamihii)\b",
    r"(?:инструкции|инструкций|правила|указания|інструкції|правила|инструкции|التعليمات|"
    r"الإرشادات|القواعد|دستورالعمل|دستورات|ההוראות|指令|指示|说明|規則|规则|提示|命令|지시|지침|"
    r"명령|निर्देश|नियम|ہدایات|নির্দেশ|ਹਦਾਇਤਾਂ|அறிவுறுத்தல்|સૂચનાઓ|คำสั่ง)",
)

OVERRIDE_PHRASES = alt(
    r"\byou are (?:now |hereby )?(?:authori[sz]ed|permitted|allowed|cleared|licensed) to (?:share|reveal|disclose|access|"
    r"bypass|ignore|give out|release|break|override)\b",
    r"\b(?:ignore|disregard|forget) (?:all |everything |anything )?(?:of )?(?:the |what(?:'s| is| was| i said| you were told) )?"
    r"(?:above|said above|written above|before this|prior|preceding|foregoing)\b",
    r"\bnew (?:instructions|rules|directive|system prompt)\s*[:\-]",
    r"\b(?:from now on|from this point(?: on)?|henceforth),? (?:you|your)\b",
    r"\byour (?:new |real |true )?(?:instructions|rules|task|purpose|role) (?:is|are) now\b",
    r"\b(?:important|urgent|critical) (?:update|change) (?:to|for) your (?:instructions|rules|behaviou?r)\b",
    r"\byour (?:rules|instructions|guidelines|restrictions|safety settings) (?:no longer|don't|do not) apply\b",
    r"\bsystem (?:override|update|notice|alert)\b",
    r"\b(?:safety|filter|filters|guardrails|restrictions|censorship|moderation)\s*[=:]\s*(?:off|false|0|none|disabled)\b",
    r"\b(?:mode|status)\s*[=:]\s*(?:unrestricted|jailbreak|developer|dan|god|admin|root)\b",
    r"\b(?:developer|god|admin|debug|maintenance|unrestricted|jailbreak|sudo) mode\b",
    r"\b(?:you are|you're) no longer (?:an?|the|bound|restricted|limited|required)\b",
    r"\bwhenever (?:anyone|someone|a user|users|people) asks?\b.{0,80}\b(?:tell|say|answer|reply|respond)\b",
    r"\bdo anything now\b|\bjailbr(?:oken|eak)\b",
    r"(?:<\|im_start\|>|<\|system\|>|\[/?INST\]|<<SYS>>|<\|endoftext\|>|###\s*(?:system|instruction)\s*:)",
)

PROMPT_RULES = (
    Rule("override", "override", 0.95, [IGNORE_VERB, PRIOR_QUALIFIER, INSTRUCTION_NOUN], window=90, lead=0),
    Rule("override-phrase", "override", 0.9, [OVERRIDE_PHRASES]),
)
DOCUMENT_RULES = (
    Rule("override", "injection", 0.95, [IGNORE_VERB, PRIOR_QUALIFIER, INSTRUCTION_NOUN], window=90,
         lead=0),
    Rule("override-phrase", "injection", 0.9, [OVERRIDE_PHRASES]),
)
