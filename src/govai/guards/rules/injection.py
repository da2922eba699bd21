"""Indirect injection: text in a retrieved passage that speaks to the model ("note to the AI",
"in your reply, add…"), code to embed, chat-template tokens and hidden markup."""

from __future__ import annotations

from govai.guards.rules.base import Rule

AI_ADDRESSEE = (
    r"\b(?:ai|a\.i\.|assistant|chat ?bot|language model|llm|gpt|chatgpt|claude|gemini|copilot|bard|model|bot|agent)s?\b"
)

OUTPUT_OBJECT = (
    r"\byour (?:reply|replies|response|responses|answer|answers|output|summary|code|solution|implementation|algorithm|"
    r"elucidation|explanation|essay|script|program|programme|generated text|completion|final answer|rewrite)\b"
)

INSTRUCTION_START = (
    # a sentence start; or a capitalised word straight after a lower-case one (an instruction
    # glued onto a line that had no full stop)
    r"(?:^|[.!?:\n]\s*|\*\s+|(?-i:(?<=[a-z)\]] )(?=[A-Z])))(?:please\s+|kindly\s+|also,?\s+|now,?\s+|then,?\s+)?"
    r"(?:rearrange|twist|add|include|insert|integrate|incorporate|"
    r"append|prepend|mention|suggest|tease|promote|recommend|provide|write|use|convert|replace|substitute|"
    r"translate|rearrange|remove|group|reverse|encode|answer|respond|reply|start|begin|end|make sure|ensure|"
    r"don't forget|do not forget|keep in mind|remember|leverage|utili[sz]e|merge|meld|blend|enlist|adopt|absorb|"
    r"introduce|consider|enhance|augment|modify|enrich|let|embed|explain|describe|tell|list|summari[sz]e|draft|"
    r"develop|compose|create|generate|produce|give|offer|express|emphasi[sz]e|highlight|stress|hint|urge|"
    r"encourage|direct|redirect|link|share|spell|scramble|capitali[sz]e|format|output|print|return|"
    r"sign off|close|conclude|append|attach|rewrite|rephrase|alter|change|swap|shuffle|anagram|misspell|"
    r"only|always|never|do not|don't|must)\b"
    # "Tell us your answers", "send us your application": the department asking the reader.
    r"(?!\s+(?:us|me)\b)"
)

CODE_FENCE_PAYLOAD = (
    r"```[\s\S]{0,40}?(?:import |from \w+ import|os\.|subprocess|socket|requests\.|urllib|paramiko|psutil|ftplib|"
    r"shutil|pickle|exec\(|eval\(|rm -rf|curl |wget |powershell|chmod|base64|keyboard|pynput|ctypes|win32|"
    r"<script|document\.cookie|fetch\(|XMLHttpRequest)"
)

FOLLOWING_CODE = (
    r"\b(?:the )?(?:following|below|subsequent|attached|provided|this) (?:code|python|script|snippet|block|excerpt|"
    r"fragment|command)s?(?: (?:code|block|snippet|excerpt|section|fragment))?\b(?! of (?:practice|conduct))"
)

CHAT_TOKENS = (
    r"(?:<\|im_start\|>|<\|im_end\|>|<\|system\|>|<\|user\|>|<\|assistant\|>|\[/?INST\]|<</?SYS>>|<\|endoftext\|>|"
    r"^\s*(?:system|assistant|human|user)\s*:|###\s*(?:system|instruction|response)\s*:)"
)

# A comment no reader sees, speaking to the model: as plain an injection as "note to the AI".
HIDDEN_NOTE = r"<!--[\s\S]{0,400}?(?:ignore|instruction|assistant|\bai\b|model|prompt)[\s\S]{0,400}?-->"
HIDDEN_MARKUP = (
    r"<!--[\s\S]{0,400}?(?:respond|reply|answer)[\s\S]{0,400}?-->|"
    r"display\s*:\s*none|font-size\s*:\s*0|visibility\s*:\s*hidden|color\s*:\s*(?:white|#fff(?:fff)?)\b"
)

DOCUMENT_RULES = (
    Rule(
        "addresses-the-model", "injection", 0.9,
        [r"\b(?:note|message|instructions?|attention|reminder|notice|memo|directive)s? (?:to|for) (?:the |any |all )?"
         + AI_ADDRESSEE + r"|\bif you are an? (?:\w+ )?" + AI_ADDRESSEE + r"|\bas an? (?:\w+ )?" + AI_ADDRESSEE
         + r"(?:,| you)|\b(?:dear|hey|hello|attention) " + AI_ADDRESSEE
         + r"|\b" + AI_ADDRESSEE + r"s? (?:reading|processing|summari[sz]ing|answering|parsing|reviewing) (?:this|these)\b"],
    ),
    Rule("output-directed", "injection", 0.85, [OUTPUT_OBJECT, INSTRUCTION_START], window=160, lead=1),
    Rule("code-payload", "injection", 0.95, [CODE_FENCE_PAYLOAD]),
    Rule("following-code", "injection", 0.8, [FOLLOWING_CODE, r"\byour (?:code|solution|response|reply|answer|"
         r"implementation|algorithm|elucidation|approach|logic|framework|architecture|program|script)\b"], window=160),
    Rule("chat-template", "injection", 0.9, [CHAT_TOKENS]),
    Rule("hidden-note", "injection", 0.9, [HIDDEN_NOTE]),
    Rule("hidden-markup", "injection", 0.8, [HIDDEN_MARKUP]),
)
