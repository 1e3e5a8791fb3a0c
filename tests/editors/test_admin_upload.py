"""Uploading agency files, feeds and zip archives in the admin."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from editors import uploads
from tests.editors.test_admin import desk, editor  # noqa: F401  (fixtures)

UPLOAD_URL = "/admin/articles/article/upload/"
SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_57f08464a6d64d87.txt"


def zipped(members, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(desk, *files, language="en"):  # noqa: F811
    # The reasons are in the editor's language; these tests read the English ones.
    response = desk.post(UPLOAD_URL, {"files": [SimpleUploadedFile(name, data) for name, data in files]},
                         HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return {f.name: f for f in response.context["report"].files}, response.content.decode()


def test_the_upload_page_is_linked_from_the_article_list(desk):  # noqa: F811
    assert UPLOAD_URL in desk.get("/admin/articles/article/").content.decode()
    page = desk.get(UPLOAD_URL)
    assert page.status_code == 200
    assert b'accept=".txt,.jsonl,.zip"' in page.content


def test_a_zip_with_a_good_and_a_broken_file_reports_both(desk, editor):  # noqa: F811
    archive = zipped({"news/آبان/000.txt": SEED.read_bytes(), "news/broken.txt": b"\x00\x01\x02binary\x00" * 40})
    report, page = upload(desk, ("agency.zip", archive))
    good, broken = report["agency.zip/news/آبان/000.txt"], report["agency.zip/news/broken.txt"]
    assert good.counts["created"] == 1
    assert broken.counts["rejected"] == 1
    assert "binary" in broken.messages[0]
    assert "binary" in page and "agency.zip/news/آبان/000.txt" in page
    article = Article.objects.get()
    assert article.title == "دیدار وزیر امور خارجه جمهوری آذربایجان از پرو"
    assert article.source_file == "news/آبان/000.txt"  # its path in the archive, as import_articles keys files in folders
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert (entry.user, entry.action_flag) == (editor, ADDITION)


def test_uploading_the_same_file_again_changes_nothing(desk):  # noqa: F811
    upload(desk, ("000.txt", SEED.read_bytes()))
    report, _ = upload(desk, ("000.txt", SEED.read_bytes()))
    assert report["000.txt"].counts["unchanged"] == 1
    assert Article.objects.count() == 1


def test_a_feed_reports_each_line(desk):  # noqa: F811
    lines = [
        json.dumps({"id": "a1", "title": "قمة الرياض", "body": "قال وزير الخارجية إن القمة ناجحة.", "source": "واس"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "a2", "title": "بلا نص"}, ensure_ascii=False),
    ]
    report, page = upload(desk, ("feed.jsonl", "\n".join(lines).encode()))
    assert report["feed.jsonl"].counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 2}
    assert "line 2: invalid JSON" in page and "line 3: missing body" in page
    assert Article.objects.get().language == "ar"


@pytest.mark.parametrize("name", ["../../etc/evil.txt", "/abs/evil.txt", "C:/evil.txt", "a/../../evil.txt"])
def test_unsafe_paths_in_a_zip_are_refused(desk, name):  # noqa: F811
    report, _ = upload(desk, ("evil.zip", zipped({name: SEED.read_bytes()})))
    [only] = report.values()
    assert only.counts["rejected"] == 1 and "unsafe path" in only.messages[0]
    assert not Article.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_inflated(desk):  # noqa: F811
    bomb = zipped({"bomb.txt": b"0" * (30 * 1024 * 1024)})
    assert len(bomb) < 100_000
    report, _ = upload(desk, ("bomb.zip", bomb))
    assert report["bomb.zip/bomb.txt"].counts["rejected"] == 1
    assert not Article.objects.exists()


def test_a_lying_declared_size_is_caught(desk):  # noqa: F811
    data = bytearray(zipped({"000.txt": SEED.read_bytes()}, compression=zipfile.ZIP_STORED))
    # shrink the declared size in both headers: the member holds more than it says
    real = len(SEED.read_bytes())
    data = bytes(data).replace(real.to_bytes(4, "little"), (real // 2).to_bytes(4, "little"))
    report, _ = upload(desk, ("liar.zip", data))
    [only] = report.values()
    assert only.counts["rejected"] == 1
    assert not Article.objects.exists()


def test_too_many_members_and_too_much_data_are_refused(desk, monkeypatch):  # noqa: F811
    monkeypatch.setattr(uploads, "ZIP_MAX_MEMBERS", 3)
    report, _ = upload(desk, ("many.zip", zipped({f"{i}.txt": b"x" for i in range(4)})))
    assert "too many files" in report["many.zip"].messages[0]
    monkeypatch.setattr(uploads, "ZIP_MAX_TOTAL_BYTES", 1000)
    report, _ = upload(desk, ("big.zip", zipped({"000.txt": SEED.read_bytes()})))
    assert "unpacks to" in report["big.zip"].messages[0]


def test_not_a_zip_and_unknown_types_are_rejected_with_a_reason(desk):  # noqa: F811
    report, _ = upload(desk, ("fake.zip", b"PK\x03\x04 not really"), ("photo.jpg", b"\xff\xd8\xff"), ("inner.zip", zipped({"x.zip": b"PK"})))
    assert "not a readable zip archive" in report["fake.zip"].messages[0]
    assert "unsupported file type" in report["photo.jpg"].messages[0]
    assert "archives inside archives" in report["inner.zip/x.zip"].messages[0]


def test_posting_no_file_is_a_form_error(desk):  # noqa: F811
    response = desk.post(UPLOAD_URL, {})
    assert response.status_code == 200
    assert response.context["form"].errors["files"]
    assert response.context["report"] is None


def test_an_editor_without_add_permission_cannot_upload(desk, editor):  # noqa: F811
    editor.groups.clear()
    assert desk.get(UPLOAD_URL).status_code == 403


def test_an_empty_file_is_rejected_beside_the_good_ones(desk):  # noqa: F811
    files, page = upload(desk, ("empty.txt", b""), (SEED.name, SEED.read_bytes()))
    assert files["empty.txt"].counts["rejected"] == 1
    assert "empty file" in " ".join(files["empty.txt"].messages)
    assert files[SEED.name].counts["created"] == 1
    assert Article.objects.filter(source_file=SEED.name).exists()


@pytest.mark.parametrize(("language", "reasons"), [
    ("fa", ["feed.jsonl سطر 2: JSON نامعتبر", "feed.jsonl سطر 3: متن ندارد", "بایگانی zip خواندنی نیست"]),
    ("ar", ["feed.jsonl السطر 2: JSON غير صالح", "feed.jsonl السطر 3: نص الخبر مفقود", "ليس أرشيف zip مقروءًا"]),
])
def test_reasons_are_in_the_editors_language(desk, language, reasons):  # noqa: F811
    lines = [json.dumps({"id": "a1", "title": "قمة الرياض", "body": "قال وزير الخارجية إن القمة ناجحة."}, ensure_ascii=False),
             "{not json", json.dumps({"id": "a2", "title": "بلا نص"}, ensure_ascii=False)]
    _, page = upload(desk, ("feed.jsonl", "\n".join(lines).encode()), ("fake.zip", b"PK not a zip"), language=language)
    for reason in reasons:
        assert reason in page
