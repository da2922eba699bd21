"""The AES-GCM vault: keys from configuration, ciphertext only at rest, bound to the conversation."""

from __future__ import annotations

import base64
import os
import stat
import uuid
from pathlib import Path

import pytest

from govai.config import Settings
from govai.errors import ConfigError
from govai.pii.placeholders import PlaceholderMap, reidentify
from govai.pii.vault import DatabaseVault, MemoryVault, Sealer, VaultError, load_key

KEY = bytes(range(32))


def test_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVAI_VAULT_KEY", base64.b64encode(KEY).decode())
    assert load_key() == KEY


def test_bad_keys_are_clear_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GOVAI_VAULT_KEY", base64.b64encode(b"short").decode())
    with pytest.raises(ConfigError, match="exactly 32"):
        load_key()
    monkeypatch.setenv("GOVAI_VAULT_KEY", "not base64 !!")
    with pytest.raises(ConfigError, match="not valid base64"):
        load_key()
    monkeypatch.delenv("GOVAI_VAULT_KEY")
    monkeypatch.setenv("GOVAI_VAULT_KEY_FILE", str(tmp_path / "missing.key"))
    with pytest.raises(ConfigError, match="does not exist"):
        load_key()


def test_key_file_is_created_private_on_first_use(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GOVAI_VAULT_KEY", raising=False)
    monkeypatch.delenv("GOVAI_VAULT_KEY_FILE", raising=False)
    settings = Settings(home=tmp_path / "home")
    first = load_key(settings)
    path = tmp_path / "home" / "vault.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_key(settings) == first and len(first) == 32


def test_sealed_map_round_trips_and_is_bound_to_its_conversation() -> None:
    mapping = PlaceholderMap()
    mapping.placeholder_for("NINO", "AB 12 34 56 C")
    sealer = Sealer(KEY)
    nonce, ciphertext = sealer.seal("conv-1", mapping)
    assert b"AB 12 34 56 C" not in ciphertext
    assert sealer.open("conv-1", nonce, ciphertext).values == {"[NINO_1]": "AB 12 34 56 C"}
    with pytest.raises(VaultError, match="cannot be decrypted"):
        sealer.open("conv-2", nonce, ciphertext)
    with pytest.raises(VaultError):
        Sealer(bytes(32)).open("conv-1", nonce, ciphertext)
    assert "key_id" in repr(sealer) and KEY.hex() not in repr(sealer)


def test_same_value_same_placeholder_whatever_its_spelling() -> None:
    mapping = PlaceholderMap()
    a = mapping.placeholder_for("NINO", "AB 12 34 56 C")
    b = mapping.placeholder_for("NINO", "ab123456c")
    c = mapping.placeholder_for("PERSON", "Amina Hussain")
    d = mapping.placeholder_for("PERSON", "amina  hussain")
    e = mapping.placeholder_for("PERSON", "Jo Bloggs")
    assert (a, b, c, d, e) == ("[NINO_1]", "[NINO_1]", "[PERSON_1]", "[PERSON_1]", "[PERSON_2]")


def test_reidentify_leaves_unknown_placeholders_visible() -> None:
    mapping = PlaceholderMap()
    mapping.placeholder_for("PERSON", "Amina Hussain")
    text, unknown = reidentify("Dear [PERSON_1], about [NINO_7].", mapping)
    assert text == "Dear Amina Hussain, about [NINO_7]."
    assert unknown == ["[NINO_7]"]


def test_memory_vault_keeps_numbering_per_conversation() -> None:
    vault = MemoryVault(KEY)
    with vault.session("a") as m:
        m.placeholder_for("PERSON", "Amina Hussain")
    with vault.session("a") as m:
        assert m.placeholder_for("PERSON", "Jo Bloggs") == "[PERSON_2]"
    with vault.session("b") as m:
        assert m.placeholder_for("PERSON", "Jo Bloggs") == "[PERSON_1]"
    assert vault.erase("a") and vault.load("a").values == {}


def test_database_vault_stores_ciphertext_only(db) -> None:
    vault = DatabaseVault(db, KEY)
    conversation = uuid.uuid4().hex
    with vault.session(conversation) as m:
        m.placeholder_for("NHS_NUMBER", "943 476 5919")
    with vault.session(conversation) as m:
        assert m.placeholder_for("NHS_NUMBER", "9434765919") == "[NHS_NUMBER_1]"
        assert m.placeholder_for("EMAIL", "jo@example.com") == "[EMAIL_1]"
    row = db.conn.execute("SELECT key_id, nonce, ciphertext FROM pii_vault WHERE conversation_id = %s",
                          (conversation,)).fetchone()
    assert b"943" not in bytes(row[2]) and b"jo@example.com" not in bytes(row[2])
    assert row[0] == Sealer(KEY).key_id
    assert DatabaseVault(db, KEY).load(conversation).values == {
        "[NHS_NUMBER_1]": "943 476 5919", "[EMAIL_1]": "jo@example.com"}
    with pytest.raises(VaultError):
        DatabaseVault(db, bytes(32)).load(conversation)
    assert vault.erase(conversation)
    assert vault.load(conversation).values == {}
