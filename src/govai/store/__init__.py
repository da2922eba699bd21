"""Storage: PostgreSQL + pgvector, embedded by default or any server via DATABASE_URL."""

from govai.store.database import Database, get_database

__all__ = ["Database", "get_database"]
