"""Reading agency text: title, lead, body, boilerplate and metadata."""

import pytest

from articles.parsing import ParseError, canonical_source, parse_agency_text


def test_markdown_heading_marker_is_not_part_of_the_title():
    parsed = parse_agency_text("## دیدار وزیران خارجه\n\nوزیران خارجه دیدار کردند.\n\nمتن خبر در اینجا ادامه دارد.")
    assert parsed.title == "دیدار وزیران خارجه"
    assert parsed.lead == "وزیران خارجه دیدار کردند."
    assert parsed.body == "متن خبر در اینجا ادامه دارد."


def test_lines_of_one_paragraph_are_joined():
    parsed = parse_agency_text("عنوان خبر\n\nخط اول\nخط دوم\n\nپاراگراف بعدی\n\nپاراگراف آخر")
    assert parsed.lead == "خط اول خط دوم"
    assert parsed.body == "پاراگراف بعدی\n\nپاراگراف آخر"


def test_metadata_lines_are_read_and_left_out():
    text = (
        "کد خبر ۱۲۹۳۶۴۲\n"
        "تاریخ انتشار: ۱۰ آبان ۱۴۰۰ - ۲۳:۵۶\n\n"
        "عنوان خبر درباره قره باغ\n\n"
        "تهران - ایرنا - متن خبر اول درباره قره باغ.\n\n"
        "پاراگراف دوم.\n\n"
        "منبع: ایرنا\n\nپایان پیام.\n\nبرچسبها\n"
    )
    parsed = parse_agency_text(text)
    assert parsed.external_id == "1293642"  # Persian digits read as a number
    assert (parsed.published.year, parsed.published.month, parsed.published.day) == (2021, 11, 1)
    assert parsed.title == "عنوان خبر درباره قره باغ"
    assert parsed.dateline == "تهران"
    assert parsed.source == "ایرنا"
    assert parsed.lead == "متن خبر اول درباره قره باغ."
    assert parsed.body == "پاراگراف دوم."


@pytest.mark.parametrize(
    ("opening", "source", "via"),
    [
        ("به گزارش آران نیوز: به نقل از ترند، وزیر خارجه سخن گفت.", "آران نیوز", "ترند"),
        ("به گزارش مشرق، وزیر خارجه سخن گفت.", "مشرق", ""),
        ("وذكرت صحيفة \"أذرنيوز\" أن الوزير تحدث.", "", "أذرنيوز"),
    ],
)
def test_who_reported_it(opening, source, via):
    parsed = parse_agency_text(f"عنوان خبر\n\n{opening}\n\nپاراگراف دوم خبر است.")
    assert (parsed.source, parsed.via) == (source, via)


def test_a_file_without_a_headline_takes_the_first_clause_of_its_lead():
    lead = ("سرگئی لاوروف وزیر امور خارجه روسیه در گفت و گوی تلفنی با آرارات میرزویان همتای ارمنی خود، "
            "درباره اوضاع منطقه قره باغ ازجمله امکان تبادل اسرای باقی مانده بین ارمنستان و جمهوری آذربایجان تبادل نظر کرد.")
    parsed = parse_agency_text(f"{lead}\n\nبه گزارش مشرق، وزارت امور خارجه روسیه اعلام کرد.")
    assert parsed.title == "سرگئی لاوروف وزیر امور خارجه روسیه در گفت و گوی تلفنی با آرارات میرزویان همتای ارمنی خود"
    assert parsed.lead == lead
    assert parsed.notes


def test_language_follows_the_letters_not_one_stray_one():
    persian = parse_agency_text("دیدار وزیران\n\nوزیران خارجه در باكو ديدار كردند و این دیدار مهم است.\n\nمتن دوم")
    arabic = parse_agency_text("لقاء الوزيرين\n\nالتقى الوزيران في باكو وبحثا العلاقات الثنائية في هذه المرحلة.\n\nچاپ")
    assert (persian.language, arabic.language) == ("fa", "ar")


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "کد خبر 12\n\nپایان پیام.", "أضف تعليق", "فقط یک عنوان"],
)
def test_no_article_in_the_text(text):
    with pytest.raises(ParseError):
        parse_agency_text(text)


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [("خبرگزاری ایرنا", "ایرنا"), ("ايرنا", "ایرنا"), ("«آران نیوز»", "آران نیوز"), ("خبرگزاری آران", "آران نیوز"),
     ("اذرنيوز", "أذرنيوز"), ("روزنامه ناشناس", "روزنامه ناشناس")],
)
def test_canonical_source_merges_spellings(spelling, canonical):
    assert canonical_source(spelling)[0] == canonical


@pytest.mark.parametrize(("text", "dateline", "source", "lead", "body_start"), [
    ("دیدار وزیران خارجه ایران و آذربایجان\n\nوزیران خارجه دو کشور در تهران دیدار کردند.\n\n"
     "تهران - ایرنا - وزیر امور خارجه جمهوری آذربایجان امروز با همتای ایرانی خود دیدار کرد.\n\nپاراگراف دوم.",
     "تهران", "ایرنا", "وزیران خارجه دو کشور در تهران دیدار کردند.", "وزیر امور خارجه جمهوری آذربایجان امروز"),
    ("أذربيجان والسعودية تبحثان التعاون\n\nبحث وزيرا خارجية البلدين سبل التعاون.\n\n"
     "الرياض - واس - استقبل وزير الخارجية السعودي نظيره الأذربيجاني في الرياض اليوم.\n\nفقرة ثانية.",
     "الرياض", "واس", "بحث وزيرا خارجية البلدين سبل التعاون.", "استقبل وزير الخارجية السعودي"),
])
def test_a_dateline_opening_the_body_after_a_lead_is_read(text, dateline, source, lead, body_start):
    parsed = parse_agency_text(text)
    assert (parsed.dateline, parsed.source, parsed.lead) == (dateline, source, lead)
    assert parsed.body.startswith(body_start)
