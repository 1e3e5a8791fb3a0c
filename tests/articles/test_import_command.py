"""``manage.py import_articles`` as an operator runs it (issue 15): feeds of any size, standard input,
progress within a file, exit status, keys by path, duplicate ids, dates and hostile lines."""

import io
import json
import os
import re
import sys
import threading
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from articles import importcli
from articles.importcli import EXIT_NOTHING_IMPORTED, EXIT_OK, EXIT_SOME_REJECTED
from articles.models import Article
from tests.conftest import SEEDS

FA_BODY = "وزیران خارجه دو کشور روز یکشنبه در باکو دیدار و درباره راه‌های ارتباطی گفت‌وگو کردند."
AR_BODY = "بحث وزيرا خارجية البلدين العلاقات الثنائية في باكو وسبل تطوير التعاون الاقتصادي."
PERSIAN_FILE = "دیدار وزیر امور خارجه با همتای روسی\n\nوزیر امور خارجه امروز در باکو با همتای روسی خود دیدار کرد.\n\nدو طرف درباره همکاری‌های اقتصادی رایزنی کردند.\n"


def line(n, **extra):
    item = {"id": f"n-{n}", "title": f"نشست شماره {n} وزیران", "body": FA_BODY, "language": "fa", **extra}
    return json.dumps(item, ensure_ascii=False)


def feed(*lines):
    return ("\n".join(lines) + "\n").encode("utf-8")


def command(*paths, stdin=None):
    """(exit status, stdout, stderr) of the command."""
    out, err = io.StringIO(), io.StringIO()
    status = EXIT_OK
    try:
        if stdin is not None:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
                call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
        else:
            call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue(), err.getvalue()


# --- finding 14: a feed of any size, exit status, totals last ----------------------


@pytest.mark.django_db
def test_a_feed_larger_than_the_article_limit_is_read_line_by_line(tmp_path, settings):
    settings.IMPORT_MAX_FILE_BYTES = 2000  # one article; the feed is many times that
    (tmp_path / "big.jsonl").write_bytes(feed(*(line(n) for n in range(150))))
    assert (tmp_path / "big.jsonl").stat().st_size > 10 * settings.IMPORT_MAX_FILE_BYTES

    status, out, err = command(tmp_path / "big.jsonl")

    assert (status, err) == (EXIT_OK, "")
    assert out.splitlines()[-1] == "total: 150 created, 0 updated, 0 unchanged, 0 rejected"
    assert Article.objects.count() == 150


@pytest.mark.django_db
def test_a_line_over_the_limit_is_rejected_alone(tmp_path, settings):
    settings.IMPORT_MAX_FILE_BYTES = 2000
    long_line = line(2, body=FA_BODY * 40)
    (tmp_path / "f.jsonl").write_bytes(feed(line(1), long_line, line(3)))
    status, out, err = command(tmp_path / "f.jsonl")
    assert status == EXIT_SOME_REJECTED
    assert "rejected f.jsonl line 2: the line is longer than 2,000 bytes; one article may not be longer" in err
    assert sorted(Article.objects.values_list("source_file", flat=True)) == ["f.jsonl:1", "f.jsonl:3"]


@pytest.mark.django_db
def test_exit_status_tells_a_cron_job_what_happened(tmp_path):
    (tmp_path / "good.jsonl").write_bytes(feed(line(1)))
    (tmp_path / "mixed.jsonl").write_bytes(feed(line(2), "{not json"))
    (tmp_path / "bad.jsonl").write_bytes(feed("{not json", '["a list"]'))

    assert command(tmp_path / "good.jsonl")[0] == EXIT_OK
    assert command(tmp_path / "good.jsonl")[0] == EXIT_OK  # unchanged is fine
    status, out, _ = command(tmp_path / "mixed.jsonl")
    assert status == EXIT_SOME_REJECTED == 1
    assert out.splitlines()[-1].startswith("total: 1 created")
    status, out, err = command(tmp_path / "bad.jsonl")
    assert status == EXIT_NOTHING_IMPORTED == 3
    assert out.splitlines()[-1] == "total: 0 created, 0 updated, 0 unchanged, 2 rejected"
    status, out, err = command(tmp_path / "nowhere.jsonl")
    assert status == EXIT_NOTHING_IMPORTED and "cannot read it" in err


@pytest.mark.django_db
def test_standard_input_is_read_as_a_feed():
    status, out, err = command("-", stdin=feed(line(1), line(2, language="ar", title="قمة باكو", body=AR_BODY)))
    assert (status, err) == (EXIT_OK, "")
    assert "stdin.jsonl: 2 created" in out
    assert sorted(Article.objects.values_list("source_file", flat=True)) == ["stdin.jsonl:1", "stdin.jsonl:2"]


@pytest.mark.django_db
def test_standard_input_may_be_a_text_file():
    out, err = io.StringIO(), io.StringIO()
    status = importcli.run_import(["-"], stdout=out, stderr=err, stdin=io.BytesIO(PERSIAN_FILE.encode()),
                                  stdin_name="agency.txt")
    assert status == EXIT_OK, err.getvalue()
    assert Article.objects.get().title == "دیدار وزیر امور خارجه با همتای روسی"


@pytest.mark.django_db
def test_progress_within_one_long_file(tmp_path, monkeypatch):
    (tmp_path / "long.jsonl").write_bytes(feed(*(line(n) for n in range(1200))))
    clock = iter(range(0, 100_000, 1))  # one second each time the clock is read
    monkeypatch.setattr(importcli.time, "monotonic", lambda: next(clock))

    status, out, err = command(tmp_path / "long.jsonl")

    progress = [text for text in err.splitlines() if "lines read" in text]
    assert status == EXIT_OK
    assert len(progress) >= 2, err
    for text in progress:
        assert re.fullmatch(r"  long\.jsonl: [\d,]+ lines read, [\d,]+ articles done, [\d,]+ articles/s", text), text
    assert "  long.jsonl: 960 lines read, 500 articles done, " in progress[-1]  # a batch is written every 500
    assert out.splitlines()[-1] == "total: 1200 created, 0 updated, 0 unchanged, 0 rejected"


# --- finding 6: only \n ends a line ----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x0c", "\x1c"])
def test_unicode_line_separators_inside_a_string_do_not_split_a_line(tmp_path, separator):
    odd = json.dumps({"id": "odd", "title": f"عنوان{separator}دوم", "body": FA_BODY, "language": "fa"}, ensure_ascii=False)
    lines = [line(1), odd, line(3)]
    (tmp_path / "f.jsonl").write_bytes(feed(*lines))

    status, out, err = command(tmp_path / "f.jsonl")

    assert status == EXIT_OK, err
    assert "f.jsonl: 3 created" in out
    for number, text in enumerate(lines, 1):
        article = Article.objects.get(source_file=f"f.jsonl:{number}")
        assert bytes(article.raw) == text.encode()  # the exact bytes of that very line
    assert Article.objects.get(external_id="odd").title == "عنوان دوم"


@pytest.mark.django_db
def test_crlf_lines_keep_their_numbers_and_bytes(tmp_path):
    (tmp_path / "f.jsonl").write_bytes(b"\r\n".join(text.encode() for text in [line(1), "", line(3)]) + b"\r\n")
    status, out, _ = command(tmp_path / "f.jsonl")
    assert status == EXIT_OK
    assert bytes(Article.objects.get(source_file="f.jsonl:3").raw) == line(3).encode()


# --- finding 7: keys by path, duplicate ids ----------------------------------------


@pytest.mark.django_db
def test_files_of_one_name_in_two_folders_are_two_articles(tmp_path):
    for folder, word in (("dirA", "امروز"), ("dirB", "دیروز")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_bytes(PERSIAN_FILE.replace("امروز", word).encode())

    status, out, err = command(tmp_path)
    assert status == EXIT_OK, err
    assert out.splitlines()[-1] == "total: 2 created, 0 updated, 0 unchanged, 0 rejected"
    assert sorted(Article.objects.values_list("source_file", flat=True)) == ["dirA/same.txt", "dirB/same.txt"]

    status, out, _ = command(tmp_path)
    assert out.splitlines()[-1] == "total: 0 created, 0 updated, 2 unchanged, 0 rejected"


@pytest.mark.django_db
def test_a_row_imported_under_its_base_name_is_taken_over_not_duplicated(tmp_path):
    (tmp_path / "dirA").mkdir()
    (tmp_path / "dirA" / "same.txt").write_bytes(PERSIAN_FILE.encode())
    # The old importer keyed every text file by its base name alone.
    legacy = Article.objects.create(title="old", body="old", language="fa", import_key="file:same.txt",
                                    source_file="same.txt", content_hash=Article.hash_text(PERSIAN_FILE))

    status, out, _ = command(tmp_path)

    assert out.splitlines()[-1] == "total: 0 created, 0 updated, 1 unchanged, 0 rejected"
    legacy.refresh_from_db()
    assert (legacy.import_key, legacy.source_file) == ("file:dirA/same.txt", "dirA/same.txt")
    (tmp_path / "dirA" / "same.txt").write_bytes(PERSIAN_FILE.replace("امروز", "دیروز").encode())
    status, out, _ = command(tmp_path)
    assert out.splitlines()[-1] == "total: 0 created, 1 updated, 0 unchanged, 0 rejected"
    assert Article.objects.get().pk == legacy.pk


@pytest.mark.django_db
def test_duplicate_ids_in_one_feed_are_written_once_and_reported(tmp_path):
    other = line(1, body=AR_BODY, language="ar")
    (tmp_path / "f.jsonl").write_bytes(feed(line(1), line(2), line(1), other))

    status, out, err = command(tmp_path / "f.jsonl")

    assert "warning f.jsonl line 3: the same id and content as line 1; imported once" in err
    assert "rejected f.jsonl line 4: the same id as line 1 but other content; only line 1 was imported" in err
    assert status == EXIT_SOME_REJECTED
    assert Article.objects.count() == 2
    assert Article.objects.get(external_id="n-1").source_file == "f.jsonl:1"

    status, out, err = command(tmp_path / "f.jsonl")  # a re-run writes nothing
    assert out.splitlines()[-1] == "total: 0 created, 0 updated, 3 unchanged, 1 rejected"


# --- finding 2: dates outside the portal's range --------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("date", ["9999-12-31T23:59:59", "0001-01-01", "1800-05-05", "2101-01-01T00:00:00+14:00"])
def test_a_feed_date_outside_the_range_is_rejected(tmp_path, date):
    (tmp_path / "f.jsonl").write_bytes(feed(line(1, published=date), line(2, published="2023-09-23T15:05:00+03:00")))
    status, out, err = command(tmp_path / "f.jsonl")
    assert status == EXIT_SOME_REJECTED
    assert (f"rejected f.jsonl line 1: the date {date} is outside the years 1900 to 2100 that the portal accepts; "
            "correct the date or leave it out") in err
    assert list(Article.objects.values_list("external_id", flat=True)) == ["n-2"]


@pytest.mark.django_db
def test_a_text_file_dated_outside_the_range_is_rejected(tmp_path):
    text = "تاریخ انتشار: 01-01-0001\n\n" + PERSIAN_FILE
    (tmp_path / "old.txt").write_bytes(text.encode())
    status, out, err = command(tmp_path)
    assert status == EXIT_NOTHING_IMPORTED
    assert "rejected old.txt: the date 0001-01-01 is outside the years 1900 to 2100" in err
    assert not Article.objects.exists()


def test_the_admin_upload_rejects_a_date_outside_the_range(admin_client):
    data = feed(line(1, published="9999-12-31T23:59:59"), line(2))
    response = admin_client.post("/admin/articles/article/upload/", {"files": [SimpleUploadedFile("f.jsonl", data)]},
                                 HTTP_ACCEPT_LANGUAGE="en")
    [report] = response.context["report"].files
    assert report.counts["rejected"] == 1 and "is outside the years 1900 to 2100" in report.messages[0]
    assert list(Article.objects.values_list("external_id", flat=True)) == ["n-2"]
    assert admin_client.get("/").status_code == 200


# --- finding 13: smaller problems, each a sentence ----------------------------------------


@pytest.mark.django_db
def test_windows_1256_followed_by_utf8_is_rejected_not_mojibake(tmp_path):
    data = "دیدار وزیر امور خارجه\n\n".replace("ی", "ي").encode("cp1256") + "متن خبر درباره دیدار وزیران.\n".encode()
    (tmp_path / "mixed.txt").write_bytes(data)
    status, out, err = command(tmp_path)
    assert status == EXIT_NOTHING_IMPORTED
    assert ("rejected mixed.txt: mixed encodings: line 1 is in another encoding than line 3 (UTF-8); "
            "save the whole file in one encoding") in err
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_mixed_encoding_feed_is_rejected_line_by_line(tmp_path):
    data = line(1).encode() + b"\n" + line(2).encode("cp1256", errors="replace") + b"\n" + line(3).encode() + b"\n"
    (tmp_path / "f.jsonl").write_bytes(data)
    status, out, err = command(tmp_path / "f.jsonl")
    assert status == EXIT_SOME_REJECTED
    assert "rejected f.jsonl line 2: not valid UTF-8 (invalid bytes at position" in err
    assert "f.jsonl: 2 created, 0 updated, 0 unchanged, 1 rejected" in out

    legacy = line(4).replace("ی", "ي").encode("cp1256") + b"\n" + line(5).encode() + b"\n"
    (tmp_path / "g.jsonl").write_bytes(legacy)
    status, out, err = command(tmp_path / "g.jsonl")
    assert "rejected g.jsonl line 2: this line is UTF-8 while earlier lines are Windows-1256" in err
    assert Article.objects.get(external_id="n-4").raw_encoding == "cp1256"


@pytest.mark.django_db
def test_hostile_values_get_sentences_not_python_errors(tmp_path):
    lines = [
        line(1, title="ع" * 100_000),
        line(2).replace('"title": "', '"title": "\\ud800'),  # a lone surrogate escape
        line(3).replace('"id": "n-3"', '"id": ' + "9" * 5000),  # a number Python refuses to read
        line(4, url="https://example.org/" + "a" * 2000),
        line(5, id="x" * 300),
    ]
    (tmp_path / "f.jsonl").write_bytes(feed(*lines))
    status, out, err = command(tmp_path / "f.jsonl")
    assert status == EXIT_NOTHING_IMPORTED
    assert "rejected f.jsonl line 1: the title is 100,000 characters long; the limit is 500" in err
    assert "rejected f.jsonl line 2: the field title holds an unpaired surrogate" in err
    assert "rejected f.jsonl line 3: a number in the line has too many digits; write ids as text" in err
    assert "rejected f.jsonl line 4: the URL is 2,020 characters long; the limit is 1000" in err
    assert "rejected f.jsonl line 5: the id is 300 characters long; the limit is 200" in err
    for word in ("Error", "Exception", "Traceback", "limit (4300"):
        assert word not in err


@pytest.mark.django_db(transaction=True)
def test_nul_and_control_characters_are_replaced_the_same_on_every_database(tmp_path):
    # PostgreSQL refuses NUL in text; SQLite stored it: now neither sees one.
    (tmp_path / "f.jsonl").write_bytes(feed(line(1, title="عنوان\u0000با\u0001کنترل", body=FA_BODY + "\u0000\u009b")))
    status, out, err = command(tmp_path / "f.jsonl")
    assert status == EXIT_OK, err
    assert "warning f.jsonl line 1: 4 control characters (such as NUL) were replaced by spaces" in err
    article = Article.objects.get()
    assert article.title == "عنوان با کنترل"
    assert "\x00" not in article.body and "\x9b" not in article.body
    assert b"\\u0000" in bytes(article.raw)  # the original line as it came


@pytest.mark.django_db
def test_a_fifo_is_rejected_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    result = {}
    worker = threading.Thread(target=lambda: result.update(zip(("status", "out", "err"), command(fifo), strict=True)),
                              daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():  # unblock the reader so the test run can end
        with open(fifo, "wb"):
            pass
        pytest.fail("import_articles waited on a FIFO")
    assert result["status"] == EXIT_NOTHING_IMPORTED
    assert "not a regular file (a pipe, socket or device); to import from a pipe, give - " in result["err"]


def test_hidden_members_of_a_zip_get_a_report_line(admin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(".x", PERSIAN_FILE.encode())
        archive.writestr("news/.hidden.txt", PERSIAN_FILE.encode())
        archive.writestr("news/a.txt", PERSIAN_FILE.encode())
        archive.writestr("other/a.txt", PERSIAN_FILE.replace("امروز", "دیروز").encode())
    response = admin_client.post("/admin/articles/article/upload/",
                                 {"files": [SimpleUploadedFile("a.zip", buffer.getvalue())]}, HTTP_ACCEPT_LANGUAGE="en")
    files = {f.name: f for f in response.context["report"].files}
    assert "a hidden file (its name starts with a dot)" in files["a.zip/.x"].messages[0]
    assert files["a.zip/news/.hidden.txt"].counts["rejected"] == 1
    # two members of one name in two folders are two articles
    assert files["a.zip/news/a.txt"].counts["created"] == files["a.zip/other/a.txt"].counts["created"] == 1
    assert sorted(Article.objects.values_list("source_file", flat=True)) == ["news/a.txt", "other/a.txt"]


@pytest.mark.django_db
def test_seeds_still_import_with_status_zero():
    status, out, err = command(SEEDS)
    assert (status, err) == (EXIT_OK, "")
    assert out.splitlines()[-1] == "total: 5 created, 0 updated, 0 unchanged, 0 rejected"
