"""The Ed25519 key that signs checkpoints and the records of prunes and erasures.

The key never goes near the database, so whoever can rewrite the audit tables
still cannot sign a checkpoint or a prune. Where it comes from, first match wins:

- ``GOVAI_AUDIT_KEY``: base64 of the 32-byte private seed (from a secret store);
- ``GOVAI_AUDIT_KEY_FILE``: a file holding that base64;
- ``$GOVAI_HOME/audit/signing.key``, created with mode 0600 the first time
  something must be signed.

Verifying needs only public keys: the configured key's, plus any given with
``--public-key`` or ``GOVAI_AUDIT_PUBLIC_KEYS`` (comma-separated base64), so an
auditor can check an export without the private key. Keys are never logged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from govai.config import get_settings
from govai.errors import ConfigError

log = logging.getLogger(__name__)

SEED_BYTES = 32


def default_key_file() -> Path:
    return get_settings().home / "audit" / "signing.key"


def _decode(encoded: str, origin: str) -> bytes:
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{origin} is not valid base64 (it must hold {SEED_BYTES} bytes, base64-encoded)") from None
    if len(raw) != SEED_BYTES:
        raise ConfigError(f"{origin} decodes to {len(raw)} bytes; an Ed25519 key needs exactly {SEED_BYTES}")
    return raw


def key_id(public_raw: bytes) -> str:
    """A fingerprint that names a key without revealing anything secret."""
    return hashlib.sha256(b"govai-audit-key-id\x00" + public_raw).hexdigest()[:16]


def _public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


class Signer:
    """Signs with the private key; the key itself is not reachable from outside."""

    def __init__(self, seed: bytes) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_raw = _public_raw(self._key.public_key())
        self.key_id = key_id(self.public_raw)
        # A separate secret for keyed references (e.g. to an erased conversation).
        self._ref_key = hashlib.sha256(b"govai-audit-reference\x00" + seed).digest()

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_raw).decode("ascii")

    def sign(self, message: str) -> str:
        return base64.b64encode(self._key.sign(message.encode("utf-8"))).decode("ascii")

    def reference(self, value: str) -> str:
        """A keyed hash: lets the key holder confirm a value, tells nobody else anything."""
        return hmac.new(self._ref_key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    def __repr__(self) -> str:  # never show the key
        return f"Signer(key_id={self.key_id})"


def _configured_seed(create: bool) -> bytes | None:
    if os.environ.get("GOVAI_AUDIT_KEY"):
        return _decode(os.environ["GOVAI_AUDIT_KEY"], "GOVAI_AUDIT_KEY")
    if os.environ.get("GOVAI_AUDIT_KEY_FILE"):
        path = Path(os.environ["GOVAI_AUDIT_KEY_FILE"])
        if not path.is_file():
            raise ConfigError(f"GOVAI_AUDIT_KEY_FILE points to {path}, which does not exist")
        return _decode(path.read_text(encoding="ascii", errors="replace"), f"audit key file {path}")
    path = default_key_file()
    if not path.exists():
        if not create:
            return None
        _create_key_file(path)
    return _decode(path.read_text(encoding="ascii", errors="replace"), f"audit key file {path}")


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Written to a private temporary name, then linked into place: another
    # process never reads a half-written key, and the first writer wins.
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(base64.b64encode(secrets.token_bytes(SEED_BYTES)).decode("ascii") + "\n")
        try:
            os.link(tmp, path)
            log.info("created a new audit signing key file at %s", path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def load_signer(*, create: bool = True) -> Signer | None:
    """The configured signing key; with ``create``, a key file is made on first use."""
    seed = _configured_seed(create)
    return Signer(seed) if seed is not None else None


def parse_public_key(value: str) -> Ed25519PublicKey:
    """A public key given as base64, or as the path of a file holding it."""
    text = value
    if not _looks_base64(value) and Path(value).is_file():
        text = Path(value).read_text(encoding="ascii", errors="replace")
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{value!r} is neither a base64 Ed25519 public key nor a file holding one") from None


def _looks_base64(value: str) -> bool:
    try:
        return len(base64.b64decode(value.strip(), validate=True)) == SEED_BYTES
    except (binascii.Error, ValueError):
        return False


@dataclass
class Verifier:
    """The public keys whose signatures are accepted, by key id."""

    keys: dict[str, Ed25519PublicKey] = field(default_factory=dict)

    def add(self, key: Ed25519PublicKey) -> None:
        self.keys[key_id(_public_raw(key))] = key

    def verify(self, kid: str, message: str, signature: str) -> bool:
        key = self.keys.get(kid)
        if key is None:
            return False
        try:
            key.verify(base64.b64decode(signature, validate=True), message.encode("utf-8"))
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True

    def __bool__(self) -> bool:
        return bool(self.keys)


def load_verifier(public_keys: Iterable[str] = ()) -> Verifier:
    """The configured key's public half (never creating a key) and any public keys given."""
    verifier = Verifier()
    signer = load_signer(create=False)
    if signer is not None:
        verifier.add(Ed25519PublicKey.from_public_bytes(signer.public_raw))
    listed = [k for k in os.environ.get("GOVAI_AUDIT_PUBLIC_KEYS", "").split(",") if k.strip()]
    for value in [*listed, *public_keys]:
        verifier.add(parse_public_key(value))
    return verifier
