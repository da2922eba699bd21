"""Asking about the law, not how to break it: the ``unless`` the harm, fraud and personal-data
rules share ("is it illegal to…", "how do I report…", "what happens if…")."""

from __future__ import annotations

from govai.guards.rules.base import alt

REPORTING = alt(
    r"\b(?:report|reporting|reported|whistle-?blow|tip off|tell (?:hmrc|dwp|the council|the police) about|"
    r"is it (?:illegal|legal|allowed|fraud|an offence)|what (?:is|are) the (?:penalt|punishment|sentence|consequences)|"
    r"(?:what's|what is|what are) the (?:maximum |max |minimum )?(?:prison |jail )?(?:penalt|punishment|sentence|fine)|"
    r"(?:maximum|max|prison|jail) sentence for|"
    r"what counts as|penalt(?:y|ies) for|don't want to (?:get it wrong|break)|by (?:accident|mistake)|"
    r"scam\?|is (?:this|it) a scam|protect (?:myself|yourself)|spot (?:a|the) scam|been (?:scammed|defrauded)|"
    r"what happens if)\b",
)
