"""Linkers take turns: one transaction at a time links articles and finds their duplicates."""

from django.db import connection

# A transaction-level advisory lock on PostgreSQL: linkers take turns (``take_turn``).
LINKING_LOCK = 0x6E705F6C696E6B  # "np_link"


def take_turn() -> None:
    """Wait for this transaction's turn to link articles and find their duplicates.

    Linking reads what is stored (links, fingerprints, the other articles'
    bands) and replaces it.  Two processes doing that at once would each
    miss the other's uncommitted rows: they would insert the same
    fingerprint or pair (an IntegrityError on PostgreSQL), write an
    article's bands twice, or miss a pair of two new articles.  So they take
    turns, until the transaction ends: on PostgreSQL with an advisory lock,
    on SQLite by its transactions, which begin with the write lock
    (``BEGIN IMMEDIATE``, see settings).  Call it inside ``transaction.atomic``.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LINKING_LOCK])
