"""Incident matcher: retrieval building blocks (embeddings, BM25, CAP alerts, geography).

Modules are imported on demand so that ``import matcher`` stays cheap:
``matcher.embed`` (dense vectors and their cache), ``matcher.lexical`` (jieba + BM25),
``matcher.cap`` (CAP 1.2 alerts), ``matcher.geo`` (distances).
"""
