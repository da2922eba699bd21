"""The encrypted vault: each conversation's placeholder map, sealed with AES-GCM.

The key comes from ``GOVAI_VAULT_KEY`` (base64 of 32 bytes) or the file named by
``GOVAI_VAULT_KEY_FILE``; failing both, a key file is created under GOVAI_HOME
with mode 0600 on first use. The conversation id is bound in as associated
data, so a row copied to another conversation will not decrypt. Keys and
values are never logged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from govai.config import Settings, get_settings
from govai.errors import ConfigError, StoreError
from govai.pii.placeholders import PlaceholderMap

if TYPE_CHECKING:
    from govai.store.database import Database

log = logging.getLogger(__name__)

KEY_BYTES = 32
KEY_FILE_NAME = "vault.key"


class VaultError(StoreError):
    """A vault entry could not be decrypted (wrong key, or tampered with)."""


def _decode_key(encoded: str, origin: str) -> bytes:
    try:
        key = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{origin} is not valid base64; it must hold 32 random bytes, base64-encoded "
                          "(make one with: python -c \"import os,base64;print(base64.b64encode(os.urandom(32)).decode())\")") from None
    if len(key) != KEY_BYTES:
        raise ConfigError(f"{origin} decodes to {len(key)} bytes; the vault needs exactly {KEY_BYTES}")
    return key


def load_key(settings: Settings | None = None) -> bytes:
    """The vault key from configuration, creating a private key file on first use."""
    if os.environ.get("GOVAI_VAULT_KEY"):
        return _decode_key(os.environ["GOVAI_VAULT_KEY"], "GOVAI_VAULT_KEY")
    path = Path(os.environ["GOVAI_VAULT_KEY_FILE"]) if os.environ.get("GOVAI_VAULT_KEY_FILE") else None
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"GOVAI_VAULT_KEY_FILE points to {path}, which does not exist")
        return _decode_key(path.read_text(encoding="ascii", errors="replace"), f"vault key file {path}")
    path = (settings or get_settings()).home / KEY_FILE_NAME
    if not path.exists():
        _create_key_file(path)
    return _decode_key(path.read_text(encoding="ascii", errors="replace"), f"vault key file {path}")


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    encoded = base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(encoded + "\n")
    log.info("created a new PII vault key file at %s", path)


def key_id(key: bytes) -> str:
    """A fingerprint that tells keys apart without revealing them."""
    return hashlib.sha256(b"govai-vault-key-id\x00" + key).hexdigest()[:16]


def derived_key(key: bytes, purpose: str) -> bytes:
    """A separate key for another use of the same secret (e.g. the hash operator)."""
    return hashlib.sha256(b"govai-derived\x00" + purpose.encode() + b"\x00" + key).digest()


class Sealer:
    """AES-256-GCM with the conversation id as associated data."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        self.key_id = key_id(key)

    def seal(self, conversation_id: str, mapping: PlaceholderMap) -> tuple[bytes, bytes]:
        nonce = secrets.token_bytes(12)
        return nonce, self._aead.encrypt(nonce, mapping.to_json(), _aad(conversation_id))

    def open(self, conversation_id: str, nonce: bytes, ciphertext: bytes) -> PlaceholderMap:
        try:
            return PlaceholderMap.from_json(self._aead.decrypt(nonce, ciphertext, _aad(conversation_id)))
        except InvalidTag:
            raise VaultError(
                f"the PII vault entry for conversation {conversation_id} cannot be decrypted with the configured key "
                "(was GOVAI_VAULT_KEY changed?); erase it with 'govai pii erase' or restore the old key"
            ) from None

    def __repr__(self) -> str:  # never show the key
        return f"Sealer(key_id={self.key_id})"


def _aad(conversation_id: str) -> bytes:
    return b"govai-pii-vault\x00" + conversation_id.encode()


class Vault(Protocol):
    def session(self, conversation_id: str) -> AbstractContextManager[PlaceholderMap]: ...

    def load(self, conversation_id: str) -> PlaceholderMap: ...

    def erase(self, conversation_id: str) -> bool: ...


class DatabaseVault:
    """Placeholder maps in PostgreSQL (table ``pii_vault``), one encrypted row per conversation."""

    def __init__(self, db: Database, key: bytes | None = None) -> None:
        self._db = db
        self._sealer = Sealer(key if key is not None else load_key())
        self._lock = threading.Lock()  # the shared connection runs one transaction at a time

    @contextmanager
    def session(self, conversation_id: str) -> Iterator[PlaceholderMap]:
        """Read, let the caller add placeholders, and write back atomically (row locked meanwhile)."""
        conn = self._db.conn
        with self._lock, conn.transaction():
            row = conn.execute(
                "SELECT nonce, ciphertext FROM pii_vault WHERE conversation_id = %s FOR UPDATE", (conversation_id,)
            ).fetchone()
            mapping = self._sealer.open(conversation_id, row[0], row[1]) if row else PlaceholderMap()
            before = len(mapping)
            yield mapping
            if len(mapping) != before:
                nonce, ciphertext = self._sealer.seal(conversation_id, mapping)
                conn.execute(
                    "INSERT INTO pii_vault (conversation_id, key_id, nonce, ciphertext) VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT (conversation_id) DO UPDATE SET key_id = EXCLUDED.key_id, nonce = EXCLUDED.nonce, "
                    "ciphertext = EXCLUDED.ciphertext, updated_at = now()",
                    (conversation_id, self._sealer.key_id, nonce, ciphertext),
                )

    def load(self, conversation_id: str) -> PlaceholderMap:
        with self._lock:
            row = self._db.conn.execute(
                "SELECT nonce, ciphertext FROM pii_vault WHERE conversation_id = %s", (conversation_id,)
            ).fetchone()
        return self._sealer.open(conversation_id, row[0], row[1]) if row else PlaceholderMap()

    def erase(self, conversation_id: str) -> bool:
        with self._lock:
            cur = self._db.conn.execute("DELETE FROM pii_vault WHERE conversation_id = %s", (conversation_id,))
        return cur.rowcount > 0

    def erase_older_than(self, days: int) -> int:
        """Retention: drop maps not touched for ``days`` days; returns how many."""
        with self._lock:
            cur = self._db.conn.execute(
                "DELETE FROM pii_vault WHERE updated_at < now() - make_interval(days => %s)", (days,)
            )
        return cur.rowcount


class MemoryVault:
    """The same interface in process memory, still sealed (for the CLI and tests)."""

    def __init__(self, key: bytes | None = None) -> None:
        self._sealer = Sealer(key if key is not None else secrets.token_bytes(KEY_BYTES))
        self._rows: dict[str, tuple[bytes, bytes]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def session(self, conversation_id: str) -> Iterator[PlaceholderMap]:
        with self._lock:
            mapping = self._open(conversation_id)
            yield mapping
            self._rows[conversation_id] = self._sealer.seal(conversation_id, mapping)

    def load(self, conversation_id: str) -> PlaceholderMap:
        with self._lock:
            return self._open(conversation_id)

    def erase(self, conversation_id: str) -> bool:
        with self._lock:
            return self._rows.pop(conversation_id, None) is not None

    def _open(self, conversation_id: str) -> PlaceholderMap:
        row = self._rows.get(conversation_id)
        return self._sealer.open(conversation_id, *row) if row else PlaceholderMap()
