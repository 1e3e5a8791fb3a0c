"""Keys of people's names: titles stripped, and one key for Persian and Arabic spellings.

``name_key("وزیر خارجه سرگئی لاوروف")`` is the folded name without the title
words before it ("سرگئی لاوروف"); ``translit_key`` maps what Persian and
Arabic writers exchange when they transliterate one foreign name to one
letter and drops the long vowels, so لاوروف and لافروف, پوتین and بوتين,
پاشینیان and باشينيان get one key.  A key alone is a hint, never proof: two
people may share one, so callers weigh context before merging on it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

from . import lexicon
from .fold import arabic_letters, fold_key, persian_letters
from .morphology import AND, ARTICLE
from .titles import COUNTRIES, ORIGINS
from .tokens import words

# Titles, ranks, roles and honorifics that stand before a name in news text,
# and the abbreviated blessings after one (علی (ع), امام خمینی (ره)), folded
# when used.  Longer phrases are matched word by word from the start.
TITLE_WORDS_FA = """
آقای آقا خانم دکتر مهندس استاد حجت‌الاسلام حجت‌الاسلام‌والمسلمین آیت‌الله آیت‌الله‌العظمی سردار سرلشکر سرتیپ سرهنگ
سپهبد دریادار امیر شهید مرحوم حضرت رهبر رئیس رییس جمهور جمهوری وزیر امور خارجه دفاع کشور معاون سخنگوی سخنگو
نماینده ویژه سفیر دبیرکل فرمانده مدیرعامل مدیر دبیر نخست‌وزیر نخست وزیر رئیس‌جمهور رئیس‌جمهوری پادشاه ملکه
ولیعهد شاه ملک شیخ سرمربی مربی بازیکن کاپیتان مهاجم خبرنگار نویسنده کارگردان بازیگر خواننده شاعر همتای نامزد
والسلمین والمسلمین العظمی امام ره رح قدس سره مدظله دام عزه
ع ص س عج قده
"""
TITLE_WORDS_AR = """
السيد السيدة سيد ملك الدكتور دكتور الشيخ شيخ الرئيس رئيس الملك الملكة الأمير أمير الوزير وزير نائب السفير سفير الأمين
العام اللواء العميد العقيد الفريق المشير الإمام آية الله الحاج المهندس الأستاذ المدرب مدرب اللاعب الكاتب الفنان
المتحدث الناطق باسم زعيم قائد ولي العهد السلطان المستشار النائب المبعوث نظيره المرشح الخارجية خارجية الدفاع
الداخلية الوزراء وزراء الجمهورية رحمه رحمها حفظه
صاحب السمو الملكي الجلالة حضرة معالي معاليه سمو سموه فخامة فخامته سماحة سماحته فضيلة فضيلته جلالة جلالته
المرحوم الراحل المفتي مفتي مستشار
تعالى يرحمه يرحمها رحمهم حفظها حفظهم يحفظه يحفظها صلى
"""
TITLE_WORDS = frozenset(words(TITLE_WORDS_FA + TITLE_WORDS_AR))
# Conjunction and prepositions a tagger may leave stuck to a name's first word.
_PROCLITICS = ("و", "ب", "ل", "ف")
_NAME_SEPARATORS = re.compile(r"[()\[\]«»\"“”]+")

# What transliterators exchange between Persian and Arabic (folded letters):
# Persian و (/v/) ↔ Arabic ف, گ ↔ ج/غ/ك, پ ↔ ب, ژ ↔ ج/ز, ة ↔ ه; چ ↔ تش below.
_LETTER_CLASS = {
    "ف": "و", "گ": "ک", "ج": "ک", "غ": "ک", "ق": "ک", "پ": "ب", "ژ": "ز", "ذ": "ز", "ة": "ه",
    "ث": "س", "ص": "س", "ط": "ت", "ض": "ز", "ظ": "ز", "ح": "ه", "ع": "ا",
}
# Long vowels and hamza seats: written or left out at will between the two.
_VOWELS = frozenset("اآأإیيىءئؤ")
_KEY_TABLE = str.maketrans({**_LETTER_CLASS, **dict.fromkeys(_VOWELS)})


def strip_titles(name_words: list[str]) -> list[str]:
    """The words of a name (folded) without the title and role words before and after it (the
    first also after "و": "ومعالي الوزير"), nor a "son of" at its end."""
    start, end = 0, len(name_words)
    while start < end and (name_words[start] in TITLE_WORDS or _and_title(name_words[start])):
        start += 1
    # "عبدالله بن": the tagger stopped before the father's name
    while end > start and (name_words[end - 1] in TITLE_WORDS or name_words[end - 1] in _FATHER_WORDS):
        end -= 1
    return name_words[start:end]


def _and_title(word: str) -> bool:
    return word[:1] == "و" and word[1:] in TITLE_WORDS


def split_names(text: str) -> list[str]:
    """The names of a list written with «،», «,» or «؛» between them, a name in parentheses apart
    ("خانکندی (استپاناکرت)"), each once, in order."""
    return list(dict.fromkeys(piece.strip() for piece in _LIST_SEPARATORS.split(text) if piece.strip()))


_LIST_SEPARATORS = re.compile(r"[()،,؛;]")


def without_titles(text: str) -> str:
    """A name as written (its own letters and spaces), without the title words before and after it."""
    raw = _NAME_SEPARATORS.sub(" ", text).split()
    folded = [fold_key(w).strip("'.,،:؛") for w in raw]
    start, end = 0, len(raw)
    while start < end and (folded[start] in TITLE_WORDS or _and_title(folded[start]) or not folded[start]):
        start += 1
    while end > start and (folded[end - 1] in TITLE_WORDS or not folded[end - 1]):
        end -= 1
    return " ".join(raw[start:end]).strip("'.,،:؛ ")


# First words of compound Arabic names, written joined or apart in either
# language (عبدالعزیز / عبد العزیز, ابوبکر / ابو بکر): the key joins them.
_JOINED_HEADS = frozenset({"عبد", "ابو", "ابی"})


# Keys are asked for every name of every article linked, and a news corpus names the
# same people again and again: remembered (both are functions of the text alone).
NAME_CACHE = 1 << 16


@lru_cache(maxsize=NAME_CACHE)
def name_key(text: str) -> str:
    """A name as found in text, folded, ZWNJ dropped, titles and honorifics
    stripped, a compound like عبد العزیز joined ("" if nothing is left)."""
    joined: list[str] = []
    for word in words(text):
        # before titles go: the الله of عبد الله is a name's, not آیت‌الله's
        if joined and joined[-1] in _JOINED_HEADS:
            joined[-1] += word
        else:
            joined.append(word)
    return " ".join(fold_key(w) for w in strip_titles(joined))


# A Persian writer spells a foreign or Arabic name without the hamza seats and
# the ta marbuta an Arabic writer uses (امانوئل for إيمانويل, حمزه for حمزة).
_PERSIAN_NAME_SPELLING = str.maketrans({"أ": "ا", "إ": "ا", "ة": "ه"})


def display_name(name: str, language: str) -> str:
    """``name`` spelled with ``language``'s letters ("fa" or "ar"): a page
    heading for a name that an article of the other language, or a writer
    using the other letters, gave."""
    if language == "fa":
        return persian_letters(name).translate(_PERSIAN_NAME_SPELLING)
    return arabic_letters(name)


def _word_key(word: str) -> str:
    word = word.replace("تش", "چ").replace("چ", "ش")
    if len(word) > 3 and word.startswith("ال"):
        word = word[2:]  # the Arabic article: "الأسد" and "اسد"
    # A final ه/ة is a vowel in both scripts; a first و or ی is a consonant.
    if len(word) > 2 and word[-1] in "هة":
        word = word[:-1]
    # A final ی is the nisba suffix, not a vowel letter: سلطانی is not سلطان, محمدی not محمد.
    tail = "ی" if len(word) > 2 and word[-1] in "یيى" else ""
    word = word[:-1] if tail else word
    head, rest = word[:1], word[1:]
    return (head.translate(str.maketrans(_LETTER_CLASS)) + rest.translate(_KEY_TABLE) + tail) if head else ""


@lru_cache(maxsize=NAME_CACHE)
def translit_key(text: str) -> str:
    """One key for the Persian and Arabic spellings of one name (``name_key`` first, then the letter classes)."""
    return " ".join(k for k in (_word_key(w) for w in name_key(text).split()) if k)


# Words that carry an Arabic name on to the father's or the family's:
# سلمان بن عبدالعزیز آل سعود is سلمان بن عبدالعزیز written in full (folded keys).
# "Son of" between an Arabic man's name and his father's: both sides are names.
SON_OF = "بن"
_FATHER_WORDS = frozenset({SON_OF, "ابن", "بنت"})  # a father's name follows
_NASAB_WORDS = _FATHER_WORDS | {"ال"}


def continues_name(short: str, long: str) -> bool:
    """Whether the name key ``long`` is ``short`` followed by a father's or a family name
    (both ``name_key`` or both ``translit_key`` forms): the longer form of one person's name."""
    if " " not in short or not long.startswith(short + " "):
        return False
    return long[len(short) + 1:].split(" ", 1)[0] in _NASAB_WORDS


def ends_name(short: str, long: str) -> bool:
    """Whether the name key ``long`` is ``short`` with first names before it (عبدربه منصور هادی,
    منصور هادی), not a son's name before his father's: محمد بن سلمان بن عبدالعزیز, the crown
    prince, ends with the king's name, and Arabic reports often name both."""
    if not long.endswith(" " + short):
        return False
    return not names_a_father(long[:-len(short) - 1].rsplit(" ", 1)[-1])


def names_a_father(word: str) -> bool:
    """Whether ``word`` (of a name key) says the name after it is a father's (بن, ابن, بنت)."""
    return word in _FATHER_WORDS


# The preposition ل on the article ("للإغاثة": for the relief).  After a name it makes the
# whole an institution's name ("مركز الملك سلمان للإغاثة", "جائزة فيصل للبحوث"); on a
# name's first word it is the preposition before the name ("قال للسيسي": he told al-Sisi).
_FOR_THE = "لل"


def names_an_institution(key: str) -> bool:
    """Whether a name key goes on with "for the …" (``_FOR_THE``): a centre, prize or fund
    named after someone ("سلمان للاغاثه"), not the person."""
    return any(word.startswith(_FOR_THE) for word in key.split()[1:])


def without_article_preposition(word: str) -> str:
    """``word`` without the preposition ل on its article ("للسيسي" is "السيسي"), or as it is."""
    if len(word) > 4 and word.startswith(_FOR_THE):
        return ARTICLE + word[len(_FOR_THE):]
    return word


def without_proclitic(word: str, known: set[str] | frozenset[str], language: str | None = None) -> str:
    """``word`` without a conjunction or preposition stuck to it ("ولافروف") when the rest is in
    ``known``; a preposition on the article always (``without_article_preposition``), and in
    Arabic (``language`` "ar") "and" on the article too (``without_and_on_article``)."""
    if (bare := without_article_preposition(word)) != word:
        return bare
    if language == "ar" and (bare := without_and_on_article(word)) != word:
        return bare
    if len(word) > 3 and word[0] in _PROCLITICS and word[1:] in known:
        return word[1:]
    return word


# The name علي ("Ali") and the preposition على ("on") are one word once folded; a text that
# writes the preposition على tells them apart.
_ALI = "علي"
_ON_APART = re.compile(r"(?<![\u0621-\u064a])و?على(?![\u0621-\u064a])")


def is_ali(word: str, text: str) -> bool:
    """Whether ``word``, as ``text`` writes it (not folded), is the name علي: so spelled, with
    its own yeh, in a text that writes the preposition على (where the preposition is written
    علي too, the word may be either)."""
    return word == _ALI and _ON_APART.search(text) is not None


# "و" on the article ("والدوسري": "and al-Dosari"): an Arabic word begins so only as "and the
# …"; the foreign names that do (والتر، والاس، والكوت) leave fewer letters after the article.
_AND_THE = AND + ARTICLE
MIN_AFTER_AND_THE = 4


def without_and_on_article(word: str) -> str:
    """An Arabic ``word`` (folded) without the conjunction "و" on its article, or as it is."""
    if word.startswith(_AND_THE) and len(word) - len(_AND_THE) >= MIN_AFTER_AND_THE:
        return word[len(AND):]
    return word


# A sound masculine plural with the article (الباحثون "the researchers", المحتجون "the
# protesters"): a group of people, never one; a shorter stem may be a name (المأمون).
_PLURAL_ENDING = "ون"
MIN_PLURAL_STEM = 4


def names_no_one(key: str) -> bool:
    """Whether a name key of one word names no person: a plural with the article
    (``_PLURAL_ENDING``), or a country or its adjective of origin (روسی، سعودی، بفرنسا), as a
    tagger takes them where news puts a name ("قال الباحثون", "مسؤول روسي")."""
    if " " in key or not key:
        return False
    if key.startswith(ARTICLE) and key.endswith(_PLURAL_ENDING) and len(key) - len(ARTICLE + _PLURAL_ENDING) >= MIN_PLURAL_STEM:
        return True
    return key in _ORIGINS or (key[0] in _PROCLITICS and key[1:] in _ORIGINS)


_ORIGINS = COUNTRIES | ORIGINS


# Letters only Persian writes: a foreign name carries them into Persian, and
# their Arabic stand-ins are what transliteration changes.
_PERSIAN_LETTERS = frozenset("پچژگ")
_STRICT_TABLE = str.maketrans({"پ": "ب", "گ": "ک", "ج": "ک", "غ": "ک", "ژ": "ز", "ف": "و", "ة": "ه"})


def _strict(word: str) -> str:
    return fold_key(word).replace("تش", "چ").replace("چ", "ش").translate(_STRICT_TABLE)


def same_name_across_scripts(persian: str, arabic: str) -> bool:
    """Whether a Persian and an Arabic spelling that share a ``translit_key`` write one name.

    Word by word: spelled alike once folded and once the letters transliterators
    exchange (و/ف, گ/ج/غ/ك, پ/ب, چ/تش, ژ/ز, ه/ة) are one; or, for a word carrying
    a letter only Persian writes (پ چ ژ گ: a foreign name), with vowel letters
    written or left out as well, unless either word is a common word of its
    language rather than a name.  Native names of both languages are spelled
    alike in both: رضا and رياض, سعد and سعيد, جلالي and جليلي are different names.
    """
    return same_name(persian, arabic, ("fa", "ar"))


def same_name(first: str, second: str, languages: tuple[str, str]) -> bool:
    """Whether two spellings (in ``languages``, the same one twice within a script)
    that share a ``translit_key`` write one name, by the rules of
    ``same_name_across_scripts``: in one script too, a long vowel or an article
    more or less makes another name (سعيد, ساعد and سعد; علي, العلي and عليه)."""
    first_words, second_words = name_key(first).split(), name_key(second).split()
    if len(first_words) != len(second_words):
        return False
    for one, other in zip(first_words, second_words, strict=True):
        if _strict(one) == _strict(other):
            continue
        if not (_PERSIAN_LETTERS & set(one + other)) or _word_key(one) != _word_key(other):
            return False
        if common_word(one, languages[0]) or common_word(other, languages[1]):
            return False  # گل is a flower and قائلا "saying": a tagger's slip, not a name
    return True


def common_word(word: str, language: str) -> bool:
    """Whether the folded ``word`` is a common word of ``language`` rather than a name (گل, قائلا)."""
    return lexicon.known(language, word) and not lexicon.is_name(word)


# What a writer of the other script puts for a letter (folded), when transliterating
# a foreign name: Persian و (/v/) is Arabic ف, گ is ج, غ or ک, and so on; back again.
_FOR_ARABIC = {"و": ("ف",), "گ": ("ج", "غ", "ک"), "پ": ("ب",), "چ": ("تش", "ش"), "ژ": ("ج", "ز")}
_FOR_PERSIAN = {"ف": ("و",), "ج": ("گ", "ژ"), "غ": ("گ",), "ک": ("گ",), "ب": ("پ",), "ز": ("ژ",), "ش": ("چ",)}
_DRIFTING = "ای"  # long vowels one script writes and the other leaves out (و is a consonant too often)
MAX_DRIFT = 2  # long vowels written or left out at most in one name (گوترش / غوتيريش)
MIN_DRIFT_LETTERS = 6
MAX_SPELLINGS = 400  # however long the word, this many are made at most


def other_script_spellings(word: str, language: str) -> list[str]:
    """Spellings the other script's writers may give the foreign name ``word`` (folded, written in ``language``).

    Each letter transliterators exchange (Persian و ↔ Arabic ف, گ ↔ ج/غ/ک,
    پ ↔ ب, چ ↔ تش, ژ ↔ ج/ز) is swapped or kept, and up to two long
    vowels (ا ی) dropped or added: بایراموف gives بیراموف and باراموف, لافروف gives
    لاوروف.  Vowels drift only in a word of ``MIN_DRIFT_LETTERS`` or more, or
    one with a letter only Persian writes (a foreign name): in a short native
    word they make another word (عراق / عرق, خادم / خدم).  Every spelling has
    ``word``'s ``translit_key``; the word itself is not among them.  Whether the index has them, and whether they write
    one name, is for the caller to weigh: a word is not a name.
    """
    word = word.replace("\u200c", "")
    if len(word) < 3 or not word.isalpha():
        return []
    swaps = _FOR_ARABIC if language == "fa" else _FOR_PERSIAN
    swapped = [""]
    i = 0
    while i < len(word):
        if language == "ar" and word.startswith("تش", i):
            letter, options = "تش", ("چ",)
        else:
            letter, options = word[i], swaps.get(word[i], ())
        swapped = [head + piece for head in swapped for piece in (letter, *options)][:MAX_SPELLINGS]
        i += len(letter)
    found = dict.fromkeys(swapped)
    drifted = swapped
    drifts = MAX_DRIFT if len(word) >= MIN_DRIFT_LETTERS or _PERSIAN_LETTERS & set(word) else 0
    for _step in range(drifts):
        drifted = list(islice(dict.fromkeys(d for spelling in drifted for d in _drift(spelling)), MAX_SPELLINGS))
        found.update(dict.fromkeys(drifted[:MAX_SPELLINGS - len(found)]))
    key = translit_key(word)
    return [s for s in list(found)[:MAX_SPELLINGS] if s != word and translit_key(s) == key]


def _drift(spelling: str):
    """``spelling`` with one long vowel left out or added (never its first or last letter)."""
    for j in range(1, len(spelling)):
        if spelling[j] in _DRIFTING and j < len(spelling) - 1:
            yield spelling[:j] + spelling[j + 1:]
        if spelling[j - 1] not in _DRIFTING and spelling[j] not in _DRIFTING:
            yield from (spelling[:j] + vowel + spelling[j:] for vowel in _DRIFTING)
