"""Admin sign-in is throttled (django-axes): too many wrong passwords lock the account from that address."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

LOGIN = "/admin/login/"
PASSWORD = "a-long-editor-password"


@pytest.fixture
def editor(db):
    return User.objects.create_user("sara", password=PASSWORD, is_staff=True)


def sign_in(client, password, **headers):
    return client.post(LOGIN, {"username": "sara", "password": password, "next": "/admin/"}, **headers)


def signed_in(client):
    return client.get("/admin/").status_code == 200


def fail(client, times, **headers):
    for _ in range(times):
        response = sign_in(client, "wrong-password", **headers)
        assert response.status_code == 200  # the form again, with its error
        assert not signed_in(client)


def lock(client):
    """Wrong passwords up to the limit: the last one is answered with the lockout."""
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "wrong-password").status_code == 429


def test_wrong_passwords_lock_the_account_even_for_the_right_one(editor):
    client = Client(HTTP_ACCEPT_LANGUAGE="fa")
    lock(client)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "ورودهای ناموفق بیش از اندازه" in page
    assert "پس از ۱۵ دقیقه" in page  # the default 15 minutes, in Persian digits
    assert 'lang="fa"' in page and 'dir="rtl"' in page
    assert not signed_in(client)


def test_the_lockout_page_is_arabic_in_the_arabic_interface(editor):
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    lock(client)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "محاولات دخول فاشلة كثيرة" in page and "١٥" in page and 'lang="ar"' in page


def test_the_lock_holds_for_that_address_only(editor):
    lock(Client(REMOTE_ADDR="203.0.113.7"))
    assert sign_in(Client(REMOTE_ADDR="203.0.113.7"), PASSWORD).status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.2")
    assert sign_in(elsewhere, PASSWORD).status_code == 302
    assert signed_in(elsewhere)


def test_a_successful_sign_in_clears_the_count(editor):
    client = Client()
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, PASSWORD).status_code == 302
