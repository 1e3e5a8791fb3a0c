"""Fixtures shared by the search tests."""

import pytest
from django.db import transaction

from tests.search.test_search import make


@pytest.fixture
def two_articles(transactional_db, clean_index):
    """A Persian and an Arabic article about Baku, indexed."""
    with transaction.atomic():
        return [make("سفر به باکو", "وزیر امور خارجه به باکو سفر کرد."),
                make("اجتماع في باكو", "عقد الاجتماع في العاصمة باكو أمس.", language="ar")]
