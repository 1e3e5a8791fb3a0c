"""The orthography check of an article, in the words an editor reads."""

from collections import Counter

from django.utils.translation import get_language_bidi, ngettext
from django.utils.translation import gettext as _

from articles.text import DIGIT, LETTER, SPACE, ZWNJ_ISSUE, fix_orthography, orthography_issues

CHECKED_FIELDS = ("title", "lead", "body")


def article_issues(article):
    """``{field name: [OrthographyIssue, ...]}`` for the fields that have any."""
    found = {}
    for name in CHECKED_FIELDS:
        issues = orthography_issues(getattr(article, name) or "", article.language)
        if issues:
            found[name] = issues
    return found


def normalise_article(article):
    """Fix exactly what ``article_issues`` finds; return the names of the fields changed.

    The slug, made from the title as typed, gets the same letters fixed: a
    Persian address has no Arabic ي or ك (an old address still redirects).
    """
    changed = []
    for name in article_issues(article):
        setattr(article, name, fix_orthography(getattr(article, name), article.language))
        changed.append(name)
    slug = _letters_fixed(article.slug, article.language)
    if slug != article.slug:
        article.slug = slug
        changed.append("slug")
    return changed


def _letters_fixed(text, language):
    out, last = [], 0
    for issue in orthography_issues(text, language):
        if issue.kind == LETTER:
            out += [text[last:issue.start], issue.replacement]
            last = issue.end
    return "".join(out) + text[last:]


def describe(article, found):
    """One line per field: "Title: ي → ی ×2 (وزير), 1 doubled space"."""
    lines = []
    for name, issues in found.items():
        label = article._meta.get_field(name).verbose_name
        lines.append(f"{label.capitalize()}: {_(', ').join(_describe_field(getattr(article, name), issues))}")
    return lines


def _describe_field(text, issues):
    parts = []
    # The arrow points from what was typed to the fix in the reading direction.
    arrow = "←" if get_language_bidi() else "→"
    letters = Counter((i.found, i.replacement) for i in issues if i.kind == LETTER)
    for (found, replacement), count in letters.items():
        words = {_word_at(text, i.start) for i in issues if i.kind == LETTER and i.found == found}
        parts.append(_("%(found)s %(arrow)s %(replacement)s ×%(count)s (%(words)s)") % {
            "found": found, "replacement": replacement, "count": count, "arrow": arrow,
            "words": _(", ").join(sorted(words)[:3]),
        })
    counts = Counter(i.kind for i in issues)
    if counts[DIGIT]:
        parts.append(ngettext("%(count)s digit of another digit system", "%(count)s digits of another digit system",
                              counts[DIGIT]) % {"count": counts[DIGIT]})
    if counts[ZWNJ_ISSUE]:
        parts.append(ngettext("%(count)s stray or doubled ZWNJ", "%(count)s stray or doubled ZWNJs",
                              counts[ZWNJ_ISSUE]) % {"count": counts[ZWNJ_ISSUE]})
    if counts[SPACE]:
        parts.append(ngettext("%(count)s misplaced or doubled space", "%(count)s misplaced or doubled spaces",
                              counts[SPACE]) % {"count": counts[SPACE]})
    return parts


def _word_at(text, index):
    start = index
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    end = index + 1
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[start:end]
