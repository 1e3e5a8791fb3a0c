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
from collections import defaultdict

from datasketch import MinHash
from django.db import connection, transaction
from django.db.models import Q

from .models import Article, Band, Fingerprint, NearDuplicate, article_text
from .pipeline import in_parts
from .text import words
from .turns import take_turn

SHINGLE = 3
BANDS, ROWS = 42, 3  # 126 permutations; pairs with Jaccard >= 0.3 share a band with p >= 0.68
CONTAINMENT = 0.7
MIN_SHINGLES = 20  # shorter texts are not stories to compare
# Drawing the 126 permutations takes longer than hashing an article's
# shingles; every signature starts from a copy of this empty one.
_EMPTY = MinHash(num_perm=BANDS * ROWS, seed=1)


def shingles(text: str, text_words: list[str] | None = None) -> set[str]:
    """Distinct word n-grams of the folded text (``text_words``: its ``words``, if known)."""
    tokens = text_words if text_words is not None else words(text)
    return {" ".join(tokens[i:i + SHINGLE]) for i in range(max(0, len(tokens) - SHINGLE + 1))}


def signature(items: set[str]) -> list[int]:
    """The MinHash signature of a set of shingles."""
    mh = _EMPTY.copy()
    mh.update_batch([s.encode("utf-8") for s in items])
    return mh.hashvalues.tolist()


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


def update_duplicates(article) -> None:
    """Recompute the article's fingerprint and its near-duplicate pairs."""
    update_duplicates_many([article])


@transaction.atomic
def update_duplicates_many(articles, text_words: dict[int, list[str]] | None = None) -> None:
    """Recompute the articles' fingerprints and their near-duplicate pairs, with
    each other and with every article already fingerprinted, in a few queries.

    ``text_words`` maps article ids to the folded words of their text when
    the caller has them.  An article whose fingerprint is unchanged keeps its
    pairs: they depend on nothing else (an edit of the other article
    recomputes them from that side).
    """
    take_turn()
    text_words = text_words or {}
    pks = [a.pk for a in articles]
    stored = {pk: (sig, size) for pk, sig, size in Fingerprint.objects.filter(article_id__in=pks).values_list("article_id", "signature", "size")}
    fresh = {}
    for article in articles:
        items = shingles(article_text(article), text_words.get(article.pk))
        if len(items) >= MIN_SHINGLES:
            fresh[article.pk] = (signature(items), len(items))
    changed = [pk for pk in pks if fresh.get(pk) != stored.get(pk)]
    if not changed:
        return
    NearDuplicate.objects.filter(Q(first_id__in=changed) | Q(second_id__in=changed)).delete()
    Fingerprint.objects.filter(article_id__in=changed).delete()
    new = {pk: fresh[pk] for pk in changed if pk in fresh}
    keys = {pk: band_keys(sig) for pk, (sig, _) in new.items()}
    Fingerprint.objects.bulk_create([Fingerprint(article_id=pk, signature=sig, size=size) for pk, (sig, size) in new.items()])
    _replace_bands(changed, keys)
    if not new:
        return
    # One query finds every article sharing a band with a new fingerprint,
    # in this batch or before it.
    sharing = defaultdict(set)
    same_band = Band.objects.filter(key__in=Band.objects.filter(article_id__in=list(new)).values("key"))
    for key, pk in same_band.values_list("key", "article_id"):
        sharing[key].add(pk)
    candidates = {tuple(sorted((pk, other))) for pk, ks in keys.items() for key in ks for other in sharing[key] if other != pk}
    prints = dict(new)
    others = {pk for pair in candidates for pk in pair} - prints.keys()
    prints.update((f.article_id, (f.signature, f.size)) for f in Fingerprint.objects.filter(article_id__in=others))
    pairs = []
    for first, second in sorted(candidates):
        share = containment(*prints[first], *prints[second])
        if share >= CONTAINMENT:
            pairs.append(NearDuplicate(first_id=first, second_id=second, containment=share))
    NearDuplicate.objects.bulk_create(pairs)


def _replace_bands(pks: list[int], keys: dict[int, list[int]]) -> None:
    """Drop the articles' band rows and write ``keys`` instead, as plain SQL.

    Each article has BANDS rows: built as model instances (and deleted
    through Django's collector, which fetches every row to send signals),
    they cost several times what the database spends on them.
    """
    table = connection.ops.quote_name(Band._meta.db_table)
    article, key = (connection.ops.quote_name(Band._meta.get_field(f).column) for f in ("article", "key"))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {article} IN ({', '.join(['%s'] * len(pks))})", pks)
        if keys:
            cursor.executemany(f"INSERT INTO {table} ({article}, {key}) VALUES (%s, %s)",
                               [(pk, k) for pk, ks in keys.items() for k in ks])


def near_duplicates_of(article):
    """Published articles telling the same story, most similar first."""
    pairs = NearDuplicate.objects.filter(Q(first=article) | Q(second=article)).order_by("-containment")
    ids = [p.second_id if p.first_id == article.pk else p.first_id for p in pairs]
    found = {a.pk: a for a in Article.objects.published().filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def deduplicate(batch) -> None:
    """Recompute the near-duplicate pairs of a committed batch (the pipeline's step ``deduplicate``); never raises."""
    in_parts(batch, lambda part: update_duplicates_many(
        part.articles, {pk: [t.text for t in ts] for pk, ts in part.tokens.items()}), "finding near-duplicates of")
