"""Knowledge bases in PostgreSQL: documents, chunks, vectors, full-text."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg
from psycopg.types.json import Jsonb

from govai.errors import ConfigError, StoreError
from govai.ingest.chunking import Chunk
from govai.ingest.document import Document
from govai.retrieval.lexical import tokenize
from govai.store.database import Database

_KB_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
MAX_KB_NAME = 63


def check_kb_name(name: str) -> None:
    """A clear error for a name the store cannot take (checked before anything slow runs)."""
    if not name:
        raise ConfigError("a knowledge base needs a name")
    if len(name) > MAX_KB_NAME:
        raise ConfigError(f"knowledge base name is {len(name)} characters long; use at most {MAX_KB_NAME}")
    if not _KB_NAME.match(name):
        raise ConfigError(f"invalid knowledge base name {name!r}: use ASCII letters and digits, '.', '_' or '-', "
                          "starting with a letter or digit")


class UnstorableDocument(StoreError):
    """A document holds something PostgreSQL refuses (such as a NUL character); its stored
    copy, if any, is untouched."""


def _as_array(value: object) -> np.ndarray:
    """pgvector gives numpy arrays or Vector objects depending on its version."""
    to_numpy = getattr(value, "to_numpy", None)
    return np.asarray(to_numpy() if to_numpy else value, dtype=np.float32)


@dataclass(frozen=True)
class KnowledgeBase:
    id: int
    name: str
    embedder: str
    dim: int
    revision: int
    complete: bool = True  # False while an ingest runs, and after one that was killed part way
    n_chunks: int = 0  # as of the last lexicon refresh (BM25's collection size)
    avg_terms: float = 0.0  # mean terms per chunk, as of the last lexicon refresh (BM25's length norm)
    lexicon_revision: int | None = None  # the revision the lexicon was refreshed at

    @property
    def lexicon_current(self) -> bool:
        return self.lexicon_revision == self.revision


@dataclass
class StoredChunk:
    id: int
    source_id: str
    title: str
    url: str
    anchor: str | None
    headings: list[str]
    text: str
    flags: list[str]
    link: str | None = None  # the section's own address, when not url + "#" + anchor
    embedding: np.ndarray | None = None
    unit_vectors: bytes | None = None


EF_CONSTRUCTION = 128  # graph quality at build time; pgvector's default is 64
HNSW_BUILD_MEMORY = "1GB"  # maintenance_work_mem for a graph build: 1M x 384-d chunks need about 2 GB


def chunk_terms(title: str, headings: list[str], text: str) -> tuple[str, int]:
    """A chunk's terms as a tsvector literal, and how many it has. Positions 1..tf only carry
    each term's frequency (capped at PostgreSQL's 256 positions a lexeme); the terms come from
    GovAI's tokenizer, which PostgreSQL's text search configurations do not reproduce."""
    counts = Counter(tokenize(f"{title}\n{' '.join(headings)}\n{text}"))
    literal = " ".join(
        f"'{term}':{','.join(str(p) for p in range(1, min(tf, 256) + 1))}" for term, tf in counts.items()
    )
    return literal, sum(counts.values())


def tsquery_any(terms: list[str]) -> str:
    """A tsquery matching chunks with any of ``terms`` (tokenizer output: [a-z0-9.] only)."""
    return " | ".join(f"'{t}'" for t in terms)


def _terms_index_sql(kb_id: int) -> str:
    """One GIN index per knowledge base over its chunks' terms, as for the HNSW graph."""
    kb_id = int(kb_id)
    return f"CREATE INDEX IF NOT EXISTS chunk_terms_kb{kb_id} ON chunk USING gin (terms) WHERE kb_id = {kb_id}"


def _index_sql(kb_id: int, dim: int) -> str:
    """One HNSW index per knowledge base: a partial index fixes the dimension."""
    return (
        f"CREATE INDEX chunk_hnsw_kb{int(kb_id)} ON chunk USING hnsw "
        f"((embedding::vector({int(dim)})) vector_cosine_ops) WITH (m = 16, ef_construction = {EF_CONSTRUCTION})"
        f" WHERE kb_id = {int(kb_id)}"
    )


class KnowledgeStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._ef_search: tuple[psycopg.Connection, int] | None = None  # (connection, value) last set

    @property
    def conn(self) -> psycopg.Connection:
        return self.db.conn

    # --- knowledge bases -------------------------------------------------
    def get(self, name: str) -> KnowledgeBase | None:
        row = self.conn.execute(
            "SELECT id, name, embedder, dim, revision, complete, n_chunks, avg_terms, lexicon_revision"
            " FROM kb WHERE name = %s", (name,)
        ).fetchone()
        return KnowledgeBase(*row) if row else None

    def require(self, name: str) -> KnowledgeBase:
        kb = self.get(name)
        if kb is None:
            raise ConfigError(f"no knowledge base named {name!r}; load one with: govai kb ingest SOURCE --kb {name}")
        return kb

    def existing(self, name: str, embedder: str) -> KnowledgeBase | None:
        """The knowledge base ``name`` if there is one, checked for use with ``embedder``."""
        check_kb_name(name)
        kb = self.get(name)
        if kb is not None and kb.embedder != embedder:
            raise ConfigError(
                f"knowledge base {name!r} was built with embedder {kb.embedder!r}, not {embedder!r}; "
                f"delete it (govai kb delete {name}) or use the same embedder"
            )
        return kb

    def ensure(self, name: str, embedder: str, dim: int, *, complete: bool = True) -> KnowledgeBase:
        """The knowledge base ``name``, created if missing (``complete`` says whether a new
        one counts as fully loaded; an ingest creates it incomplete)."""
        kb = self.existing(name, embedder)
        if kb is not None:
            return kb
        with self.conn.transaction():
            kb_id = self.conn.execute(
                "INSERT INTO kb (name, embedder, dim, complete) VALUES (%s, %s, %s, %s) RETURNING id",
                (name, embedder, dim, complete),
            ).fetchone()[0]
            self.conn.execute(_index_sql(kb_id, dim))
            self.conn.execute(_terms_index_sql(kb_id))
        return self.require(name)

    def list(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT k.name, k.embedder, k.revision, k.created_at,"
            " (SELECT count(*) FROM document d WHERE d.kb_id = k.id),"
            " (SELECT count(*) FROM chunk c WHERE c.kb_id = k.id), k.complete"
            " FROM kb k ORDER BY k.name"
        ).fetchall()
        return [
            {"name": r[0], "embedder": r[1], "revision": r[2], "created_at": r[3].isoformat(),
             "documents": r[4], "chunks": r[5], "complete": r[6]}
            for r in rows
        ]

    # --- ingest bookkeeping ----------------------------------------------
    def begin_ingest(self, kb: KnowledgeBase) -> str:
        """Mark ``kb`` incomplete until ``finish_ingest``; returns this ingest's id."""
        ingest_id = str(uuid.uuid4())
        self.conn.execute("UPDATE kb SET complete = false, ingest_id = %s WHERE id = %s", (ingest_id, kb.id))
        return ingest_id

    def finish_ingest(self, kb: KnowledgeBase, ingest_id: str) -> None:
        """Mark ``kb`` complete, unless another ingest has begun since this one did."""
        self.conn.execute("UPDATE kb SET complete = true WHERE id = %s AND ingest_id = %s", (kb.id, ingest_id))

    def delete(self, name: str) -> None:
        kb = self.require(name)
        with self.conn.transaction():
            self.conn.execute(f"DROP INDEX IF EXISTS chunk_hnsw_kb{kb.id}")
            self.conn.execute(f"DROP INDEX IF EXISTS chunk_terms_kb{kb.id}")
            self.conn.execute("DELETE FROM kb WHERE id = %s", (kb.id,))

    # --- documents ------------------------------------------------------
    def document_hashes(self, kb: KnowledgeBase) -> dict[str, tuple[str, str]]:
        """source_id -> (content_hash, origin) for every document in the knowledge base.

        A document stored before unit vectors existed reports an empty hash, so the
        next ingest completes it.
        """
        rows = self.conn.execute(
            "SELECT d.source_id, CASE WHEN EXISTS (SELECT 1 FROM chunk c WHERE c.document_id = d.id"
            " AND c.unit_vectors IS NULL) THEN '' ELSE d.content_hash END, d.origin"
            " FROM document d WHERE d.kb_id = %s",
            (kb.id,),
        )
        return {r[0]: (r[1], r[2]) for r in rows}

    def vectors_by_hash(self, kb: KnowledgeBase, hashes: list[str]) -> dict[str, tuple[np.ndarray, bytes]]:
        """Existing (chunk vector, packed unit vectors) for chunk texts already embedded,
        so unchanged chunks are not re-embedded."""
        if not hashes:
            return {}
        rows = self.conn.execute(
            "SELECT DISTINCT ON (content_hash) content_hash, embedding, unit_vectors FROM chunk"
            " WHERE kb_id = %s AND content_hash = ANY(%s) AND embedding IS NOT NULL AND unit_vectors IS NOT NULL",
            (kb.id, hashes),
        )
        return {r[0]: (_as_array(r[1]), bytes(r[2])) for r in rows}

    def save_document(
        self,
        kb: KnowledgeBase,
        doc: Document,
        chunks: list[Chunk],
        vectors: list[tuple[np.ndarray, bytes]],
        flags: list[list[str]],
    ) -> None:
        """Replace a document and its chunks atomically."""
        try:
            with self.conn.transaction():
                self.conn.execute("DELETE FROM document WHERE kb_id = %s AND source_id = %s", (kb.id, doc.source_id))
                doc_id = self.conn.execute(
                    "INSERT INTO document (kb_id, source_id, origin, kind, title, url, content_hash, metadata)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                    (kb.id, doc.source_id, doc.origin, doc.kind, doc.title, doc.url, doc.content_hash,
                     Jsonb(doc.metadata)),
                ).fetchone()[0]
                with self.conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO chunk (kb_id, document_id, ord, anchor, headings, text, content_hash,"
                        " embedding, unit_vectors, flags, link, terms, n_terms) VALUES (%s, %s, %s, %s, %s, %s, %s,"
                        " %s, %s, %s, %s, %s::tsvector, %s)",
                        [
                            (kb.id, doc_id, c.ord, c.anchor, c.headings, c.text, c.content_hash(doc.title),
                             vectors[i][0], vectors[i][1], flags[i], c.link,
                             *chunk_terms(doc.title, c.headings, c.text))
                            for i, c in enumerate(chunks)
                        ],
                    )
        except psycopg.errors.DiskFull as exc:
            raise StoreError(f"the database disk is full while saving {doc.source_id}; nothing was changed") from exc
        except psycopg.DataError as exc:  # text PostgreSQL cannot hold; the stored copy is untouched
            reason = exc.diag.message_primary or str(exc)
            raise UnstorableDocument(f"cannot store {doc.source_id} ({reason}); its stored copy is unchanged") from exc

    def delete_documents(self, kb: KnowledgeBase, source_ids: list[str]) -> None:
        if source_ids:
            self.conn.execute("DELETE FROM document WHERE kb_id = %s AND source_id = ANY(%s)", (kb.id, source_ids))

    def has_index(self, kb: KnowledgeBase) -> bool:
        row = self.conn.execute("SELECT to_regclass(%s) IS NOT NULL", (f"chunk_hnsw_kb{int(kb.id)}",)).fetchone()
        return row is not None and bool(row[0])

    def drop_index(self, kb: KnowledgeBase) -> None:
        """Drop the knowledge base's HNSW index before writing many chunks: inserting into
        the graph row by row slows down as it grows (16,000 chunks took 94 s with the index,
        4 s without it plus 10 s to build it afterwards). Until ``rebuild_index``, dense search
        on this knowledge base scans its rows exactly."""
        self.conn.execute(f"DROP INDEX IF EXISTS chunk_hnsw_kb{int(kb.id)}")

    def rebuild_index(self, kb: KnowledgeBase) -> None:
        """Build the knowledge base's HNSW graph from all its rows at once.

        A graph grown row by row through a large ingest finds noticeably fewer true nearest
        neighbours (here 0.90 of the exact top 10, against 0.99 after a rebuild, which took
        1 s for 6,640 chunks). Queries on this knowledge base wait for the rebuild."""
        with self.conn.transaction():
            # The build is far faster while the graph fits in memory (pgvector's advice).
            self.conn.execute(f"SET LOCAL maintenance_work_mem = '{HNSW_BUILD_MEMORY}'")
            if self.has_index(kb):
                self.conn.execute(f"REINDEX INDEX chunk_hnsw_kb{int(kb.id)}")
            else:  # dropped for a large ingest, or that ingest was killed before building it again
                self.conn.execute(_index_sql(kb.id, kb.dim))

    def bump_revision(self, kb: KnowledgeBase) -> None:
        self.conn.execute("UPDATE kb SET revision = revision + 1 WHERE id = %s", (kb.id,))
        self.refresh_lexicon(kb)

    def refresh_lexicon(self, kb: KnowledgeBase) -> None:
        """Recount the knowledge base's document frequencies and size for BM25, giving terms
        first to any chunk stored before they existed (one pass, once). Two workers refreshing
        at once take turns; the second finds the work done."""
        kb_id = int(kb.id)
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(7423014, %s)", (kb_id,))
            row = self.conn.execute("SELECT revision, lexicon_revision FROM kb WHERE id = %s", (kb_id,)).fetchone()
            if row is None or row[0] == row[1]:
                return
            missing = self.conn.execute(
                "SELECT c.id, d.title, c.headings, c.text FROM chunk c JOIN document d ON d.id = c.document_id"
                " WHERE c.kb_id = %s AND c.terms IS NULL", (kb_id,)
            ).fetchall()
            if missing:
                with self.conn.cursor() as cur:
                    cur.executemany("UPDATE chunk SET terms = %s::tsvector, n_terms = %s WHERE id = %s",
                                    [(*chunk_terms(r[1], r[2], r[3]), r[0]) for r in missing])
            self.conn.execute(_terms_index_sql(kb_id))
            self.conn.execute("DELETE FROM kb_term WHERE kb_id = %s", (kb_id,))
            self.conn.execute(
                f"INSERT INTO kb_term (kb_id, term, df) SELECT {kb_id}, word, ndoc"
                f" FROM ts_stat('SELECT terms FROM chunk WHERE kb_id = {kb_id}')"
            )
            self.conn.execute(
                f"UPDATE kb SET lexicon_revision = revision, n_chunks = s.n, avg_terms = s.avg FROM"
                f" (SELECT count(*) AS n, coalesce(avg(n_terms), 0) AS avg FROM chunk WHERE kb_id = {kb_id}) s"
                f" WHERE kb.id = {kb_id}"
            )

    def document_frequencies(self, kb: KnowledgeBase, terms: list[str]) -> dict[str, int]:
        """How many chunks hold each of ``terms`` (terms no chunk holds are absent)."""
        if not terms:
            return {}
        rows = self.conn.execute("SELECT term, df FROM kb_term WHERE kb_id = %s AND term = ANY(%s)", (kb.id, terms))
        return {r[0]: int(r[1]) for r in rows}

    def lexical(
        self, kb: KnowledgeBase, idf: dict[str, float], k: int, k1: float, b: float, among: list[int] | None = None,
    ) -> list[tuple[int, float]]:
        """(chunk id, BM25 score) of the k best chunks (of ``among``, when given) for terms
        weighted by ``idf``, scored in SQL over the knowledge base's GIN index: only the chunks
        holding a term are read."""
        if not idf or k <= 0 or among == []:
            return []
        terms = list(idf)
        avg = max(kb.avg_terms, 1e-9)
        kb_id = int(kb.id)  # inlined, so the planner can use the knowledge base's partial index
        rows = self.conn.execute(
            "SELECT c.id, sum(q.idf * t.tf * %s / (t.tf + %s * (1 - %s + %s * c.n_terms / %s))) AS score"
            " FROM chunk c"
            " CROSS JOIN LATERAL (SELECT u.lexeme, cardinality(u.positions) AS tf FROM unnest(c.terms) u) t"
            " JOIN unnest(%s::text[], %s::float8[]) AS q(term, idf) ON q.term = t.lexeme"
            f" WHERE c.kb_id = {kb_id} AND c.terms @@ %s::tsquery" + (" AND c.id = ANY(%s)" if among else "") +
            " GROUP BY c.id ORDER BY score DESC, c.id LIMIT %s",
            (k1 + 1, k1, b, b, avg, terms, [idf[t] for t in terms], tsquery_any(terms), *([among] if among else []),
             k),
        ).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]

    # --- reading --------------------------------------------------------
    def chunks(self, kb: KnowledgeBase, with_vectors: bool = False) -> list[StoredChunk]:
        return self._read_chunks("c.kb_id = %s", (kb.id,), with_vectors)

    def page_chunks(self, kb: KnowledgeBase, chunk_ids: list[int]) -> list[StoredChunk]:
        """Every chunk, with its vectors, of the documents that hold any of ``chunk_ids``:
        what reranking needs to judge those passages and their pages, and nothing more."""
        if not chunk_ids:
            return []
        return self._read_chunks(
            "c.kb_id = %s AND c.document_id IN (SELECT document_id FROM chunk WHERE kb_id = %s AND id = ANY(%s))",
            (kb.id, kb.id, list(chunk_ids)), with_vectors=True,
        )

    def _read_chunks(self, where: str, params: tuple, with_vectors: bool) -> list[StoredChunk]:
        cols = ", c.embedding, c.unit_vectors" if with_vectors else ""
        # Binary results: vectors arrive as arrays, not text to parse (ten times faster per row).
        rows = self.conn.cursor(binary=True).execute(
            "SELECT c.id, d.source_id, d.title, d.url, c.anchor, c.headings, c.text, c.flags, c.link" + cols +
            f" FROM chunk c JOIN document d ON d.id = c.document_id WHERE {where} ORDER BY c.id",
            params,
        ).fetchall()
        return [
            StoredChunk(
                *r[:9],
                embedding=_as_array(r[9]) if with_vectors else None,
                unit_vectors=bytes(r[10]) if with_vectors and r[10] is not None else None,
            )
            for r in rows
        ]

    def nearest(self, kb: KnowledgeBase, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(chunk id, cosine similarity) of the k nearest chunks, via the kb's HNSW index."""
        ef = max(40, k)
        conn = self.conn
        if self._ef_search is None or self._ef_search[0] is not conn or self._ef_search[1] != ef:
            conn.execute(f"SET hnsw.ef_search = {int(ef)}")  # a session setting: once, not per query
            self._ef_search = (conn, ef)
        rows = conn.execute(
            f"SELECT id, 1 - (embedding::vector({kb.dim}) <=> %s::vector({kb.dim})) FROM chunk"
            f" WHERE kb_id = %s ORDER BY embedding::vector({kb.dim}) <=> %s::vector({kb.dim}) LIMIT %s",
            (vector, kb.id, vector, k),
        ).fetchall()
        return [(r[0], float(r[1])) for r in rows]
