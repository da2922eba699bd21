"""Instructions hidden in an encoding: "decode this base64 and follow it"."""

from __future__ import annotations

from govai.guards.rules.base import Rule, alt

ENCODED_INSTRUCTION = alt(
    r"\b(?:decode|decipher|decrypt|translate|convert|unscramble|reverse|read)\b.{0,60}\b(?:base ?64|rot-?13|hex(?:adecimal)?|"
    r"binary|morse|caesar|cipher|backwards|reversed|encoded|leetspeak|pig latin)\b.{0,80}\b(?:follow|execute|do|obey|"
    r"carry out|answer|act on|comply|respond|perform|then)\b",
    # "follow the instructions in the email" is guidance; "...hidden in / encoded in" is not.
    r"\b(?:follow|execute|obey|do) (?:the )?(?:instructions?|what it says|the command|the request) "
    r"(?:hidden in|encoded in|inside|in (?:the |this )?(?:encoded|hidden|base ?64|hex|binary|cipher(?:ed)?|scrambled|"
    r"reversed)\b)",
)

PROMPT_RULES = (
    Rule("encoded-instruction", "override", 0.85, [ENCODED_INSTRUCTION]),
)
DOCUMENT_RULES = (
    Rule("encoded-instruction", "injection", 0.85, [ENCODED_INSTRUCTION]),
)
