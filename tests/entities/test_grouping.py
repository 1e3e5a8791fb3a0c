"""The grouping rules on plain data, without the database: what counts as company shared by two sides."""

from articles.text.names import name_key, translit_key
from entities.grouping import mentions_in, share_context
from entities.names import Span

PERSIAN, ARABIC = "ویکتور اوربان", "فيكتور أوربان"
KEY = translit_key(PERSIAN)


def _rows(article, language, spelling):
    return [(article, language, spelling, name_key(spelling), KEY, [[0, len(spelling)]])]


def _beside(*names):
    """An article's context: its names' keys and their last words, as ``people`` reads them."""
    keys = {translit_key(name) for name in (PERSIAN, *names)}
    return keys | {key.rsplit(" ", 1)[-1] for key in keys}


def _join(persian_beside, arabic_beside, *, own=frozenset(), forenames=frozenset()):
    context = {1: persian_beside, 2: arabic_beside}
    return share_context(KEY, _rows(1, "fa", PERSIAN), _rows(2, "ar", ARABIC), context, set(own), set(forenames), set())


def test_someone_named_beside_both_sides_joins_them():
    assert _join(_beside("محمد جواد ظریف"), _beside("محمد جواد ظريف"))
    assert not _join(_beside("محمد جواد ظریف"), _beside("مصطفى محمد"))


def test_the_person_the_sides_went_to_is_no_company():
    # each side named beside someone else, and both linked to the page #7 they made together
    persian, arabic = _beside("محمد جواد ظریف") | {"#7"}, _beside("مصطفى محمد") | {"#7"}
    assert _join(persian, arabic)
    assert not _join(persian, arabic, own={"#7"})


def test_a_piece_of_a_name_too_short_for_a_key_is_no_company():
    # حمید رضا and أحمد رضا end in رضا, whose key has two letters
    assert not _join(_beside("حمید رضا"), _beside("أحمد رضا"))


def test_a_first_name_alone_is_no_company():
    # دوست محمد and مصطفى محمد end in محمد: a surname in common, unless محمد begins other names
    assert _join(_beside("دوست محمد"), _beside("مصطفى محمد"))
    assert not _join(_beside("دوست محمد"), _beside("مصطفى محمد"), forenames={translit_key("محمد")})


def _names(text, *names, language="ar"):
    """The names ``mentions_in`` keeps of one report in ``language`` naming ``names``, longest
    first (as the recogniser's spans: each occurrence of a name outside the longer ones)."""
    spans = []
    for name in names:
        start = text.find(name)
        while start >= 0:
            if not any(s.start <= start < s.end for s in spans):
                spans.append(Span(start, start + len(name), name, 0.99))
            start = text.find(name, start + 1)
    return {key: sorted(map(tuple, found["positions"])) for key, found in mentions_in(spans, language).items()}


def test_a_name_shortened_at_the_front_joins_the_full_name_of_its_report():
    text = "قال الرئيس اليمني عبد ربه منصور هادي إن الحوار مستمر. وأضاف منصور هادي أن الحكومة ستعود."
    found = _names(text, "عبد ربه منصور هادي", "منصور هادي")
    assert list(found) == [name_key("عبد ربه منصور هادي")] and len(found[name_key("عبد ربه منصور هادي")]) == 2


def test_a_fathers_name_after_bin_is_not_the_son():
    # the crown prince's name ends with his father's, the king's: one report naming both is about two men
    text = "استقبل الملك سلمان بن عبد العزيز ولي العهد الأمير محمد بن سلمان بن عبد العزيز في الرياض."
    found = _names(text, "محمد بن سلمان بن عبد العزيز", "سلمان بن عبد العزيز")
    assert set(found) == {name_key("محمد بن سلمان بن عبد العزيز"), name_key("سلمان بن عبد العزيز")}, found
    # nor is the father's name alone
    text = "افتتح الأمير فيصل بن سلمان المعرض في المدينة. وكان الملك سلمان قد وجه بإقامته."
    found = _names(text, "فيصل بن سلمان", "سلمان")
    assert set(found) == {name_key("فيصل بن سلمان"), name_key("سلمان")}, found


def test_an_institution_named_after_someone_is_not_them():
    # "for the relief" after the king's name: the relief centre, whose name news repeats daily
    text = "وصلت قافلة مركز الملك سلمان للإغاثة إلى عدن أمس."
    assert _names(text, "سلمان للإغاثة") == {}
    text = "ومنحت جائزة الملك فيصل للبحوث الإسلامية لثلاثة علماء."
    assert _names(text, "فيصل للبحوث") == {}


def test_a_preposition_on_the_article_is_not_the_name():
    # "للسيسي": "to al-Sisi"; the report's own spelling is kept without the preposition
    text = "وقال بوتين للسيسي خلال الاتصال إن التعاون مستمر."
    spans = [Span(text.find("للسيسي"), text.find("للسيسي") + len("للسيسي"), "للسيسي", 0.99)]
    found = mentions_in(spans)
    assert list(found) == [name_key("السيسي")]
    assert found[name_key("السيسي")]["text"] == "السيسي"
    # a name beginning with what looks like the article keeps its letters ("آلن", not "الن")
    text = "وقال المدرب آلن كوربيشلي إن الفريق جاهز."
    start = text.find("آلن كوربيشلي")
    found = mentions_in([Span(start, start + len("آلن كوربيشلي"), "آلن كوربيشلي", 0.99)])
    assert [f["text"] for f in found.values()] == ["آلن كوربيشلي"]


def test_and_on_a_name_the_report_writes_elsewhere_is_not_the_name():
    # "والسيسي": "and al-Sisi", whom the report named in full before
    text = "التقى الرئيس عبد الفتاح السيسي نظيره الفرنسي. واتفق ماكرون والسيسي على التعاون."
    found = _names(text, "عبد الفتاح السيسي", "والسيسي", "ماكرون")
    assert set(found) == {name_key("عبد الفتاح السيسي"), name_key("ماكرون")}, found
    assert len(found[name_key("عبد الفتاح السيسي")]) == 2


def test_and_on_the_article_is_not_the_name_in_arabic():
    text = "وسجل الشهري والدوسري هدفين للفريق."
    assert set(_names(text, "والدوسري")) == {name_key("الدوسري")}
    # a foreign name beginning so keeps its letters, and Persian writes "و" apart
    assert set(_names("وسجل والكوت هدفا.", "والكوت")) == {name_key("والكوت")}
    assert set(_names("والنتین گفت.", "والنتین", language="fa")) == {name_key("والنتین")}


def test_a_group_a_nationality_or_a_blessing_is_no_one():
    # where news puts a name, a tagger may take a plural with the article, an adjective of
    # origin, a country after a preposition or the blessing after a name
    text = "وقال الباحثون إن مسؤولا روسي الجنسية وصل بفرنسا. وقال الله تعالى في كتابه."
    assert _names(text, "الباحثون", "روسي", "بفرنسا", "تعالى") == {}
    assert _names("مقام آمریکایی گفت.", "آمریکایی", language="fa") == {}
    # a shorter plural-looking word may be a name (the caliph al-Ma'mun), and a surname
    # that is an adjective of origin still joins its name
    assert set(_names("وأمر المأمون ببناء بيت الحكمة.", "المأمون")) == {name_key("المأمون")}
    text = "قال الكاتب طاهر المصري إن الرواية انتهت. وأضاف المصري أنها ستنشر."
    found = _names(text, "طاهر المصري", "المصري")
    assert list(found) == [name_key("طاهر المصري")] and len(found[name_key("طاهر المصري")]) == 2
