"""The one stop-word list, and the few words GovAI treats differently for a reason.

``STOPWORDS`` are English function words, written without apostrophes (the
tokenisers strip them): they say nothing about what a text is about, so lexical
retrieval and every term-coverage measure skip them.
"""

from __future__ import annotations

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your yours
    yourself yourselves im ive id youre dont doesnt cant get got s t""".split()
)

# Function words that still change what a sentence claims ("before 6 April" is not "after
# 6 April"; "may" is not "must"): checking an answer against its source counts them.
CLAIM_WORDS = frozenset(
    """above after against before below between during until through because while now nor
    am get got doing having him himself hers herself itself myself ours ourselves theirs themselves
    yourself yourselves""".split()
)

# Everyday words that say nothing about a passage's topic ("make", "help", "send"): an
# instruction slipped into guidance is recognised by content words the passage does not share.
GENERIC_WORDS = frozenset(
    """also must make made find tell send read write give take show help need want like much many done
    being""".split()
)

# The asker's situation ("my mum", "my boss") and question scaffolding ("how much", "can I get"):
# words that say little about what the guidance must cover to answer.
SITUATION_WORDS = frozenset(
    """much many long often old need want know tell happen happens work apply claim pay paid get give go
    make take still new also way thing someone anyone use able allow allowed mean means sort help
    mum dad mother father husband wife partner son daughter brother sister nan gran grandma grandad child
    children kid kids boy girl friend boss m ve ll re d""".split()
)


def unapostrophe(word: str) -> str:
    return word.replace("'", "").replace("’", "")
