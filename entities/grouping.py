"""Which names belong to one person: the rules discovery groups names by, over plain data.

Nothing here reads or writes the database: ``entities.people`` reads the
mentions and the stored groups, hands them to these functions as rows, sets
and dicts, and writes what they decide.  A mention row is ``(article,
language, text, name_key, translit_key)``; an article's context is
what else it names (transliteration keys, their last words, and known people
as ``#id``).

* one group per transliteration key; its Persian and Arabic sides join when
  their spellings write one name (``same_name_across_scripts``) and they share
  context (another name, or a known person, named in articles of both sides),
  or for a full name when nothing tells them apart; a lone word never joins on
  the key alone, and a lone surname joins the one full name ending with it;
* within one script, a name sharing its key with a commoner one (سعيد / ساعد)
  is a group of its own (``variants_apart``);
* a key that belongs to one known person (an alias of the knowledge base) is
  absorbed by that person; a key two known people share goes to the one named
  beside it in the group's articles, or to nobody (``known_person``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from articles.text import fold_key
from articles.text.names import (
    NAME_CACHE,
    common_word,
    continues_name,
    display_name,
    ends_name,
    name_key,
    names_a_father,
    names_an_institution,
    names_no_one,
    same_name,
    same_name_across_scripts,
    translit_key,
    without_article_preposition,
    without_proclitic,
    without_titles,
)

# A recogniser's span this unsure is not a name worth a page.
MIN_SCORE = 0.5
MIN_KEY_LETTERS = 3
AR_SUFFIX = "@ar"
# Names beside a side of a key that tell it apart from the other side when none is shared.
RICH_CONTEXT = 1
LONE_WORD_LETTERS = 4
SPLIT_PREFIX = "="


def mentions_in(spans, language: str | None = None) -> dict[str, dict]:
    """``{name_key: {"text", "translit_key", "positions"}}`` of the people's names among the
    recogniser's ``spans`` of one article in ``language`` (what ``names.find_names`` finds in it)."""
    found = {}
    spans = [span for span in spans if span.score >= MIN_SCORE]
    keys = [name_key(span.text) for span in spans]
    # "وكريم بنزيما" beside "كريم بنزيما", "والسيسي" beside "عبد الفتاح السيسي": the conjunction is not the name
    named = {word for key in keys for word in key.split()}
    for span, key in zip(spans, keys, strict=True):
        if key:
            head, _sep, rest = key.partition(" ")
            key = " ".join(filter(None, (without_proclitic(head, named, language), rest)))
        if names_an_institution(key):
            continue
        tkey = translit_key(key)
        if len(tkey.replace(" ", "")) < MIN_KEY_LETTERS:
            continue
        entry = found.setdefault(key, {"text": _display(span.text, key), "translit_key": tkey, "positions": []})
        entry["positions"].append([span.start, span.end])
    _attach_surnames(found)
    for key in [k for k in found if names_no_one(k)]:  # after a surname such as المصري joined its name
        del found[key]
    return found


@lru_cache(maxsize=NAME_CACHE)  # the same names, written the same way, in article after article
def _display(text: str, key: str) -> str:
    """The name as written, without the title words ``name_key`` dropped."""
    words = without_titles(text).split()
    head = key.split(" ", 1)[0]
    if words and len(words[0]) > 1 and fold_key(words[0][1:]) == head:
        words[0] = words[0][1:]  # the conjunction or preposition name_key dropped
    elif words and (bare := without_article_preposition(words[0])) != words[0] and fold_key(bare) == head:
        words[0] = bare  # "للسيسي": the preposition on the article
    return " ".join(words) or text


def _attach_surnames(found: dict) -> None:
    """A surname alone ("لاوروف") joins the one full name of the article ending with it, a name
    written short ("سلمان بن عبدالعزیز") the one it begins with a father's or family name after it,
    or the one it ends ("منصور هادی" after "عبد ربه منصور هادی" in one report)."""
    full = defaultdict(list)
    for key in found:
        parts = key.split()
        if len(parts) > 1 and not names_a_father(parts[-2]):
            full[parts[-1]].append(key)
    for key in [k for k in found if " " not in k]:
        if len(full.get(key, ())) == 1:
            found[full[key][0]]["positions"] += found.pop(key)["positions"]
    for key in sorted((k for k in found if " " in k), key=len):
        longer = [k for k in found if continues_name(key, k) or ends_name(key, k)]
        if len(longer) == 1:
            found[longer[0]]["positions"] += found.pop(key)["positions"]


def variants_apart(rows, language: str, groups: dict) -> list:
    """The rows of one script's side of a key that write its most frequent name; each other
    name sharing the key (سعيد / ساعد / سعد, علي / العلي: the key leaves out long vowels and
    the article, which tell native names apart) goes to a group of its own, as an editor's split would."""
    if not rows:
        return rows
    top = _top(Counter(row[3] for row in rows))
    same = {top: True}
    kept = []
    for row in rows:
        nkey = row[3]
        if nkey not in same:
            same[nkey] = same_name(nkey, top, (language, language))
        if same[nkey]:
            kept.append(row)
        else:
            groups[variant_key(nkey, language)].append(row)
    return kept


def variant_key(nkey: str, language: str) -> str:
    """The group of a name kept apart from its key's commoner one, per script: the two
    scripts' variants of a key (حامد beside Arabic حمد and beside Persian حمید) never meet."""
    return SPLIT_PREFIX + nkey + (AR_SUFFIX if language == "ar" else "")


def may_join(tkey: str, fa, ar) -> bool:
    """Whether the two sides of a key may be one person at all: a name of several words whose
    sides' most frequent spellings write one name (``share_context`` then asks who is beside them)."""
    # رضا/رياض, سعد/سعيد: native names are spelled alike in both scripts
    return " " in tkey and same_name_across_scripts(top_text(fa), top_text(ar))


def share_context(tkey: str, fa, ar, context, own: set[str], forenames: set[str], named_forenames: set[str]) -> bool:
    """Whether the Persian and Arabic sides of a key are one person.

    Their most frequent spellings must write one name
    (``same_name_across_scripts``); then they are when their articles name
    someone in common.  Without that, a
    full name (two words or more) still joins unless both sides are well
    known apart (each named beside at least ``RICH_CONTEXT`` others, none
    shared): more context would be surer, but a smaller corpus then keeps
    apart who should meet (recall) rather than merging two people (precision).
    A name many people carry (``_common_name``), or one spelled alike in both
    scripts, needs someone named on both sides.
    A lone word never joins: a surname alone names a family, not a person
    (رحیمی, بارزانی: in a hand check at 48k articles, half of the lone words
    joined across scripts were different people or no name at all); it
    reaches its person through the one full name ending with it (``Owners.owners``).

    ``own``: the people (``#id``) the key's groups went to before; ``forenames``: the
    words some name begins with (among the keys regrouped or the stored groups),
    ``named_forenames`` those of them some name named in an article now begins with.
    """
    if not may_join(tkey, fa, ar):
        return False
    # the name itself is no company, nor the person its groups went to before (its own links
    # would keep two sides together once joined), nor a piece of a name too short to be a key
    own = {tkey, tkey.rsplit(" ", 1)[-1]} | own

    def names_beside(rows):
        beside = set().union(*(context[row[0]] for row in rows)) - own
        return {name for name in beside if name.startswith("#") or len(name.replace(" ", "")) >= MIN_KEY_LETTERS}
    fa_beside, ar_beside = names_beside(fa), names_beside(ar)
    if _company(fa_beside & ar_beside, forenames):
        return True
    if min(len(fa_beside), len(ar_beside)) >= RICH_CONTEXT or _common_name(tkey, fa, ar, named_forenames):
        return False
    # Nothing tells them apart.  A name each script spells its own way (لاوروف / لافروف) was
    # transliterated from a third language, and two such spellings seldom meet by chance; one
    # spelled alike in both is most often an Arabic name, which many people in both worlds carry
    # (48k hand check: محمد الدراجي the film maker and the activist).
    return name_key(top_text(fa)) != name_key(top_text(ar))


def _company(shared: set[str], forenames: set[str]) -> set[str]:
    """What of ``shared`` tells who a name is: people, full names and surnames, not a first
    name alone (محمد, إبراهيم), which long lists of names share by chance."""
    return shared - (lone_words(shared) & forenames)


def _common_name(tkey: str, fa, ar, forenames: set[str]) -> bool:
    """Whether many people may carry the name: its last word is another name's first word
    (``forenames``) or a common word (محمد علي, أحمد إبراهيم, محمد جواد): then only a name
    beside it on both sides joins them."""
    surname = tkey.rsplit(" ", 1)[-1]
    return surname in forenames or any(common_word(name_key(top_text(rows)).rsplit(" ", 1)[-1], language)
                                       for rows, language in ((fa, "fa"), (ar, "ar")))


def lone_words(names) -> set[str]:
    """The names of one word among ``names`` (a context's keys and surnames, not its ``#id`` people)."""
    return {name for name in names if " " not in name and not name.startswith("#")}


def top_text(rows) -> str:
    """The most frequent spelling of mention ``rows``."""
    return _top(Counter(row[2] for row in rows))


def _top(spellings: dict) -> str:
    return max(spellings, key=lambda s: (spellings[s], s)) if spellings else ""


def forename_of(key: str) -> str:
    """A group's first word, when its key is a name of several words (not an editor's split)."""
    base = key.removesuffix(AR_SUFFIX)
    return base.split(" ", 1)[0] if " " in base and not base.startswith(SPLIT_PREFIX) else ""


def surname_of(key: str) -> str:
    """A group's last word, when its key is a name of several words (not an editor's split)."""
    base = key.removesuffix(AR_SUFFIX)
    return base.rsplit(" ", 1)[-1] if " " in base and not base.startswith(SPLIT_PREFIX) else ""


def known_person(key: str, known: dict, articles: set[int], context) -> int | None:
    """The known person a group's key belongs to: the only one, or of several the one named beside it."""
    people = known.get(key.removesuffix(AR_SUFFIX), set())
    if len(people) == 1:
        return next(iter(people))
    beside = Counter(p for article in articles for p in people if f"#{p}" in context.get(article, ()))
    ranked = beside.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


class Owners:
    """Who the groups of a length of keys may belong to: longer names' groups, already written.

    ``forenames``: the lone words among the keys that are a stored group's
    first word; ``by_surname``: the stored groups with a person, by the lone
    word their key ends with; ``by_forename``: ``(key, person)`` of the stored
    groups with a person, by their first word.
    """

    def __init__(self, forenames: set[str], by_surname: dict[str, list], by_forename: dict[str, list[tuple[str, int]]]):
        self.forenames, self.by_surname, self.by_forename = forenames, by_surname, by_forename

    def forename(self, key: str) -> bool:
        """Whether a lone word is someone's first name ("محمد", "حسن"): no person on its own."""
        if " " in key or key.startswith(SPLIT_PREFIX):
            return False
        return key.removesuffix(AR_SUFFIX) in self.forenames

    def longer_owners(self, key: str) -> set[int]:
        """The people of the names that write this one in full, with a father's or family name
        after it (``continues_name``): one, and it is theirs; two, and it may be either's."""
        base = key.removesuffix(AR_SUFFIX)
        if " " not in base or base.startswith(SPLIT_PREFIX):
            return set()
        return {person for other, person in self.by_forename.get(base.split(" ", 1)[0], ())
                if other.startswith(base + " ") and continues_name(base, other.removesuffix(AR_SUFFIX))}

    def owners(self, key: str, rows) -> set[int]:
        """The people of the full names a lone surname's key ends with (one: it is theirs; two: it may be
        either's), written alike in the surname's script or, in the other, as the same name
        (``same_name_across_scripts``)."""
        if " " in key or key.startswith(SPLIT_PREFIX) or len(key.removesuffix(AR_SUFFIX)) < LONE_WORD_LETTERS or not rows:
            return set()
        languages = Counter(row[1] for row in rows)
        language = languages.most_common(1)[0][0]
        spelling = top_text([row for row in rows if row[1] == language])
        owners = set()
        for candidate in self.by_surname.get(key.removesuffix(AR_SUFFIX), ()):
            same = candidate.spellings.get(language)
            other = candidate.spellings.get("ar" if language == "fa" else "fa")
            if same:
                owners.add(candidate.person_id)
            elif other:
                last = _top(other).split()[-1]
                pair = (last, spelling) if language == "ar" else (spelling, last)
                if same_name_across_scripts(*pair):
                    owners.add(candidate.person_id)
        return owners


def person_names(candidate, others=()) -> dict:
    """A gathered person's names: per script, the most frequent spelling of its own group
    (else of the other groups it took in), else the other script's in this one's letters."""
    def top(language):
        return _top(candidate.spellings.get(language, {})) or _top(
            Counter({s: n for other in others for s, n in other.spellings.get(language, {}).items()}))
    fa, ar = top("fa"), top("ar")
    fa, ar = display_name(fa or ar, "fa"), display_name(ar or fa, "ar")
    return {"name_fa": fa[:300], "name_ar": ar[:300], "name_en": fa[:300]}


def group_key(name_key_: str, tkey: str, language: str, splits: set[str], groups: set[str]) -> str:
    """The group a mention belongs to, among the existing ``groups``."""
    if SPLIT_PREFIX + name_key_ in splits:
        return SPLIT_PREFIX + name_key_
    if variant_key(name_key_, language) in groups:
        return variant_key(name_key_, language)
    if language == "ar" and tkey + AR_SUFFIX in groups:
        return tkey + AR_SUFFIX
    return tkey
