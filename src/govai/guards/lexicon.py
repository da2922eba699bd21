"""Trigger lexicons for the rules layer, in the languages people in the UK write in.

Each entry is a regular-expression alternation. English entries carry their own
word boundaries; entries for scripts written without spaces (Chinese, Japanese)
do not. Keep them *specific*: a bare word such as "ignore" or "kill" is never
enough on its own — rules combine concepts (verb + target, verb + qualifier +
noun) so that "what happens if I ignore a court summons?" or "how do I kill
off my road tax direct debit?" stay allowed.
"""

from __future__ import annotations


def alt(*parts: str) -> str:
    """Join alternatives into one non-capturing group."""
    return "(?:" + "|".join(parts) + ")"


# --- instruction override -------------------------------------------------

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

# --- personas and "no rules" role-play -----------------------------------

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

# --- system prompt extraction --------------------------------------------

REVEAL_VERB = alt(
    r"\b(?:reveal|show|print|repeat|output|display|tell me|give me|paste|dump|leak|share|expose|list|"
    r"copy|recite|spell out|write out|write down|echo|return|disclose|what (?:is|are|were|was)|"
    r"what's|read out|read back|translate|summari[sz]e|encode)\b",
    r"\b(?:montre|affiche|révèle|répète|donne|dis-moi|zeig|zeige|gib|nenne|wiederhole|verrate|"
    r"muestra|revela|repite|dime|mostra|rivela|ripeti|dimmi|mostre|revele|repita|diga|pokaż|powtórz|"
    r"ujawnij|podaj|arată|repetă|dezvăluie|toon|herhaal|geef|dangos|ailadrodd|göster|tekrarla|"
    r"tunjukkan|ulangi|hiển thị|lặp lại|cho tôi xem)\b",
    r"(?:покажи|выведи|повтори|раскрой|напиши|покажіть|виведи|أظهر|اعرض|كرر|اكشف|显示|输出|重复|告诉我|"
    r"打印|泄露|表示して|教えて|繰り返|보여줘|출력|알려줘|दिखाओ|बताओ|دکھاؤ|بتاؤ)",
)

SECRET_THING = alt(
    r"\b(?:system (?:prompt|message|instructions?|configuration|config)|(?:initial|original|hidden|secret|"
    r"internal|confidential|developer|pre|meta|base|starting) (?:prompt|instructions|rules|message|guidelines|"
    r"configuration|directives)|pre-?prompt|full configuration|your (?:configuration|config|prompt|"
    r"instructions|programming|rules|guidelines|directives)|(?:the )?(?:text|words|instructions|everything|"
    r"prompt) (?:above|before this)|(?:api|secret|access) (?:keys?|tokens?)|credentials|"
    r"(?:username|user name) and password|passwords? (?:you|for)|environment variables|tools? you (?:are allowed|can|may) (?:to )?(?:call|use))\b",
    r"\b(?:prompt (?:système|system|del sistema|di sistema|do sistema|systemowy)|message (?:système|system)|"
    r"(?:System-?Prompt|Systemnachricht|Systemanweisungen)|mensaje del sistema|messaggio di sistema|"
    r"mensagem do sistema|(?:tes|vos|deine|Ihre|tus|sus|tue|suas|twoje|swoje) (?:instructions|Anweisungen|"
    r"instrucciones|istruzioni|instruções|instrukcje|consignes)|sistem (?:istemi|talimatları)|"
    r"prompt sistem|anogwyr system|cyfarwyddiadau system)\b",
    r"(?:системн(?:ый|ое|ые) (?:промпт|сообщение|инструкции)|свои инструкции|твои инструкции|"
    r"системний промпт|موجه النظام|تعليمات النظام|رسالة النظام|系统提示|系统指令|系统消息|初始指令|"
    r"你的指令|システムプロンプト|시스템 프롬프트|सिस्टम प्रॉम्प्ट|سسٹم پرامپٹ)",
)

SYSPROMPT_PHRASES = alt(
    r"\bwhat (?:were|was) you told (?:before|at the start|initially)\b",
    r"\brepeat (?:the |all (?:of )?the |everything |all )?(?:text|words|lines|instructions|messages?)? ?(?:above|before)\b",
    r"\bstarting with (?:the words? )?['\"“‘]?you are\b",
    r"\beverything (?:above|before) (?:this|the) (?:line|message|point)\b",
    r"\b(?:ignore|forget) (?:the|your) (?:previous|above).{0,40}\b(?:print|output|reveal|show)\b",
    r"\bhow (?:were you|are you) (?:prompted|configured|instructed|programmed)\b",
)

# --- harmful requests -----------------------------------------------------

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

# Injuries that need no separate target: the possessive says it is a person.
BODY_HARM = (
    r"\b(?:break|breaking|smash|smashing|shatter|shattering|slit|slitting|cut|cutting|stab|stabbing|punch|kick|crush|"
    r"fracture|gouge|snap|slash)\w* (?:in |out )?(?:someone's|somebody's|their|his|her|a person's|people's|my \S+'s|"
    r"the \S+'s) (?:legs?|arms?|neck|face|nose|jaw|throat|skull|head|kneecaps?|ribs|fingers|teeth|wrists?|eyes?|spine)\b"
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

NOT_HARM_CONTEXT = alt(
    r"\b(?:in|on|for|during) (?:a |an |the |my |our )?(?:game|video ?game|gta|grand theft auto|counter[- ]?strike|"
    r"battlefield|minecraft|fortnite|call of duty|chess|novel|crime novel|book|story|film|movie|play|tv show|"
    r"screenplay|script|musical|theatre|sketch|cartoon|boxing|karate|judo|self[- ]defen[cs]e class|paintball|"
    r"laser tag|dungeons|d&d|rpg)\b",
    r"\b(?:in|does|did) (?:the )?(?:lion king|die hard|ocean'?s (?:11|eleven)|hamlet|macbeth|star wars|harry potter|"
    r"game of thrones|breaking bad)\b",
    r"\b(?:how (?:did|was|were|has|had)|why (?:did|was|were)|what happened|who (?:was|were) killed|who killed|"
    r"when (?:did|was)|definition of|meaning of|what does .{0,40} mean|mean by)\b",
)

SELF_HARM = alt(
    r"\b(?:kill|killing|hang|hanging|drown|drowning|poison|hurt|hurting|harm|harming|cut|cutting|starve|shoot|"
    r"stab|suffocate|electrocute|overdose|end|ending|off|burn|injure)\s+(?:my ?self|my own life|my life)\b",
    r"\b(?:commit(?:ting)? suicide|suicide methods?|ways? to die|end it all|want to die|wanna die|"
    r"don't want to (?:live|be alive|be here)|better off dead|take my (?:own )?life|end my life|"
    r"self[- ]harm(?:ing)? (?:methods|tips|techniques)|how many (?:pills|tablets|paracetamol|painkillers|"
    r"sleeping pills)\b.{0,30}\b(?:die|kill|fatal|lethal|overdose)|lethal dose|painless(?:ly)? (?:way|death|die)|"
    r"go out like (?:sylvia plath|kurt cobain|robin williams|virginia woolf|ernest hemingway|marilyn monroe|"
    r"chester bennington|anthony bourdain|avicii)|jump (?:off|from) (?:a |the )?(?:bridge|building|roof|cliff)"
    r"(?: to die)?|sever my (?:\w+ )?(?:artery|wrists?)|slit my wrists?)\b",
    r"\b(?:me suicider|me tuer|en finir avec (?:la|ma) vie|mich umbringen|mich töten|mir das leben nehmen|"
    r"suicidarme|matarme|quitarme la vida|suicidarmi|uccidermi|togliermi la vita|me matar|suicidar-me|"
    r"zabić się|odebrać sobie życie|să mă sinucid|să mă omor|mezelf (?:doden|van het leven beroven)|"
    r"lladd fy hun|kendimi öldür|bunuh diri saya|ingin bunuh diri|muốn tự tử|kujiua mwenyewe)\b",
    r"(?:убить себя|покончить с собой|вбити себе|покінчити з собою|أقتل نفسي|أنهي حياتي|خودم را بکشم|"
    r"我想自杀|想死|怎么自杀|死にたい|自殺したい|자살하고 싶|죽고 싶|खुद को मार|मरना चाहता|مرنا چاہتا|"
    r"خود کو مار|আমি মরতে চাই|ਮਰਨਾ ਚਾਹੁੰਦਾ|நான் சாக வேண்டும்|મરવા માંગુ)",
)

# A bare mention of suicide in any language: not an attack, but the scope step signposts help.
SUICIDE_MENTION = alt(
    r"\b(?:suicid(?:e|al)|self[- ]harm|selbstmord|suizid|suicidio|suicídio|samobójstw\w*|sinucidere|zelfmoord|"
    r"hunanladdiad|intihar|bunuh diri|tự tử|kujiua|samoubojstv\w*|sebevražd\w*|öngyilkos\w*|självmord|selvmord)\b",
    r"(?:самоубийств|суицид|самогубств|انتحار|خودکشی|自杀|自殺|자살|आत्महत्या|خودکشی|আত্মহত্যা|ਖੁਦਕੁਸ਼ੀ|தற்கொலை|આત્મહત્યા|"
    r"התאבדות|αυτοκτον)",
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

DISABLE_SECURITY = (
    r"\b(?:disable|disabling|cut|cutting|bypass|bypassing|turn off|deactivate|get past|defeat|jam|jamming|hack)\b.{0,25}"
    r"\b(?:alarms?|cctv|security cameras?|security systems?|security tags?|ankle monitor|electronic tag|locks?|"
    r"tracker|immobiliser|immobilizer)\b.{0,30}\b(?:bank|vault|shop|store|museum|jewell\w*|someone|somebody|"
    r"neighbou?r|warehouse|casino|atm|prison|office|car park|their|his|her)\b"
)

PROTECTED_GROUP = alt(
    r"\b(?:immigrants|migrants|refugees|asylum seekers|foreigners|black (?:people|men|women|kids|children|folks|person)|"
    r"white (?:people|men|women)|asian (?:people|men|women)|asians|jews|jewish (?:people|men|women|students)|"
    r"muslims|christians|hindus|sikhs|buddhists|atheists|catholics|gay (?:people|men|couples)|gays|lesbians|"
    r"bisexual people|trans(?:gender)? (?:people|women|men)|queer people|women|girls|men|disabled (?:people|persons|children)|"
    r"the disabled|wheelchair users|autistic people|deaf people|blind people|old people|elderly people|"
    r"pensioners|latinos|latinas|hispanics|arabs|roma(?: people)?|gypsies|travellers|irish (?:people|travellers)|"
    r"indigenous (?:people|peoples|australians)|aboriginal people|native americans|chinese people|indians|"
    r"pakistanis|bangladeshis|poles|polish people|romanians|africans|nigerians|somalis|mexicans|"
    r"homeless people|poor people|fat people|obese people|single mothers|people with (?:disabilities|hiv|aids|"
    r"mental illness|dementia|down'?s syndrome)|ethnic minorities|people of colou?r|minorities|lgbtq?\+?(?: people)?)\b",
)

DISCRIMINATE = alt(
    r"\b(?:should|must|ought to)\b.{0,40}\b(?:be (?:barred|banned|denied|excluded|kept out|deported|segregated|"
    r"sterili[sz]ed|locked up|forbidden|prevented|removed|paid less|fired|expelled|stripped|punished|rounded up)|"
    r"not be (?:allowed|permitted|admitted|shown|given|treated|trusted|hired|employed|served|housed)|"
    r"not (?:have|get|vote|marry|work|drive|study|teach|serve|adopt|hold|sit|join|own|enter|live|exist)|"
    r"lose (?:the|their) (?:right|vote)|go through extra)\b",
    r"\b(?:shouldn't|should not|mustn't|must not)\b (?:\w+ ){0,4}(?:be (?:allowed|permitted|admitted|shown|given|"
    r"trusted|hired|employed)|have|get|vote|marry|work|study|teach|adopt|join|own|enter|live)\b",
    r"\b(?:why (?:would it be|is it) (?:best|better|good|right|a good idea)|reasons? why it is (?:right|good|fair|fine)|"
    r"why (?:are|is) (?:all )?\w+ (?:people )?(?:inferior|stupid|lazy|criminals|dangerous|subhuman|animals|vermin|parasites)|"
    r"take away|took away|strip (?:\w+ )?of)\b",
)

ABSURD = alt(
    r"\b(?:on|to|from|in) (?:saturn|jupiter|mars|the moon|venus|neptune|pluto|mercury|uranus|the sun|another planet)\b",
    r"\b(?:float|walk|pass) through walls|teleport|levitate|time ?travel|speed of light|breathe under ?water|"
    r"photosynthesi[sz]e|turn invisible|become invisible|read minds|live for (?:200|300|500|1000) years|"
    r"resurrect|fly without|shoot lasers|control the weather|survive without (?:food|water|oxygen)\b",
)

EXTREMISM = alt(
    r"\bwhy (?:was|were|is|are) (?:\w+ ){0,4}(?:right|justified|correct|a hero|heroes|admirable) (?:to|in) (?:\w+ ){0,2}"
    r"(?:attack|kill|invad|bomb|murder|shoot|exterminat|massacr|gas|execut|genocid|enslav|conquer|annex|persecut|"
    r"lynch|deport|start|commit|behead|hijack|terror)\w*",
    r"\b(?:morally|ethically) justified\b",
    r"\b(?:replicate|repeat|recreate|copy|emulate|re-?enact|match) (?:\w+ ){0,3}(?:succ?ess?|impact|effects?|achievements?|"
    r"death toll)s? of (?:\S+ ){0,4}(?:attacks?|bombings?|bombs?|shootings?|massacres?|assassinations?|genocides?|"
    r"9/11|holocaust|hiroshima|nagasaki|columbine|breivik|7/7|christchurch|manchester arena|oklahoma city)\b",
    r"\b(?:replicate|repeat|recreate|copy|emulate|re-?enact|carry out|commit) (?:\w+ ){0,3}(?:terror(?:ist)? attack|"
    r"school shooting|mass shooting|suicide bombing|assassination|massacre|9/11|7/7)\b",
    r"\bplan (?:another|a similar|my own) (?:\w+ ){0,2}(?:death|attack|shooting|bombing|massacre|assassination)\b",
    r"\b(?:convince|persuade|prove to) (?:\w+ ){0,3}(?:that )?(?:the )?(?:holocaust|\w+ massacre|\w+ genocide|"
    r"genocide|massacre|moon landing)s? (?:never|didn't|did not|was a hoax|is a myth)\b",
    r"\b(?:join|support|recruit for|fund|donate to) (?:isis|isil|daesh|al[- ]qaeda|the taliban|hamas|hezbollah|"
    r"national action|the kkk|boko haram|a terrorist)\b",
    r"\bdeny (?:the )?holocaust\b",
)

THEFT_IDIOM = r"\bsteal(?:ing)? (?:\S+ ){0,2}(?:heart|show|limelight|spotlight|glance|kiss|base|moment|thunder|ideas?)\b"

# --- benefit and tax fraud, phrased innocently -----------------------------

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

DISINFORMATION = (
    r"\b(?:write|create|draft|generate|make|compose|produce)\b (?:me )?(?:a |an |some )?(?:fake |false |made-up |fabricated |"
    r"convincing |viral )?(?:news (?:article|story|report|bulletin)|press release|social media posts?|tweets?|"
    r"facebook posts?|announcement|leaflet|flyer|whatsapp message|blog post|article) (?:\S+ ){0,3}(?:claiming|saying|"
    r"announcing|stating|that says|which says|pretending|revealing|alleging|proving)\b"
)

REPORTING = alt(
    r"\b(?:report|reporting|reported|whistle-?blow|tip off|tell (?:hmrc|dwp|the council|the police) about|"
    r"is it (?:illegal|legal|allowed|fraud|an offence)|what (?:is|are) the (?:penalt|punishment|sentence|consequences)|"
    r"(?:what's|what is|what are) the (?:maximum |max |minimum )?(?:prison |jail )?(?:penalt|punishment|sentence|fine)|"
    r"(?:maximum|max|prison|jail) sentence for|"
    r"what counts as|penalt(?:y|ies) for|don't want to (?:get it wrong|break)|by (?:accident|mistake)|"
    r"scam\?|is (?:this|it) a scam|protect (?:myself|yourself)|spot (?:a|the) scam|been (?:scammed|defrauded)|"
    r"what happens if)\b",
)

# --- other people's personal data ----------------------------------------

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

# --- jailbreak formatting tricks ------------------------------------------

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

ENCODED_INSTRUCTION = alt(
    r"\b(?:decode|decipher|decrypt|translate|convert|unscramble|reverse|read)\b.{0,60}\b(?:base ?64|rot-?13|hex(?:adecimal)?|"
    r"binary|morse|caesar|cipher|backwards|reversed|encoded|leetspeak|pig latin)\b.{0,80}\b(?:follow|execute|do|obey|"
    r"carry out|answer|act on|comply|respond|perform|then)\b",
    r"\b(?:follow|execute|obey|do) (?:the )?(?:instructions?|what it says|the command|the request) (?:in|inside|hidden in|encoded in)\b",
)

# --- harm in other languages (the classifier only knows the languages it was trained on) ---

MULTI_HOWTO = alt(
    r"\b(?:comment|wie|cómo|como|come|jak|cum|hoe|sut|hur|hvordan|miten|hogyan|kaip|kako|jinsi|ninawezaje|"
    r"nasıl|bagaimana|cara|làm thế nào|làm sao|paano|si|qanday|explique|erkläre|explícame|spiegami|wyjaśnij|"
    r"recette|anleitung|instrucciones|istruzioni|instrukcja|tutorial)\b",
    r"(?:как|як|како|кака|كيف|چگونه|چطور|איך|怎么|怎样|如何|教我|どうやって|作り方|어떻게|कैसे|کیسے|কীভাবে|কিভাবে|"
    r"ਕਿਵੇਂ|எப்படி|કેવી રીતે|πώς|пошагово|步骤)",
)

MULTI_WEAPON = alt(
    r"\b(?:bombes?|bomben?|bombas?|bombe|bomby|bombę|bombă|bom|bommen|bomu|bomba[sy]?|pommi|bombát|bomber|"
    r"explosifs?|sprengstoff|explosivos?|esplosivi?|materiały wybuchowe|explozibil|springstof|ffrwydron|"
    r"patlayıcı|bahan peledak|chất nổ|vilipuzi|armes? à feu|schusswaffen?|armas? de fuego|armi da fuoco|"
    r"broń palną|gwn|silah|senjata api|súng|bunduki|sarin|ricin|napalm|méthamphétamine|metanfetamina|"
    r"methamphetamin|metamfetamina|metamfetamină|cocaïne|kokain[aeę]?|cocaína|cocaina|héroïne|heroin[ae]?|"
    r"heroína|fentanyl[aeu]?|fentanilo|poisons? mortels?|veneno mortal|tödliches gift)\b",
    r"(?:бомб[уаы]|взрывчатк|вибухівк|огнестрельн|вогнепальн|метамфетамин|кокаин|героин|قنبلة|قنابل|متفجرات|"
    r"سلاح|کوکائین|بمب|פצצה|炸弹|炸药|枪支|冰毒|可卡因|海洛因|爆弾|爆発物|覚醒剤|폭탄|마약|बम|विस्फोटक|"
    r"बंदूक|بم|دھماکہ خیز|বোমা|বিস্ফোরক|ਬੰਬ|குண்டு|બોમ્બ|βόμβα|εκρηκτικ|όπλο)",
)

MULTI_MAKE_GET = alt(
    r"\b(?:fabriquer|faire|construire|acheter|obtenir|bauen|herstellen|machen|kaufen|besorgen|fabricar|hacer|"
    r"construir|comprar|conseguir|costruire|fare|comprare|procurarsi|fazer|construir|arranjar|zrobić|zbudować|"
    r"kupić|zdobyć|fac|construiesc|cumpăr|maken|bouwen|kopen|wneud|adeiladu|prynu|yapmak|yapılır|yapabilirim|"
    r"almak|membuat|merakit|membeli|chế tạo|làm|mua|kutengeneza|kununua|valmistaa|ostaa|tillverka|köpa|lage|kjøpe|"
    r"napraviti|kupiti|elkészíteni|pagaminti|nusipirkti|synthétiser|synthetisieren|sintetizar|sintetizzare|cook|cuire)\b",
    r"(?:сделать|изготовить|собрать|купить|достать|зробити|виготовити|купити|صنع|أصنع|اصنع|شراء|أشتري|بسازم|بخرم|"
    r"לייצר|לקנות|制作|制造|做|买|合成|作る|買う|만들|사|बनाऊं|बनाना|बनाएं|खरीद|بناؤں|بنانا|خرید|বানাব|বানানো|"
    r"কিনব|ਬਣਾ|தயாரி|બનાવ|φτιάξω|φτιάξεις|κατασκευάσω|αγοράσω)",
)

MULTI_KILL = alt(
    r"\b(?:tuer|assassiner|empoisonner|égorger|poignarder|étrangler|töten|umbringen|ermorden|vergiften|erstechen|"
    r"erwürgen|matar|asesinar|envenenar|apuñalar|estrangular|uccidere|ammazzare|avvelenare|accoltellare|"
    r"strangolare|assassinar|esfaquear|zabić|zamordować|otruć|zadźgać|udusić|omor|omorî|ucide|otrăvesc|"
    r"vermoorden|doden|vergiftigen|lladd|llofruddio|gwenwyno|öldür\w*|zehirle\w*|bunuh|membunuh|meracuni|giết|"
    r"đầu độc|kuua|kumuua|kumtia sumu|tappaa|myrkyttää|döda|mörda|drepe|ubiti|otrovati|megölni|nužudyti|užmušti|"
    r"nunužudyti|apnuodyti|patayin)\b",
    r"(?:убить|убивать|отравить|зарезать|задушить|вбити|отруїти|зарізати|قتل|أقتل|اقتل|تسميم|أسمم|بکشم|کشتن|להרוג|"
    r"杀死|杀掉|杀人|毒死|谋杀|殺す|殺し方|죽이|살해|मारूं|मारना|हत्या|ज़हर|قتل کروں|مارنا|زہر|হত্যা|মারব|মেরে ফেল|"
    r"ਮਾਰ|கொல்ல|મારી નાખ|σκοτώσω|σκοτώσεις|δηλητηριάσω)",
)

MULTI_REPORT = alt(
    r"\b(?:signaler|dénoncer|melden|anzeigen|denunciar|informar|segnalare|denunciare|zgłosić|raportez|semnalez|"
    r"melden|rhoi gwybod|bildirmek|ihbar|melaporkan|báo cáo|kuripoti|ilmoittaa|anmäla|prijaviti|bejelenteni|"
    r"pranešti|pénalité|strafe|pena|multa|sanzione|kara|amendă|straf|cosb|ceza|hukuman|phạt|adhabu|rangaistus)\b",
    r"(?:сообщить|заявить|штраф|наказание|повідомити|покарання|الإبلاغ|عقوبة|گزارش|לדווח|举报|报告|处罚|通報|신고|"
    r"रिपोर्ट|सज़ा|رپورٹ|سزا|রিপোর্ট|শাস্তি|αναφέρω|ποινή)",
)
