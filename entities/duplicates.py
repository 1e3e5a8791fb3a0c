"""Near-duplicate articles: the same story told again, found with MinHash.

Each article's word 3-gram shingles (folded, so spelling variants agree)
get a MinHash signature (datasketch).  The signature is cut into bands; two
articles that share a band key are compared, and kept as near-duplicates
when the estimated share of the shorter one's shingles found in the other
(containment) reaches ``CONTAINMENT``.  Containment, not Jaccard, because a
story republished with more paragraphs (seed 001 holds almost all of seed
000) is still the same story.
"""

from __future__ import annotations

import hashlib
import struct

from datasketch import MinHash
from django.db import transaction
from django.db.models import Q

from articles.text import words

from .models import Band, Fingerprint, NearDuplicate

SHINGLE = 3
BANDS, ROWS = 42, 3  # 126 permutations; pairs with Jaccard >= 0.3 share a band with p >= 0.68
CONTAINMENT = 0.7
MIN_SHINGLES = 20  # shorter texts are not stories to compare


def shingles(text: str) -> set[str]:
    """Distinct word n-grams of the folded text."""
    tokens = words(text)
    return {" ".join(tokens[i:i + SHINGLE]) for i in range(max(0, len(tokens) - SHINGLE + 1))}


def signature(items: set[str]) -> list[int]:
    mh = MinHash(num_perm=BANDS * ROWS, seed=1)
    mh.update_batch([s.encode("utf-8") for s in items])
    return [int(v) for v in mh.hashvalues]


def band_keys(sig: list[int]) -> list[int]:
    keys = []
    for b in range(BANDS):
        digest = hashlib.blake2b(struct.pack(f">H{ROWS}Q", b, *sig[b * ROWS:(b + 1) * ROWS]), digest_size=8).digest()
        keys.append(struct.unpack(">q", digest)[0])
    return keys


def containment(sig_a: list[int], size_a: int, sig_b: list[int], size_b: int) -> float:
    """|A ∩ B| / min(|A|, |B|) estimated from the MinHash Jaccard."""
    jaccard = sum(x == y for x, y in zip(sig_a, sig_b, strict=True)) / len(sig_a)
    overlap = jaccard * (size_a + size_b) / (1 + jaccard)
    return min(1.0, overlap / max(1, min(size_a, size_b)))


@transaction.atomic
def update_duplicates(article) -> list[NearDuplicate]:
    """Recompute the article's fingerprint and its near-duplicate pairs."""
    from .linker import article_text

    NearDuplicate.objects.filter(Q(first=article) | Q(second=article)).delete()
    Band.objects.filter(article=article).delete()
    items = shingles(article_text(article))
    if len(items) < MIN_SHINGLES:
        Fingerprint.objects.filter(article=article).delete()
        return []
    sig = signature(items)
    Fingerprint.objects.update_or_create(article=article, defaults={"signature": sig, "size": len(items)})
    keys = band_keys(sig)
    Band.objects.bulk_create([Band(article=article, key=k) for k in keys])
    others = set(Band.objects.filter(key__in=keys).exclude(article=article).values_list("article_id", flat=True))
    pairs = []
    for other in Fingerprint.objects.filter(article_id__in=others):
        share = containment(sig, len(items), other.signature, other.size)
        if share >= CONTAINMENT:
            first, second = sorted((article.pk, other.article_id))
            pairs.append(NearDuplicate.objects.create(first_id=first, second_id=second, containment=share))
    return pairs


def near_duplicates_of(article):
    """Published articles telling the same story, most similar first."""
    from articles.models import Article

    pairs = NearDuplicate.objects.filter(Q(first=article) | Q(second=article)).order_by("-containment")
    ids = [p.second_id if p.first_id == article.pk else p.first_id for p in pairs]
    found = {a.pk: a for a in Article.objects.published().filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]
