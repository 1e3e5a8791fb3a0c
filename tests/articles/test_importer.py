"""The importer through its public entry points: the command and ``import_paths``."""

import datetime as dt
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import translation

from articles.importer import import_bytes, import_paths
from articles.importreport import ImportReport
from articles.models import Article, Source
from articles.text import to_ascii_digits

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TEHRAN = ZoneInfo("Asia/Tehran")
UTC3 = dt.timezone(dt.timedelta(hours=3))

# What a Persian or Arabic reader should see for each seed file.
SEED_ARTICLES = {
    "000_57f08464a6d64d87.txt": {
        "title": "دیدار وزیر امور خارجه جمهوری آذربایجان از پرو",
        "language": "fa",
        "published": None,
        "source": "آران نیوز",
        "via": "ترند",
        "dateline": "",
        "external_id": "",
        "lead_start": "وزیر امور خارجه جمهوری آذربایجان در سفر به پرو",
        "body_start": "به گزارش آران نیوز: به نقل از ترند، الدار ممدیاراف وزیر امور خارجه",
        "body_end": "برای حل مشکل قره باغ تاسیس شده است.",
    },
    "001_582982c64e34e579.txt": {
        # the "## " of the first line is markup, not part of the headline
        "title": "جمهوری آذربایجان خواستار حمایت بین المللی از این کشور در مقابل ارمنستان شد",
        "language": "fa",
        "published": None,
        "source": "آران نیوز",
        "via": "ترند",
        "dateline": "",
        "external_id": "",
        "lead_start": "وزیر امور خارجه جمهوری آذربایجان خواستار مشارکت جامعه بین المللی",
        "body_start": "به گزارش آران نیوز: به نقل از ترند، الدار ممدیاراف وزیر امور خارجه جمهوری آذربایجان در چهاردهمین نشست",
        "body_end": "برای حل مشکل قره باغ تاسیس شده است.",
    },
    "002_baac64db82fb31fe.txt": {
        # "عرب وعالم23-9-2023 | 15:05" is the section and the date, and the
        # headline glued to the photo caption is not a paragraph
        "title": "أذربيجان وروسيا تبحثان الوضع في قره باغ",
        "language": "ar",
        "published": dt.datetime(2023, 9, 23, 15, 5, tzinfo=UTC3),
        "source": None,
        "via": "أذرنيوز",
        "dateline": "",
        "external_id": "",
        "lead_start": "بحث وزير الخارجية الأذربيجاني جيهون بيراموف مع نظيره الروسي سيرجي لافروف",
        "body_start": "وقدم بيراموف تعازيه الحارة إلى الاتحاد الروسي",
        "body_end": "وتقديم الدعم الإنساني في المستقبل القريب.",
    },
    "003_840ad37251b4b345.txt": {
        # no headline: the first line is already the lead, so the title is
        # its first clause; "مسکو - ایرنا-" is the dateline and the agency
        "title": "سرگئی لاوروف وزیر امور خارجه روسیه در گفت و گوی تلفنی با آرارات میرزویان همتای ارمنی خود",
        "language": "fa",
        "published": dt.datetime(2021, 11, 1, 23, 56, tzinfo=TEHRAN),
        "source": "مشرق",
        "via": "ایرنا",
        "dateline": "مسکو",
        "external_id": "1293642",
        "lead_start": "سرگئی لاوروف وزیر امور خارجه روسیه در گفت و گوی تلفنی با آرارات میرزویان همتای ارمنی خود، درباره",
        "body_start": "به گزارش مشرق، وزارت امور خارجه روسیه روز دوشنبه",
        "body_end": "توانست سرزمین های اشغالی خود در قره باغ را آزاد کند.",
    },
    "004_2973d5eb3c696f40.txt": {
        "title": "مخالفت سازمان آزادی قره باغ جمهوری آذربایجان با میانجیگری روسیه برای حل مناقشه قره باغ",
        "language": "fa",
        "published": None,
        "source": "آران نیوز",
        "via": None,
        "dateline": "",
        "external_id": "",
        "lead_start": "کشورهای میانجی گروه مینسک با نادیده گرفتن تحرکات تجاوزکارانه ارمنستان",
        "body_start": "خبرگزاری آران / سرویس آذربایجان : سازمان آزادی قره باغ",
        "body_end": "این میانجی گری نتیجه ای نداشته است",
    },
}


def run_import(*paths):
    """The command's stdout and stderr (its exit status is tested in test_import_command)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
    except SystemExit as exc:
        assert exc.code in (1, 3)
    return out.getvalue(), err.getvalue()


def snapshot():
    """Everything the importer writes, to compare before and after."""
    articles = list(Article.objects.order_by("pk").values())
    for row in articles:
        row.pop("modified")
        row["raw"] = bytes(row["raw"])
    return articles, list(Source.objects.order_by("pk").values())


def article_from(name):
    return Article.objects.with_related().get(source_file=name)


# --- the five seeds -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SEED_ARTICLES))
def test_seed_is_read_as_a_reader_would(name):
    expected = SEED_ARTICLES[name]
    run_import(SEEDS / name)
    article = article_from(name)

    assert article.title == expected["title"]
    assert article.language == expected["language"]
    assert article.published == expected["published"]
    assert article.date_only is False
    assert (article.source.name if article.source else None) == expected["source"]
    assert (article.via.name if article.via else None) == expected["via"]
    assert article.dateline == expected["dateline"]
    assert article.external_id == expected["external_id"]
    assert article.lead.startswith(expected["lead_start"])
    assert article.body.startswith(expected["body_start"])
    assert article.body.rstrip().endswith(expected["body_end"])
    assert article.status == Article.Status.PUBLISHED
    # lossless: the exact bytes are kept, whatever was made of them
    assert bytes(article.raw) == (SEEDS / name).read_bytes()
    assert article.raw_encoding == "utf-8"
    assert len(article.content_hash) == 64


@pytest.mark.django_db
def test_seed_003_date_is_the_jalali_moment_in_tehran():
    run_import(SEEDS / "003_840ad37251b4b345.txt")
    published = article_from("003_840ad37251b4b345.txt").published
    # ۱۰ آبان ۱۴۰۰ - ۲۳:۵۶ is 1 November 2021, 23:56 in Tehran (UTC+3:30, no DST then)
    assert published == dt.datetime(2021, 11, 1, 20, 26, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_boilerplate_leaves_the_body_but_stays_in_the_raw_text():
    run_import(SEEDS)
    closings = {
        "002_baac64db82fb31fe.txt": ["أضف تعليق"],
        "003_840ad37251b4b345.txt": ["کد خبر 1293642", "تاریخ انتشار:", "منبع: ایرنا", "برچسبها"],
        "004_2973d5eb3c696f40.txt": ["پایان پیام.", "سرویس آذربایجان/خبرگزاری آران"],
    }
    for name, lines in closings.items():
        article = article_from(name)
        for line in lines:
            assert line not in article.body, (name, line)
            assert line not in article.lead, (name, line)
            assert line in article.raw_text, (name, line)


@pytest.mark.django_db
def test_spellings_of_one_agency_are_one_source():
    run_import(SEEDS)
    # "آران نیوز" (000, 001) and "خبرگزاری آران" (004) are the same outlet
    aran = Source.objects.get(name="آران نیوز")
    assert aran.name_en == "Aran News"
    assert set(aran.articles.values_list("source_file", flat=True)) == {
        "000_57f08464a6d64d87.txt", "001_582982c64e34e579.txt", "004_2973d5eb3c696f40.txt",
    }
    assert Source.objects.get(name="ایرنا").name_en == "IRNA"


# --- idempotence ----------------------------------------------------------------


@pytest.mark.django_db
def test_reimport_changes_nothing():
    first, _ = run_import(SEEDS)
    assert "total: 5 created, 0 updated, 0 unchanged, 0 rejected" in first
    before = snapshot()

    second, err = run_import(SEEDS)

    assert "total: 0 created, 0 updated, 5 unchanged, 0 rejected" in second
    for name in SEED_ARTICLES:
        assert f"{name}: 0 created, 0 updated, 1 unchanged, 0 rejected" in second
    assert err == ""
    assert snapshot() == before


@pytest.mark.django_db
def test_changed_file_updates_the_same_article(tmp_path):
    path = tmp_path / "003_840ad37251b4b345.txt"
    original = (SEEDS / path.name).read_bytes()
    path.write_bytes(original)
    run_import(path)
    pk = article_from(path.name).pk

    path.write_bytes(original.replace("اوضاع منطقه".encode(), "وضعیت منطقه".encode()))
    out, _ = run_import(path)

    assert "total: 0 created, 1 updated, 0 unchanged, 0 rejected" in out
    article = Article.objects.get()
    assert article.pk == pk
    assert "وضعیت منطقه" in article.lead


# --- bad files ------------------------------------------------------------------

BAD_FILES = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"\n \r\n\t\n", "empty file"),
    "bom-only.txt": (b"\xef\xbb\xbf", "empty file"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)), "binary"),
    "truncated.txt": ("دیدار وزیر امور خارجه\n\nمتن خبر".encode()[:-1], "truncated UTF-8"),
    "broken.txt": ("دیدار وزیر امور خارجه\n\n".encode() + b"\xff\xfe\xfa" + "متن خبر در اینجا".encode(), "broken UTF-8"),
    "photo.jpg": ("دیدار وزیر\n\nمتن خبر".encode(), "unsupported file type '.jpg'"),
    "only-metadata.txt": ("کد خبر ۱۲۳۴\nتاریخ انتشار: ۱۰ آبان ۱۴۰۰ - ۲۳:۵۶\n\nپایان پیام.\n".encode(), "no text"),
    "title-only.txt": ("دیدار وزیر امور خارجه جمهوری آذربایجان از پرو\n".encode(), "no body"),
    "english.txt": (b"A headline\n\nSome English text with no Persian or Arabic in it.\n", "no Persian or Arabic"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_rejected_with_a_reason(tmp_path, name):
    data, reason = BAD_FILES[name]
    (tmp_path / name).write_bytes(data)

    out, err = run_import(tmp_path / name)

    assert f"{name}: 0 created, 0 updated, 0 unchanged, 1 rejected" in out
    assert f"rejected {name}: " in err
    assert reason in err
    assert not Article.objects.exists()
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_bad_files_among_good_ones_do_not_stop_them(tmp_path):
    for name, (data, _) in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
    for seed in SEEDS.iterdir():
        (tmp_path / "nested" / "deeper").mkdir(parents=True, exist_ok=True)
        (tmp_path / "nested" / "deeper" / seed.name).write_bytes(seed.read_bytes())

    out, err = run_import(tmp_path)

    assert f"total: 5 created, 0 updated, 0 unchanged, {len(BAD_FILES)} rejected" in out
    assert err.count("rejected ") == len(BAD_FILES)
    # files in a folder are known by their path below it
    assert set(Article.objects.values_list("source_file", flat=True)) == {f"nested/deeper/{name}" for name in SEED_ARTICLES}


@pytest.mark.django_db
def test_an_item_failing_while_saving_leaves_nothing_half_written(tmp_path):
    # The bad URL is found by validation after the new agency was looked
    # up and created: the agency must be rolled back with the article.
    item = {"id": "n1", "title": "گزارش تازه", "body": "متن گزارش تازه است.", "source": "خبرگزاری تازه", "url": "نه یک نشانی"}
    (tmp_path / "feed.jsonl").write_bytes(feed_bytes([item]))

    out, err = run_import(tmp_path)

    assert "feed.jsonl: 0 created, 0 updated, 0 unchanged, 1 rejected" in out
    assert "feed.jsonl line 1: a field is not valid (url: Enter a valid URL.)" in err
    assert not Article.objects.exists()
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_missing_path_is_reported_not_raised(tmp_path):
    out, err = run_import(tmp_path / "nowhere.txt", SEEDS / "002_baac64db82fb31fe.txt")
    assert "total: 1 created, 0 updated, 0 unchanged, 1 rejected" in out
    assert "nowhere.txt: cannot read" in err


def test_empty_folder_imports_nothing_and_says_so(tmp_path):
    out, err = run_import(tmp_path)
    assert "no files found" in err
    assert out.splitlines()[-1] == "total: 0 created, 0 updated, 0 unchanged, 0 rejected"


@pytest.mark.django_db
def test_too_large_file_is_refused_unread(tmp_path, settings):
    settings.IMPORT_MAX_FILE_BYTES = 1000
    (tmp_path / "big.txt").write_bytes((SEEDS / "000_57f08464a6d64d87.txt").read_bytes())
    with translation.override("en"):  # reasons are in the active language (Persian by default)
        report = import_paths([tmp_path])
    assert report.totals["rejected"] == 1
    assert "too large" in report.files[0].messages[0]


# --- encodings ------------------------------------------------------------------


def legacy_cp1256(text):
    """A seed as a legacy Windows editor saves it: Windows-1256 has neither
    Persian yeh nor Persian digits, so ی is written ي and ۱۴۰۰ as 1400."""
    return to_ascii_digits(text).replace("ی", "ي").encode("cp1256")


ENCODINGS = {
    "utf-8-sig": lambda text: text.encode("utf-8-sig"),
    "utf-16 (BOM)": lambda text: text.encode("utf-16"),
    "utf-16-le (no BOM)": lambda text: text.encode("utf-16-le"),
    "utf-16-be (no BOM)": lambda text: text.encode("utf-16-be"),
    "cp1256": legacy_cp1256,
}
READ_FIELDS = ("title", "lead", "body", "language", "published", "date_only", "dateline", "external_id", "source_id", "via_id")


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("name", ["002_baac64db82fb31fe.txt", "003_840ad37251b4b345.txt", "000_57f08464a6d64d87.txt"])
def test_encoded_copy_imports_identically(tmp_path, name, encoding):
    original = (SEEDS / name).read_bytes()
    copy = ENCODINGS[encoding](original.decode("utf-8"))
    (tmp_path / f"copy-{name}").write_bytes(copy)
    run_import(SEEDS / name)
    out, err = run_import(tmp_path / f"copy-{name}")
    assert "1 created" in out, err

    seed, other = article_from(name), article_from(f"copy-{name}")
    for field in READ_FIELDS:
        expected = getattr(seed, field)
        if encoding == "cp1256" and isinstance(expected, str):
            expected = to_ascii_digits(expected)  # Windows-1256 cannot hold Persian digits
        assert getattr(other, field) == expected, field
    assert bytes(other.raw) == copy
    assert other.raw_text == copy.decode(other.raw_encoding)


@pytest.mark.django_db
def test_persian_cp1256_file_gets_persian_letters():
    # Windows-1256 has no Persian yeh: a reader must not see Arabic ي in Persian words
    report = ImportReport()
    import_bytes("legacy.txt", legacy_cp1256((SEEDS / "000_57f08464a6d64d87.txt").read_text()), report)
    article = Article.objects.get()
    assert article.raw_encoding == "cp1256"
    assert article.title == "دیدار وزیر امور خارجه جمهوری آذربایجان از پرو"
    assert "ي" not in article.body and "ي" in article.raw_text


# --- JSON Lines ---------------------------------------------------------------------

FEED_ITEMS = [
    {"id": "az-1", "title": "دیدار وزیران خارجه ایران و جمهوری آذربایجان", "lead": "دو وزیر در باکو دیدار کردند.",
     "body": "وزیران خارجه دو کشور روز یکشنبه در باکو دیدار کردند.\n\nآنها درباره راه‌های ارتباطی گفت‌وگو کردند.",
     "published": "1400/08/10 23:56", "source": "خبرگزاری ایرنا", "url": "https://example.org/fa/1"},
    {"id": "az-2", "title": "أذربيجان وإيران تبحثان العلاقات", "body": "بحث وزيرا خارجية البلدين العلاقات الثنائية في باكو.",
     "published": "2023-09-23T15:05:00+03:00", "source": "أذرنيوز", "language": "ar"},
]


def feed_bytes(items, extra_lines=()):
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    return ("\n".join([*lines, *extra_lines]) + "\n").encode("utf-8")


@pytest.mark.django_db
def test_jsonl_feed_goes_through_the_same_path(tmp_path):
    (tmp_path / "feed.jsonl").write_bytes(feed_bytes(FEED_ITEMS))

    out, err = run_import(tmp_path)

    assert "feed.jsonl: 2 created, 0 updated, 0 unchanged, 0 rejected" in out, err
    fa = Article.objects.with_related().get(external_id="az-1")
    assert fa.language == "fa"
    assert fa.published == dt.datetime(2021, 11, 1, 23, 56, tzinfo=TEHRAN)
    assert fa.source.name == "ایرنا"  # "خبرگزاری ایرنا" is the same agency
    assert fa.paragraphs == ["وزیران خارجه دو کشور روز یکشنبه در باکو دیدار کردند.", "آنها درباره راه‌های ارتباطی گفت‌وگو کردند."]
    assert fa.source_file == "feed.jsonl:1"
    assert bytes(fa.raw).decode() == json.dumps(FEED_ITEMS[0], ensure_ascii=False)
    ar = Article.objects.with_related().get(external_id="az-2")
    assert (ar.language, ar.source.name, ar.lead) == ("ar", "أذرنيوز", "")
    assert ar.published == dt.datetime(2023, 9, 23, 12, 5, tzinfo=dt.UTC)

    again, _ = run_import(tmp_path)
    assert "feed.jsonl: 0 created, 0 updated, 2 unchanged, 0 rejected" in again


@pytest.mark.django_db
def test_new_agencies_of_a_feed_are_created_in_the_order_it_names_them(tmp_path):
    # so that importing one feed into two fresh databases gives them the same ids
    agencies = ["خبرگزاری شمال", "وكالة الجنوب", "روزنامه کوهستان", "صحيفة الساحل", "پایگاه خبری دشت"]
    items = [{"id": f"ag-{n}", "title": f"خبر شماره {n} از {agency}", "body": f"متن خبر {n} درباره دیدار وزیران در باکو.",
              "source": agency, "language": "fa"} for n, agency in enumerate(agencies)]
    (tmp_path / "feed.jsonl").write_bytes(feed_bytes(items))

    out, err = run_import(tmp_path)

    assert "feed.jsonl: 5 created" in out, err
    assert list(Source.objects.filter(name__in=agencies).order_by("pk").values_list("name", flat=True)) == agencies


@pytest.mark.django_db
def test_jsonl_bad_lines_are_rejected_one_by_one(tmp_path):
    bad = [
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"id": "x1", "body": "متن بدون عنوان"}, ensure_ascii=False),
        json.dumps({"id": "x2", "title": "عنوان بدون متن"}, ensure_ascii=False),
        json.dumps({"id": "x3", "title": "عنوان", "body": "متن خبر", "language": "en"}, ensure_ascii=False),
        json.dumps({"id": "x4", "title": "عنوان", "body": "متن خبر", "language": "fa", "published": "۳۲ آبان ۱۴۰۰"}, ensure_ascii=False),
        json.dumps({"id": "x5", "title": {"fa": "عنوان"}, "body": "متن خبر"}, ensure_ascii=False),
        json.dumps({"id": "x6", "title": "عنوان", "body": "متن خبر", "language": "fa", "published": True}, ensure_ascii=False),
        json.dumps({"id": "x7", "title": "عنوان", "body": "متن خبر"}, ensure_ascii=False),
    ]
    (tmp_path / "feed.jsonl").write_bytes(feed_bytes(FEED_ITEMS[:1], [""] + bad + [json.dumps(FEED_ITEMS[1], ensure_ascii=False)]))

    out, err = run_import(tmp_path)

    assert f"feed.jsonl: 2 created, 0 updated, 0 unchanged, {len(bad)} rejected" in out
    for number, reason in [(3, "invalid JSON"), (4, "not a JSON object"), (5, "missing title"), (6, "missing body"),
                           (7, "language must be fa or ar"), (8, "unreadable date"), (9, "field 'title' must be text"), (10, "field 'published' must be text"),
                           (11, "cannot tell Persian from Arabic")]:
        assert f"feed.jsonl line {number}: {reason}" in err
    assert set(Article.objects.values_list("external_id", flat=True)) == {"az-1", "az-2"}


@pytest.mark.django_db
def test_jsonl_in_utf16_reads_like_utf8(tmp_path):
    text = feed_bytes(FEED_ITEMS).decode()
    (tmp_path / "a.jsonl").write_bytes(text.encode("utf-16"))
    report = import_paths([tmp_path / "a.jsonl"])
    assert report.totals == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    article = Article.objects.get(external_id="az-1")
    # the exact bytes of the line in the file (without its BOM), in the byte order the BOM told
    assert article.raw_encoding == "utf-16-le"
    assert bytes(article.raw) == text.splitlines()[0].encode("utf-16-le")
