"""Embedding functions for the incident memory that never download a model.

ChromaDB's default embedding fetches an ONNX model at run time; here there
is no network, so the memory always names its function: a scikit-learn
hashing embedding by default, or an OpenAI-compatible endpoint when one is
configured.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function
from sklearn.feature_extraction.text import HashingVectorizer

from opsgate.agent.llm.client import LLMClient

DIMENSIONS = 512


@register_embedding_function
class HashingEmbedding(EmbeddingFunction[Documents]):
    """Word and character n-grams hashed into a fixed, normalised vector."""

    def __init__(self, dimensions: int = DIMENSIONS) -> None:
        self.dimensions = dimensions
        self._words = HashingVectorizer(
            n_features=dimensions, ngram_range=(1, 2), alternate_sign=False, norm=None
        )
        self._chars = HashingVectorizer(
            n_features=dimensions,
            analyzer="char_wb",
            ngram_range=(3, 4),
            alternate_sign=False,
            norm=None,
        )

    def __call__(self, input: Documents) -> Embeddings:
        """Return one unit vector per document."""
        texts = [str(text) for text in input]
        dense = (self._words.transform(texts) + self._chars.transform(texts)).toarray()
        norms = np.linalg.norm(dense, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return [row.astype(np.float32) for row in dense / norms]

    @staticmethod
    def name() -> str:
        """Return the name ChromaDB stores with the collection."""
        return "opsgate-hashing"

    def get_config(self) -> dict[str, Any]:
        """Return the settings that rebuild this function."""
        return {"dimensions": self.dimensions}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashingEmbedding:
        """Rebuild the function from its stored settings."""
        return HashingEmbedding(int(config.get("dimensions", DIMENSIONS)))

    def default_space(self) -> Space:
        """Return the distance the memory uses."""
        return "cosine"


class EndpointEmbedding(EmbeddingFunction[Documents]):
    """Embeddings from the configured OpenAI-compatible endpoint (masked first)."""

    def __init__(self, client: LLMClient) -> None:
        self.client = client

    def __call__(self, input: Documents) -> Embeddings:
        """Return the endpoint's embeddings of the documents."""
        vectors = self.client.embed([str(text) for text in input])
        if vectors is None:
            raise RuntimeError("The embeddings endpoint gave no answer.")
        return [np.asarray(vector, dtype=np.float32) for vector in vectors]

    @staticmethod
    def name() -> str:
        """Return the name ChromaDB stores with the collection."""
        return "opsgate-endpoint"

    def get_config(self) -> dict[str, Any]:
        """Return nothing: the endpoint comes from settings, not the collection."""
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> EmbeddingFunction[Documents]:
        """Fall back to the offline function when rebuilt without settings."""
        return HashingEmbedding()

    def default_space(self) -> Space:
        """Return the distance the memory uses."""
        return "cosine"
