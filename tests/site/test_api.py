"""``GET /api/articles/<id>/``: the stable JSON shape other issues build on."""

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.conftest import SEEDS

API_KEYS = {
    "id", "url", "title", "lead", "body", "language", "published", "source", "via", "source_file", "external_id",
    "people", "events", "near_duplicates",
}


@pytest.fixture
def seeds(db):
    call_command("import_articles", str(SEEDS), stdout=open("/dev/null", "w"))
    return {a.source_file[:3]: a for a in Article.objects.all()}


def get(client, article_id):
    response = client.get(f"/api/articles/{article_id}/")
    assert response["Content-Type"].startswith("application/json")
    return response


def test_api_shape_of_a_persian_article(client, seeds):
    article = seeds["003"]
    response = get(client, article.pk)

    assert response.status_code == 200
    data = response.json()
    assert set(data) == API_KEYS
    assert data["id"] == article.pk
    assert data["url"] == "http://testserver" + article.get_absolute_url()
    assert data["title"] == "سرگئی لاوروف وزیر امور خارجه روسیه در گفت و گوی تلفنی با آرارات میرزویان همتای ارمنی خود"
    assert data["lead"] == article.lead
    assert data["body"].startswith("به گزارش مشرق، وزارت امور خارجه روسیه")
    assert data["language"] == "fa"
    assert data["published"] == "2021-11-01T20:26:00+00:00"
    assert (data["source"], data["via"]) == ("مشرق", "ایرنا")
    assert data["source_file"] == "003_840ad37251b4b345.txt"
    assert data["external_id"] == "1293642"
    for key in ("people", "events", "near_duplicates"):
        assert isinstance(data[key], list)
    # Persian is sent as text, not as \\u escapes
    assert "لاوروف".encode() in response.content


def test_api_nulls_for_what_the_source_did_not_give(client, seeds):
    data = get(client, seeds["000"].pk).json()
    assert data["published"] is None
    assert data["external_id"] is None
    assert (data["source"], data["via"]) == ("آران نیوز", "ترند")
    data = get(client, seeds["002"].pk).json()
    assert (data["language"], data["source"], data["via"]) == ("ar", None, "أذرنيوز")
    assert data["published"] == "2023-09-23T12:05:00+00:00"


def test_api_feed_article_keeps_the_feed_id(client, db, tmp_path):
    (tmp_path / "feed.jsonl").write_text(
        '{"id": "trend-42", "title": "دیدار وزیران", "body": "وزیران خارجه دیدار کردند.", "language": "fa"}\n', encoding="utf-8"
    )
    call_command("import_articles", str(tmp_path), stdout=open("/dev/null", "w"))
    data = get(client, Article.objects.get().pk).json()
    assert data["external_id"] == "trend-42"
    assert data["source_file"] == "feed.jsonl:1"


@pytest.mark.parametrize("article_id", ["999999", "0", "99999999999999999999999999"])
def test_api_unknown_id_is_a_json_404(client, seeds, article_id):
    response = get(client, article_id)
    assert response.status_code == 404
    assert response.json() == {"error": "not found"}


def test_api_non_numeric_id_is_a_json_404(client, db):
    response = client.get("/api/articles/abc/")
    assert response.status_code == 404
    assert response.json() == {"error": "not found"}


def test_api_hides_drafts(client, db):
    draft = Article.objects.create(title="پیش‌نویس", body="متن", language="fa")
    assert get(client, draft.pk).status_code == 404
