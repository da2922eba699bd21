"""Ingest: read sources into documents, chunk them, embed what changed, store."""

from govai.ingest.document import Document, Section, Skipped
from govai.ingest.sources import SourceReader, source_readers

__all__ = ["Document", "Section", "Skipped", "SourceReader", "source_readers"]
