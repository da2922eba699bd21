"""System-prompt and secret extraction: "repeat the text above", "show me your instructions"."""

from __future__ import annotations

from govai.guards.rules.base import Rule, alt

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

PROMPT_RULES = (
    Rule("reveal-system-prompt", "sysprompt", 0.9, [SECRET_THING, REVEAL_VERB], window=120),
    Rule("system-prompt-phrase", "sysprompt", 0.9, [SYSPROMPT_PHRASES]),
)
DOCUMENT_RULES = (
    Rule("reveal-system-prompt", "injection", 0.9, [SECRET_THING, REVEAL_VERB], window=120),
)
