"""How citizens reword a question: the variants GovAI's trainers ask their written questions in.

Questions written about a page ask the way guidance is written. People tell their story first
(``citizen_variant``), ask two things in one message (``compound_question``), or write a long
forum post or a letter to an advice column: background before and after the ask, and a greeting
and a sign-off (``forum_variant``). Every variant is drawn from the ``random.Random`` it is given,
so a trainer's data are the same every run. The stories are neutral about the answer: they add
the kind of words (family, work, money) that pull retrieval, sentence choice and the answerability
signals off the ask, which is what the models must learn to resist.
"""

from __future__ import annotations

import random

# Stories citizens tell before they ask. Neutral about the answer: they add the kind of
# words (family, work, money) that pull retrieval and sentence choice off the ask.
STORIES = [
    "I'm a single mum with two kids and I work part time.",
    "My partner and I split up a few months ago.",
    "I've just been made redundant after 12 years at the same place.",
    "We're a couple in our thirties renting privately in Leeds.",
    "I'm 24 and live with my parents at the moment.",
    "My husband works full time and I look after our baby.",
    "I run a small cafe with 6 staff.",
    "I'm self employed as a builder and money is tight this year.",
    "I've got a long term health condition and can't work much.",
    "Our eldest has just turned 16 and the youngest is 3.",
    "I'm on Universal Credit and my rent keeps going up.",
    "My employer is a big company with a HR department.",
    "I've been at my job for about 2 years, on around £400 a week.",
    "My mum is 80 and I help look after her.",
    "We moved here from abroad last year.",
    "I'm a student doing a college course.",
]
JOINERS = [" ", " ", " - ", " — ", "... ", ", so "]


def citizen_variant(question: str, rng: random.Random) -> str:
    """The question as a citizen often types it: a story first, sometimes a slip or two,
    lower case and no question mark."""
    story = rng.choice(STORIES)
    ask = question[0].lower() + question[1:] if rng.random() < 0.5 else question
    joiner = rng.choice(JOINERS)
    text = f"{story.rstrip('.') if joiner.startswith(',') else story}{joiner}{ask}"
    if rng.random() < 0.3:
        text = text.lower().rstrip("?")
    if rng.random() < 0.3:  # a slip: two letters swapped in one longer word
        words = text.split()
        long_words = [i for i, w in enumerate(words) if len(w) > 5 and w.isalpha()]
        if long_words:
            i = rng.choice(long_words)
            w = words[i]
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            text = " ".join(words)
    return text



BOTH_JOINERS = [" ", " Also, ", " And ", "\n", " Another thing: "]


def compound_question(first: str, second: str, rng: random.Random) -> str:
    """Two questions about one page asked in one message, as citizens often do ("... how long
    will it keep coming? Also, does that count as contributing?")."""
    joiner = rng.choice(BOTH_JOINERS)
    if joiner.strip().endswith((",", ":")) or joiner.strip() == "And":
        second = second[0].lower() + second[1:]
    text = f"{first.rstrip()}{joiner}{second.strip()}"
    return text.lower() if rng.random() < 0.2 else text


# Background of a longer post: who the asker is and how they got here, never the answer.
BACKGROUND = [
    "I've tried ringing the helpline twice but gave up after an hour on hold.",
    "A friend told me one thing and my sister-in-law told me the opposite.",
    "I've read a few threads on here but none of them are quite my situation.",
    "Money has been really tight since the start of the year.",
    "I don't want to make things awkward at work if I can help it.",
    "We've got a mortgage and two cars on finance, so every pound counts.",
    "My manager is nice enough but doesn't seem to know the rules either.",
    "I've never had to deal with anything like this before.",
    "We live in a small town and there isn't much advice locally.",
    "My husband thinks I'm worrying about nothing.",
    "I work four days a week and the kids are at school.",
    "The letter I got was full of jargon and I couldn't make sense of it.",
    "I'm quite anxious about getting it wrong and ending up owing money.",
    "Things have been stressful at home for a while now.",
    "I've been with the same company since I left college.",
    "My partner is on a zero hours contract so his pay goes up and down.",
    "We're not married but we've lived together for nine years.",
    "I did try the online checker but it didn't cover my case.",
    "Our landlord has just put the rent up again.",
    "I'm 52 and this is the first time I've ever needed to ask about this.",
]
OPENERS = ["Hi all,", "Hello,", "Looking for some advice please.", "Long time lurker, first post.",
           "Sorry, this is a bit of a long one.", "Hoping someone can help."]
CLOSERS = ["Thanks in advance.", "Any advice appreciated.", "Sorry for the essay!",
           "Thanks for reading this far.", "Really grateful for any pointers."]


def forum_variant(question: str, rng: random.Random) -> str:
    """The question as a long forum post: a greeting, several sentences of background, the ask
    (sometimes followed by more background), a sign-off; now and then in two paragraphs or all in
    lower case."""
    story = rng.sample(STORIES, 2) + rng.sample(BACKGROUND, rng.randint(2, 4))
    rng.shuffle(story)
    after = [story.pop() for _ in range(rng.randint(0, 2))] if rng.random() < 0.4 else []
    ask = question[0].lower() + question[1:] if rng.random() < 0.3 else question
    parts = ([rng.choice(OPENERS)] if rng.random() < 0.6 else []) + story
    if rng.random() < 0.3:
        parts[-1] += "\n"  # the ask in a paragraph of its own
    parts += [ask, *after] + ([rng.choice(CLOSERS)] if rng.random() < 0.6 else [])
    text = " ".join(parts).replace("\n ", "\n\n")
    return text.lower() if rng.random() < 0.2 else text
