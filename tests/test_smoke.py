import pytest


@pytest.mark.django_db
def test_home_is_persian_right_to_left(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="fa" dir="rtl">' in response.content
