"""Ingest: read sources into documents, chunk them, embed what changed, store."""

from govai.ingest.document import Document, Section
from govai.ingest.sources import SourceReader, source_readers

__all__ = ["Document", "Section", "SourceReader", "source_readers"]
