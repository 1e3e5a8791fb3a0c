"""Words that stand where people's names stand in untagged news, a feature of the
person-name recogniser.

    .venv/bin/python bench/name_words.py [--language fa|ar]   (run by ``make ner-model``)

ANERcorp's few hundred tagged documents name only so many people; ten million untagged
words name many more, and say so by where they put them: after a title with the
article ("اللاعب ديرك نوفيتسكي", "الرئيس الروسي فلاديمير بوتين") and around "بن"
("سلمان بن عبدالعزيز"); Persian news after an honorific ("آقای محمد جواد ظریف",
"حجت الاسلام حسن روحانی"), as its bare titles head what they lead.  For each folded word this counts its times in such a place
and its times in all; ``entities.name_features`` turns the share into a feature
(``entities.name_features.name_words_path``): ``word TAB times in a name's place TAB times in all``.
No tagged text is read, so the list can be used on any part of the tagged corpus.

Text (``bench/corpora.py``), all of it: Arabic SaudiNewsNet and JawharaFM, Persian Hamshahri
and Fars News.
"""

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.text import ARTICLE, STOP_WORDS, clitic_forms, tokenize  # noqa: E402
from articles.text.names import SON_OF  # noqa: E402
from articles.text.titles import COUNTRIES, HONORIFICS_FA, NOT_NAME, ROLE_WORDS, is_nisba_with_article  # noqa: E402
from bench.corpora import DEFAULT_CORPORA, ant, fars, hamshahri, saudinewsnet  # noqa: E402
from entities.name_features import LANGUAGES, name_words_path  # noqa: E402

READERS = {"ar": (saudinewsnet, ant), "fa": (hamshahri, fars)}
# Titles with the article: a name follows them ("الرئيس بشار الأسد"); a bare
# "رئيس" heads what it is the head of ("رئيس مجلس الشورى").
TITLES = frozenset(w for w in ROLE_WORDS if w.startswith(ARTICLE))
RUN = 3  # words of a name after a title, at most
MIN_PLACES = 2  # times in a name's place for a word to be listed
NOT_NAMES = STOP_WORDS | NOT_NAME | ROLE_WORDS | COUNTRIES


def paragraphs(root: Path, language: str):
    """The folded words of each paragraph, None where punctuation stands between two words."""
    for reader in READERS[language]:
        for article in reader(root):
            for part in (article["title"], article.get("lead") or "", article["body"]):
                for paragraph in part.split("\n"):
                    found, end = [], 0
                    for token in tokenize(paragraph):
                        if found and not paragraph[end:token.start].isspace():
                            found.append(None)
                        found.append(token.text)
                        end = token.end
                    if found:
                        yield found


def may_be_name(word: str | None) -> bool:
    """Whether ``word`` may be a word of a name: letters, not a function, title or
    country word, nor one with a clitic on such a word ("لرئيس", "للأمم")."""
    return bool(word) and word.isalpha() and len(word) >= 2 and clitic_forms(word).isdisjoint(NOT_NAMES)


def count(root: Path, language: str) -> tuple[Counter, Counter]:
    """``(times in a name's place, times in all)`` of each word."""
    places, total = Counter(), Counter()
    mark = _mark_ar if language == "ar" else _mark_fa
    for words in paragraphs(root, language):
        total.update(w for w in words if w)
        mark(words, places)
    return places, total


def _run(words: list, j: int, places: Counter) -> None:
    """Count the up to ``RUN`` words from ``j`` on that may be words of a name."""
    k = j
    while k < min(len(words), j + RUN) and may_be_name(words[k]):
        places[words[k]] += 1
        k += 1


def _mark_ar(words: list, places: Counter) -> None:
    n = len(words)
    for i, word in enumerate(words):
        if word in TITLES:
            j = i + 1
            while j < n and words[j] and (words[j] in COUNTRIES or is_nisba_with_article(words[j])):
                j += 1  # "الرئيس الروسي": the title's qualifier
            if j < n and may_be_name(words[j]) and not words[j].startswith(ARTICLE):
                _run(words, j, places)
        elif word == SON_OF and 0 < i < n - 1:
            for other in (words[i - 1], words[i + 1]):
                if may_be_name(other):
                    places[other] += 1


_LONGEST_HONORIFIC = max(map(len, HONORIFICS_FA))


def _mark_fa(words: list, places: Counter) -> None:
    i, n = 0, len(words)
    while i < n:
        size = next((m for m in range(_LONGEST_HONORIFIC, 0, -1) if tuple(words[i:i + m]) in HONORIFICS_FA), 0)
        if size:
            _run(words, i + size, places)
        i += size or 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=Path(os.environ.get("CORPORA", DEFAULT_CORPORA)))
    parser.add_argument("--language", choices=LANGUAGES, action="append")
    parser.add_argument("--out", type=Path, help="(with one --language) write here instead")
    args = parser.parse_args()
    for language in args.language or LANGUAGES:
        started = time.perf_counter()
        places, total = count(args.corpora, language)
        rows = sorted((w, n, total[w]) for w, n in places.items() if n >= MIN_PLACES)
        out = args.out or name_words_path(language)
        out.write_text("".join(f"{w}\t{n}\t{t}\n" for w, n, t in rows), encoding="utf-8")
        print(f"  {language}: {sum(total.values())} words, {len(rows)} listed -> {out} "
              f"({out.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.0f}s)", flush=True)


if __name__ == "__main__":
    main()
