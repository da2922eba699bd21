"""Shared fixtures. Tests run against a real embedded PostgreSQL in a temporary
GOVAI_HOME (or DATABASE_URL when set), fully offline."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# One GOVAI_HOME for the whole run, set before govai reads its settings.
_HOME = Path(tempfile.mkdtemp(prefix="govai-test-home-"))
os.environ["GOVAI_HOME"] = str(_HOME)
# Built models (the guard's int8 MiniLM) are shared by every home a test makes: built once a run.
os.environ["GOVAI_MODEL_CACHE"] = str(_HOME / "models")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def govai_home() -> Path:
    return _HOME


@pytest.fixture(scope="session")
def db():
    """The session's database (embedded PostgreSQL 18 + pgvector), migrated."""
    from govai.store.database import get_database

    database = get_database()
    database.conn  # start, connect and migrate once
    return database


@pytest.fixture(scope="session")
def embedder():
    """The default MiniLM embedder (loaded once per process)."""
    from govai.embeddings import get_embedder

    return get_embedder("minilm")


@pytest.fixture(scope="module")
def server():
    """A real local OpenAI-compatible HTTP server (tests/openai_server.py)."""
    from openai_server import OpenAIServer

    with OpenAIServer() as srv:
        yield srv


# Tests of a few steps in isolation run without the safeguards a real service must keep;
# a profile says so explicitly, as a department's would.
WAIVED = {
    "pseudonymise": "test of other steps in isolation",
    "screen_input": "test of other steps in isolation",
    "audit": "test of other steps in isolation",
}


def build_step(name: str, profile=None, **options):  # type: ignore[no-untyped-def]
    """A step as a service builds it: from the profile's resources and the step's options."""
    import govai.pipeline.steps  # noqa: F401  (registers the steps)
    from govai.pipeline.step import steps
    from govai.profiles.model import ServiceProfile
    from govai.runtime import Services

    return steps.get(name)(Services(profile or ServiceProfile()), options)
