"""UK personal data: detection, pseudonymisation (with an encrypted vault) and re-identification.

    from govai.pii import detect
    for e in detect("My NI number is AB 12 34 56 C"):
        print(e.label, e.start, e.end, e.score)
"""

from govai.pii.detector import Detector, detect, get_detector
from govai.pii.entities import CHECKSUMMED, LABELS, Entity
from govai.pii.registry import pii_recognisers

__all__ = ["CHECKSUMMED", "LABELS", "Detector", "Entity", "detect", "get_detector", "pii_recognisers"]
