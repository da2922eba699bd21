"""Hybrid retrieval: BM25 + pgvector HNSW, rank fusion, reranking, per-source dedup."""
