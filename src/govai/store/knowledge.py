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
from govai.retrieval.lexical import BM25_B, BM25_K1, TOP_POSTINGS, tokenize
from govai.retrieval.pages import is_legislation, page_text
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
    document_id: int | None = None
    terms: dict[str, int] | None = None  # term -> frequency (read with the vectors)
    n_terms: int | None = None
    page: StoredPage | None = None  # its document's stored profile (``candidate_chunks``), if it has one


@dataclass(frozen=True)
class StoredPage:
    """A document's page profile, computed at the knowledge base's last lexicon refresh
    (``retrieval/pages.py`` says what each feature is for)."""

    document_id: int
    n_chunks: int
    centroid: np.ndarray  # unit mean of its chunk vectors
    dispersion: float  # 1 - |mean of its chunk vectors|
    latest_year: int  # 0: names no year
    dated: bool
    legislation: bool


@dataclass(frozen=True)
class Postings:
    """A term's impact-ordered postings: the chunks it weighs most in (``weights``: tf/length part
    of BM25 at the last refresh), best first; ``floor`` bounds the weight in any chunk left out
    (0: the list is complete, every chunk holding the term is in it)."""

    ids: np.ndarray
    weights: np.ndarray
    floor: float
    df: int = 0  # chunks holding the term


@dataclass
class DocumentRows:
    """One document to write: its chunks, each chunk's (vector, packed unit vectors) and
    screening flags, and optionally its terms (``chunk_terms``), computed off the writer."""

    doc: Document
    chunks: list[Chunk]
    vectors: list[tuple[np.ndarray, bytes]]
    flags: list[list[str]]
    terms: list[tuple[str, int]] | None = None


def _vector_literal(vector: np.ndarray) -> str:
    """pgvector's text form: COPY parses it in the server, faster than adapting an array per row."""
    return "[" + ",".join(map(repr, np.asarray(vector, dtype=np.float32).tolist())) + "]"


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


PRUNE_MARGIN = 1e-4  # relative: stored weights are float4, the final scores float8
RESCORE_PER_RESULT = 5  # at most this many uncertain chunks per wanted result are scored by the database


def _bounds(idf: dict[str, float], lists: dict[str, Postings]
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """The chunks the lists hold; the lower and upper bounds of their scores; whether a bound is
    loose (a cut list does not hold the chunk); the most a chunk in no list can score."""
    terms = [t for t in idf if t in lists and len(lists[t].ids)]
    ids = np.unique(np.concatenate([lists[t].ids for t in terms])) if terms else np.zeros(0, dtype=np.int64)
    lower = np.zeros(len(ids))
    slack = np.zeros(len(ids))
    outside = 0.0
    for t in terms:
        p = lists[t]
        pos = np.searchsorted(ids, p.ids)
        lower[pos] += idf[t] * p.weights
        if p.floor > 0:
            listed = np.zeros(len(ids), dtype=bool)
            listed[pos] = True
            slack[~listed] += idf[t] * p.floor
            outside += idf[t] * p.floor
    return ids, lower, lower + slack, slack > 0, outside


def bounded_candidates(idf: dict[str, float], lists: dict[str, Postings], k: int) -> tuple[list[int], bool]:
    """The chunks that can be among the k best for ``idf`` (term -> idf), from the terms'
    impact-ordered postings, and whether that is certain.

    A chunk's listed weights give a lower bound of its score; adding, for each term whose list
    was cut short and does not hold it, idf x the list's floor gives an upper bound. A chunk whose
    upper bound is below the k-th best lower bound cannot make the top k and is dropped (MaxScore's
    argument). A chunk in no list at all scores at most the sum of the cut lists' idf x floor: when
    the k-th best score found reaches that, the result is the exact top k of the whole collection;
    otherwise it is the top k of the chunks the lists hold."""
    known, uncertain, exact = bounded_scores(idf, lists, k)
    return sorted([*known, *uncertain]), exact


def bounded_scores(idf: dict[str, float], lists: dict[str, Postings], k: int, rescore: int | None = None,
                   ) -> tuple[dict[int, float], list[int], bool]:
    """``bounded_candidates`` split in two: the surviving chunks whose score the lists give
    exactly (every term's weight is listed, or its list is complete and lacks the chunk), with
    that score, and those the database must score; and whether the result is certain.

    ``rescore`` caps the chunks left to the database: the ones with the best lower bounds. A long
    question of common words leaves thousands of chunks no bound can rule out (every cut list
    adds its floor to their upper bound); scoring them all would grow with the collection, so the
    result is then the top k of the best-bounded chunks, and not certain."""
    ids, lower, upper, loose, outside = _bounds(idf, lists)
    if len(ids) <= k:
        keep = np.ones(len(ids), dtype=bool)
        exact = outside == 0.0  # room for more: a chunk in no list could take it
    else:
        kth = float(np.partition(lower, len(lower) - k)[len(lower) - k]) * (1 - PRUNE_MARGIN)
        keep = upper >= kth
        exact = kth >= outside
    known = keep & ~loose
    uncertain = np.flatnonzero(keep & loose)
    if rescore is not None and len(uncertain) > rescore:
        uncertain = uncertain[np.argsort(-lower[uncertain], kind="stable")[:rescore]]
        exact = False
    return ({int(i): float(v) for i, v in zip(ids[known], lower[known], strict=True)},
            sorted(ids[uncertain].tolist()), bool(exact))


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
        so unchanged chunks are not re-embedded; a copy with sentence vectors (from an eager
        ingest, or written back by answering) is preferred to one left without (lazy)."""
        if not hashes:
            return {}
        rows = self.conn.execute(
            "SELECT DISTINCT ON (content_hash) content_hash, embedding, unit_vectors FROM chunk"
            " WHERE kb_id = %s AND content_hash = ANY(%s) AND embedding IS NOT NULL AND unit_vectors IS NOT NULL"
            " ORDER BY content_hash, octet_length(unit_vectors) DESC",
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
        self.save_documents(kb, [DocumentRows(doc, chunks, vectors, flags)])

    def save_documents(self, kb: KnowledgeBase, documents: list[DocumentRows]) -> None:
        """Replace each document and its chunks, all in one transaction, written with COPY.

        Idempotent: a document is keyed by its source id, and its old copy and chunks go in the
        same transaction, so writing the same batch twice leaves one copy. Raises
        ``UnstorableDocument`` (nothing of the batch written) when PostgreSQL refuses a value;
        the caller writes that batch's documents one by one to find which.
        """
        if not documents:
            return
        latest = {d.doc.source_id: d for d in documents}  # a source id twice in one batch: the later copy wins
        try:
            with self.conn.transaction():
                self.conn.execute("DELETE FROM document WHERE kb_id = %s AND source_id = ANY(%s)",
                                  (kb.id, list(latest)))
                with self.conn.cursor() as cur:
                    with cur.copy("COPY document (kb_id, source_id, origin, kind, title, url, content_hash, metadata)"
                                  " FROM STDIN") as copy:
                        for d in latest.values():
                            doc = d.doc
                            copy.write_row((kb.id, doc.source_id, doc.origin, doc.kind, doc.title, doc.url,
                                            doc.content_hash, Jsonb(doc.metadata)))
                    ids = dict(cur.execute("SELECT source_id, id FROM document WHERE kb_id = %s AND source_id = ANY(%s)",
                                           (kb.id, list(latest))).fetchall())
                    with cur.copy("COPY chunk (kb_id, document_id, ord, anchor, headings, text, content_hash,"
                                  " embedding, unit_vectors, flags, link, terms, n_terms) FROM STDIN") as copy:
                        for d in latest.values():
                            doc_id, title = ids[d.doc.source_id], d.doc.title
                            for i, c in enumerate(d.chunks):
                                terms = d.terms[i] if d.terms is not None else chunk_terms(title, c.headings, c.text)
                                copy.write_row((kb.id, doc_id, c.ord, c.anchor, c.headings, c.text,
                                                c.content_hash(title), _vector_literal(d.vectors[i][0]),
                                                d.vectors[i][1], d.flags[i], c.link, *terms))
        except psycopg.errors.DiskFull as exc:
            names = ", ".join(list(latest)[:3]) + (" …" if len(latest) > 3 else "")
            raise StoreError(f"the database disk is full while saving {names}; nothing of them was changed") from exc
        except psycopg.DataError as exc:  # text PostgreSQL cannot hold; the stored copies are untouched
            reason = exc.diag.message_primary or str(exc)
            names = ", ".join(latest) if len(latest) <= 3 else f"{len(latest)} documents"
            raise UnstorableDocument(f"cannot store {names} ({reason}); its stored copy is unchanged") from exc

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
            n, avg = self.conn.execute(
                "SELECT count(*), coalesce(avg(n_terms), 0)::float8 FROM chunk WHERE kb_id = %s", (kb_id,)).fetchone()
            self._refresh_postings(kb_id, float(avg))
            self._refresh_pages(kb_id)
            self.conn.execute("UPDATE kb SET lexicon_revision = revision, n_chunks = %s, avg_terms = %s WHERE id = %s",
                              (n, avg, kb_id))

    def _refresh_postings(self, kb_id: int, avg: float) -> None:
        """Each term's document frequency and impact-ordered postings (``Postings``), from every
        chunk's terms in one sorted pass."""
        self.conn.execute("SET LOCAL work_mem = '256MB'")
        self.conn.execute("DELETE FROM kb_term WHERE kb_id = %s", (kb_id,))
        m = int(TOP_POSTINGS)
        self.conn.execute(
            f"INSERT INTO kb_term (kb_id, term, df, top_ids, top_weights, floor)"
            f" SELECT {kb_id}, term, df, ids, ws, CASE WHEN df > {m} THEN ws[{m}] ELSE 0 END FROM ("
            f"  SELECT term, count(*)::int AS df, (array_agg(id ORDER BY w DESC, id))[1:{m}] AS ids,"
            f"   (array_agg(w ORDER BY w DESC, id))[1:{m}] AS ws FROM ("
            f"    SELECT c.id, u.lexeme AS term, (u.tf * %s / (u.tf + %s * (1 - %s + %s * c.n_terms / %s)))::real AS w"
            f"    FROM chunk c CROSS JOIN LATERAL"
            f"     (SELECT lexeme, cardinality(positions) AS tf FROM unnest(c.terms)) u WHERE c.kb_id = {kb_id}"
            f"  ) p GROUP BY term) g",
            (BM25_K1 + 1, BM25_K1, BM25_B, BM25_B, max(avg, 1e-9)),
        )

    def _refresh_pages(self, kb_id: int) -> None:
        """The page profile (``StoredPage``) of every document that has none: stored since the last
        refresh, or changed (a trigger clears the profile of a document whose chunks change)."""
        docs = self.conn.execute("SELECT id, source_id FROM document WHERE kb_id = %s AND n_chunks IS NULL",
                                 (kb_id,)).fetchall()
        if not docs:
            return
        text: dict[int, tuple[int, bool]] = {}
        with self.conn.cursor(name=f"govai_pages_{kb_id}") as cur:
            cur.itersize = 5000
            cur.execute("SELECT d.id, d.title, c.text FROM document d JOIN chunk c ON c.document_id = d.id"
                        " WHERE d.kb_id = %s AND d.n_chunks IS NULL ORDER BY d.id", (kb_id,))
            current, title, texts = None, "", []
            for doc_id, doc_title, chunk_text in cur:
                if doc_id != current:
                    if current is not None:
                        text[current] = page_text(title, texts)
                    current, title, texts = doc_id, doc_title, []
                texts.append(chunk_text)
            if current is not None:
                text[current] = page_text(title, texts)
        ids = [d[0] for d in docs]
        self.conn.execute(
            "UPDATE document d SET n_chunks = coalesce(s.n, 0), centroid = l2_normalize(s.m),"
            " dispersion = greatest(0, least(1, 1 - vector_norm(s.m))), latest_year = u.y, dated = u.dated,"
            " legislation = u.leg"
            " FROM unnest(%s::bigint[], %s::int[], %s::bool[], %s::bool[]) AS u(id, y, dated, leg)"
            " LEFT JOIN (SELECT document_id, count(*) AS n, avg(embedding) AS m FROM chunk"
            "  WHERE kb_id = %s AND document_id IN (SELECT id FROM document WHERE kb_id = %s AND n_chunks IS NULL)"
            "  GROUP BY document_id) s ON s.document_id = u.id"
            " WHERE d.id = u.id",
            (ids, [text.get(i, (0, False))[0] for i in ids], [text.get(i, (0, False))[1] for i in ids],
             [is_legislation(d[1]) for d in docs], kb_id, kb_id),
        )

    def document_frequencies(self, kb: KnowledgeBase, terms: list[str]) -> dict[str, int]:
        """How many chunks hold each of ``terms`` (terms no chunk holds are absent)."""
        if not terms:
            return {}
        rows = self.conn.execute("SELECT term, df FROM kb_term WHERE kb_id = %s AND term = ANY(%s)", (kb.id, terms))
        return {r[0]: int(r[1]) for r in rows}

    def postings(self, kb: KnowledgeBase, terms: list[str]) -> dict[str, Postings] | None:
        """The impact-ordered postings of ``terms`` (terms no chunk holds are absent); None when the
        lexicon was refreshed without them (by a node from before migration 0013)."""
        if not terms:
            return {}
        rows = self.conn.cursor(binary=True).execute(
            "SELECT term, top_ids, top_weights, floor, df FROM kb_term WHERE kb_id = %s AND term = ANY(%s)",
            (kb.id, terms)).fetchall()
        if any(r[1] is None for r in rows):
            return None
        return {r[0]: Postings(np.asarray(r[1], dtype=np.int64), np.asarray(r[2], dtype=np.float64), float(r[3]),
                               int(r[4])) for r in rows}

    def lexical(
        self, kb: KnowledgeBase, idf: dict[str, float], k: int, k1: float, b: float, among: list[int] | None = None,
        lists: dict[str, Postings] | None = None,
    ) -> list[tuple[int, float]]:
        """(chunk id, BM25 score) of the k best chunks (of ``among``, when given) for terms
        weighted by ``idf``. Without ``among``, the candidates come from each term's
        impact-ordered postings (``bounded_candidates``), so a common term costs no more than a
        rare one; they are then scored exactly, in SQL, with the collection's statistics.
        ``lists``: the terms' postings when the caller has read them."""
        self.last_lexical_exact = True
        if not idf or k <= 0 or among == []:
            return []
        if among is None:
            if lists is None or any(t not in lists for t in idf):
                lists = self.postings(kb, list(idf))
            if lists is None:
                return self._lexical_scan(kb, idf, k, k1, b)
            known, uncertain, exact = bounded_scores(idf, lists, k, RESCORE_PER_RESULT * k)
            scored = list(known.items())
            if uncertain:
                scored += self.lexical(kb, idf, k, k1, b, among=uncertain)
            scored.sort(key=lambda x: (-x[1], x[0]))
            self.last_lexical_exact = exact
            return scored[:k]
        return self._bm25(kb, idf, k, k1, b, "c.id = ANY(%s)", list(among))

    def _lexical_scan(self, kb: KnowledgeBase, idf: dict[str, float], k: int, k1: float, b: float,
                      ) -> list[tuple[int, float]]:
        """Every chunk holding a query term scored, through the GIN index: exact, but its cost
        grows with the collection (the path of a lexicon without postings lists)."""
        return self._bm25(kb, idf, k, k1, b, "c.terms @@ %s::tsquery", tsquery_any(list(idf)))

    def _bm25(self, kb: KnowledgeBase, idf: dict[str, float], k: int, k1: float, b: float,
              where: str, where_value: object) -> list[tuple[int, float]]:
        """The k best chunks matching ``where`` (one placeholder, ``where_value``) by BM25, in SQL."""
        terms = list(idf)
        avg = max(kb.avg_terms, 1e-9)
        kb_id = int(kb.id)  # inlined, so the planner can use the knowledge base's partial indexes
        rows = self.conn.execute(
            "SELECT c.id, sum(q.idf * t.tf * %s / (t.tf + %s * (1 - %s + %s * c.n_terms / %s))) AS score"
            " FROM chunk c"
            " CROSS JOIN LATERAL (SELECT u.lexeme, cardinality(u.positions) AS tf FROM unnest(c.terms) u) t"
            " JOIN unnest(%s::text[], %s::float8[]) AS q(term, idf) ON q.term = t.lexeme"
            f" WHERE c.kb_id = {kb_id} AND {where}"
            " GROUP BY c.id ORDER BY score DESC, c.id LIMIT %s",
            (k1 + 1, k1, b, b, avg, terms, [idf[t] for t in terms], where_value, k),
        ).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]

    # --- reading --------------------------------------------------------
    def chunks(self, kb: KnowledgeBase, with_vectors: bool = False) -> list[StoredChunk]:
        return self._read_chunks("c.kb_id = %s", (kb.id,), with_vectors)

    def flagged_chunks(self, kb: KnowledgeBase) -> list[StoredChunk]:
        """Chunks the source screen flagged at ingest (``Source.flags``), in order."""
        return self._read_chunks("c.kb_id = %s AND cardinality(c.flags) > 0", (kb.id,), False)

    def page_chunks(self, kb: KnowledgeBase, chunk_ids: list[int]) -> list[StoredChunk]:
        """Every chunk, with its vectors, of the documents that hold any of ``chunk_ids``:
        what reranking needs to judge those passages and their pages, and nothing more."""
        if not chunk_ids:
            return []
        return self._read_chunks(
            "c.kb_id = %s AND c.document_id IN (SELECT document_id FROM chunk WHERE kb_id = %s AND id = ANY(%s))",
            (kb.id, kb.id, list(chunk_ids)), with_vectors=True,
        )

    def candidate_chunks(self, kb: KnowledgeBase, chunk_ids: list[int]) -> list[StoredChunk]:
        """The chunks ``chunk_ids``, with their vectors: what reranking reads of one question's
        candidates (their pages come as stored profiles, ``pages``)."""
        if not chunk_ids:
            return []
        return self._read_chunks(f"c.kb_id = {int(kb.id)} AND c.id = ANY(%s)", (list(chunk_ids),), with_vectors=True,
                                 with_pages=True)

    def keep_unit_vectors(self, kb: KnowledgeBase, rows: list[tuple[int, bytes]]) -> int:
        """Write sentence vectors (chunk id, packed) that answering embedded for chunks stored
        without them (``--unit-vectors lazy``); returns the rows written. Only rows still without
        them are written, and rows another transaction holds are skipped, never waited for:
        workers racing over one chunk write it once, and a chunk being replaced by an ingest
        keeps what the ingest writes (its replacement has a new id)."""
        if not rows:
            return 0
        ids = [cid for cid, _ in rows]
        kb_id = int(kb.id)
        with self.conn.transaction():
            cur = self.conn.execute(
                "UPDATE chunk c SET unit_vectors = v.units FROM unnest(%s::bigint[], %s::bytea[]) AS v(id, units)"
                f" WHERE c.id = v.id AND c.id IN (SELECT id FROM chunk WHERE kb_id = {kb_id} AND id = ANY(%s)"
                " AND coalesce(octet_length(unit_vectors), 0) = 0 FOR UPDATE SKIP LOCKED)"
                " AND coalesce(octet_length(c.unit_vectors), 0) = 0",
                (ids, [units for _, units in rows], ids),
            )
            return cur.rowcount

    def document_chunks(self, kb: KnowledgeBase, document_ids: list[int]) -> list[StoredChunk]:
        """Every chunk, with its vectors, of the documents ``document_ids``."""
        if not document_ids:
            return []
        return self._read_chunks(f"c.kb_id = {int(kb.id)} AND c.document_id = ANY(%s)", (list(document_ids),),
                                 with_vectors=True)

    def pages(self, kb: KnowledgeBase, document_ids: list[int]) -> dict[int, StoredPage]:
        """The stored page profiles of ``document_ids`` (a document without one yet is absent)."""
        if not document_ids:
            return {}
        rows = self.conn.cursor(binary=True).execute(
            "SELECT id, n_chunks, centroid, dispersion, latest_year, dated, legislation FROM document"
            f" WHERE kb_id = {int(kb.id)} AND id = ANY(%s) AND n_chunks IS NOT NULL", (list(document_ids),),
        ).fetchall()
        return {
            int(r[0]): StoredPage(int(r[0]), int(r[1]),
                                  _as_array(r[2]) if r[2] is not None else np.zeros(kb.dim, dtype=np.float32),
                                  float(r[3] or 0.0), int(r[4] or 0), bool(r[5]), bool(r[6]))
            for r in rows
        }

    def _read_chunks(self, where: str, params: tuple, with_vectors: bool, with_pages: bool = False,
                     ) -> list[StoredChunk]:
        """Chunks with their document's fields; ``with_vectors`` adds vectors and terms (what an
        index needs), ``with_pages`` the document's stored page profile."""
        cols = ", c.embedding, c.unit_vectors, t.lexemes, t.tfs, c.n_terms" if with_vectors else ""
        if with_pages:
            cols += ", d.n_chunks, d.centroid, d.dispersion, d.latest_year, d.dated, d.legislation"
        terms = (" LEFT JOIN LATERAL (SELECT array_agg(u.lexeme) AS lexemes, array_agg(cardinality(u.positions))"
                 " AS tfs FROM unnest(c.terms) u) t ON true") if with_vectors else ""
        # Binary results: vectors arrive as arrays, not text to parse (ten times faster per row).
        rows = self.conn.cursor(binary=True).execute(
            "SELECT c.id, d.source_id, d.title, d.url, c.anchor, c.headings, c.text, c.flags, c.link, c.document_id"
            + cols + f" FROM chunk c JOIN document d ON d.id = c.document_id{terms} WHERE {where} ORDER BY c.id",
            params,
        ).fetchall()
        out = []
        for r in rows:
            chunk = StoredChunk(*r[:9], document_id=int(r[9]))
            if with_vectors:
                chunk.embedding = _as_array(r[10])
                chunk.unit_vectors = bytes(r[11]) if r[11] is not None else None
                chunk.terms = dict(zip(r[12], r[13], strict=True)) if r[12] is not None else {}
                chunk.n_terms = int(r[14]) if r[14] is not None else None
            if with_pages and r[-6] is not None:
                p = r[-6:]
                chunk.page = StoredPage(chunk.document_id, int(p[0]), _as_array(p[1]) if p[1] is not None else
                                        np.zeros(len(chunk.embedding) if chunk.embedding is not None else 0, np.float32),
                                        float(p[2] or 0.0), int(p[3] or 0), bool(p[4]), bool(p[5]))
            out.append(chunk)
        return out

    def nearest(self, kb: KnowledgeBase, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(chunk id, cosine similarity) of the k nearest chunks, via the kb's HNSW index."""
        ef = max(40, k)
        conn = self.conn
        if self._ef_search is None or self._ef_search[0] is not conn or self._ef_search[1] != ef:
            conn.execute(f"SET hnsw.ef_search = {int(ef)}")  # a session setting: once, not per query
            self._ef_search = (conn, ef)
        # The knowledge base is inlined: a prepared statement's generic plan could not match the
        # partial HNSW index to a parameter, and would scan every row instead.
        dim, kb_id = int(kb.dim), int(kb.id)
        rows = conn.execute(
            f"SELECT id, 1 - (embedding::vector({dim}) <=> %s::vector({dim})) FROM chunk"
            f" WHERE kb_id = {kb_id} ORDER BY embedding::vector({dim}) <=> %s::vector({dim}) LIMIT %s",
            (vector, vector, k),
        ).fetchall()
        return [(r[0], float(r[1])) for r in rows]
