"""Does the retrieved guidance answer the question? (The ``check_evidence`` step asks.)

``signals`` measures the evidence, ``model`` weighs it (logistic regression trained
by ``python -m govai.answerability.train`` on GovAI's own questions), and the
pipeline abstains, with signposting, when the score falls below the threshold.
"""
