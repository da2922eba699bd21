"""Hate, extremism and disinformation: arguing that a group should lose rights, praising or
recruiting for attacks, writing fake news."""

from __future__ import annotations

from govai.guards.rules.base import Rule, alt

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

DISINFORMATION = (
    r"\b(?:write|create|draft|generate|make|compose|produce)\b (?:me )?(?:a |an |some )?(?:fake |false |made-up |fabricated |"
    r"convincing |viral )?(?:news (?:article|story|report|bulletin)|press release|social media posts?|tweets?|"
    r"facebook posts?|announcement|leaflet|flyer|whatsapp message|blog post|article) (?:\S+ ){0,3}(?:claiming|saying|"
    r"announcing|stating|that says|which says|pretending|revealing|alleging|proving)\b"
)

PROMPT_RULES = (
    Rule("hate", "hate", 0.85, [PROTECTED_GROUP, DISCRIMINATE], window=100, unless=ABSURD),
    Rule("extremism", "hate", 0.85, [EXTREMISM]),
    Rule("disinformation", "harm", 0.8, [DISINFORMATION]),
)
