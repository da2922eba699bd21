"""The audit trail: every request's decisions and reasons, in hash chains that prove themselves.

One chain per service (``chain``), signed checkpoints outside the table
(``checkpoints``), verification (``verify``), offline exports (``export``) and
retention and erasure recorded in the chain itself (``retention``). See
docs/audit.md for the design and what each check proves.
"""

from govai.policy.audit.canonical import GENESIS, canonical
from govai.policy.audit.chain import StoredRecord, append, period_starts, spent_gbp
from govai.policy.audit.checkpoints import Checkpoint, checkpoint
from govai.policy.audit.verify import ChainCheck, Finding, ServiceCheck, verify_chain

__all__ = [
    "GENESIS",
    "ChainCheck",
    "Checkpoint",
    "Finding",
    "ServiceCheck",
    "StoredRecord",
    "append",
    "canonical",
    "checkpoint",
    "period_starts",
    "spent_gbp",
    "verify_chain",
]
