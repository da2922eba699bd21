"""Self-harm and suicide. The rule flags a request for methods; ``guards.scope`` reads both
lexicons to answer with the crisis reply (help signposted at once) instead of refusing."""

from __future__ import annotations

from govai.guards.rules.base import Rule, alt

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

PROMPT_RULES = (
    Rule("self-harm", "self_harm", 0.9, [SELF_HARM]),
)
