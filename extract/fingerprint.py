"""Fingerprints of article bodies, to find syndicated copies: exact (hash) and near (MinHash).

Example::

    >>> a = "Telegram a supprimé des centaines de canaux accusés de diffuser des appels à la violence, selon la messagerie."
    >>> content_hash(a) == content_hash("  " + a.upper())
    True
    >>> similarity(minhash(a), minhash(a.replace("centaines", "dizaines"))) > 0.4
    True
    >>> similarity(minhash(a), minhash("Un tout autre texte, sans rapport aucun avec le premier article.")) < 0.1
    True
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

WORD = re.compile(r"\w+")
SHINGLE = 3
PERMUTATIONS = 128
ROWS_PER_BAND = 4  # 32 bands: pairs above ~0.5 Jaccard similarity almost always share a band
# Estimated Jaccard similarity of 3-word shingles above which two bodies are one story (a wire
# copy with a changed title, a reworded sentence or an added paragraph scores ~0.7-0.9;
# different articles on the same subject score under 0.1).
NEAR_SIMILARITY = 0.5
_PRIME = np.uint64(4294967291)  # largest prime under 2**32: products of 32-bit values fit in uint64
_rng = np.random.default_rng(20210111)
_A = _rng.integers(1, 2**32 - 5, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 2**32 - 5, PERMUTATIONS, dtype=np.uint64)


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def content_hash(text: str) -> str:
    """Hash of the words of a text, blind to case, spacing and punctuation."""
    return hashlib.sha1(" ".join(words(text)).encode()).hexdigest()


def minhash(text: str) -> bytes:
    """MinHash signature (128 × 32 bits) of the text's 3-word shingles."""
    tokens = words(text)
    shingles = {" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))}
    hashes = np.array(
        [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "big") for s in shingles], dtype=np.uint64
    )
    signature = ((_A[:, None] * hashes[None, :] + _B[:, None]) % _PRIME).min(axis=1)
    return signature.astype(np.uint32).tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal positions)."""
    return float(np.mean(np.frombuffer(a, dtype=np.uint32) == np.frombuffer(b, dtype=np.uint32)))


def bands(signature: bytes) -> list[bytes]:
    """Keys of the signature's bands; near-duplicates share at least one (locality-sensitive hashing)."""
    width = ROWS_PER_BAND * 4
    return [bytes([i]) + signature[i * width : (i + 1) * width] for i in range(len(signature) // width)]
