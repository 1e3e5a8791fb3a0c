"""The grouping rules on plain data, without the database: what counts as company shared by two sides."""

from articles.text.names import name_key, translit_key
from entities.grouping import share_context

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
