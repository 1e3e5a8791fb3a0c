"""Pieces the portal's ModelAdmins share: search with the portal's folding, Jalali date filter."""

import datetime as dt
from functools import reduce
from operator import and_, or_

import jdatetime
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from articles.dates import GREGORIAN_MONTHS_AR, JALALI_MONTHS
from articles.text import fold_pattern, localize_digits
from entities.models import Band, Fingerprint, NearDuplicate
from entities.related import title_query
from search.params import SearchParams
from search.service import PageOutOfRange, run_search

MAX_WORDS, MAX_WORD = 8, 60


class CheckedLookupsChangeList(ChangeList):
    """A change list whose filters from the address are checked before the page is built.

    The admin takes any field lookup from the query string; one that Django
    can only turn into SQL by building an impossible date
    (``?published__year=99999``, ``?published__gte=0001-01-01``) failed while
    the page rendered, a 500.  Building the SQL here makes it the admin's own
    "invalid lookup" answer (a redirect to ``?e=1``) instead.
    """

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        try:
            queryset.query.sql_with_params()
        except (ValueError, OverflowError, TypeError) as exc:
            raise IncorrectLookupParameters(exc) from exc
        return queryset


class CheckedLookupsMixin:
    """For ModelAdmins: the change list checks the lookups it was given (``CheckedLookupsChangeList``)."""

    def get_changelist(self, request, **kwargs):
        return CheckedLookupsChangeList


class FoldedSearchMixin:
    """Admin search that finds every spelling: ميانجيگري finds میانجیگری.

    Each word of the query must match one of ``search_fields`` through
    ``articles.text.fold_pattern`` (a regular expression, so it works the
    same on SQLite and PostgreSQL); a number also finds the row with that id.
    """

    search_help_text = _("Any spelling: Arabic or Persian ی and ک, with or without diacritics and ZWNJ, any digits.")

    def get_search_results(self, request, queryset, search_term):
        # A bounded query: every word is one regular expression per field.
        words = [word[:MAX_WORD] for word in search_term.split()[:MAX_WORDS]]
        if not words:
            return queryset, False
        fields = [f.lstrip("^=@") for f in self.get_search_fields(request)]
        conditions = [reduce(or_, (Q(**{f"{field}__regex": fold_pattern(word)}) for field in fields)) for word in words]
        match = reduce(and_, conditions) | self.search_also(request, words)
        if search_term.strip().isdigit():
            match |= Q(pk=int(search_term))
        return queryset.filter(match), any("__" in field for field in fields)

    def search_also(self, request, words):
        """Rows found some other way than ``search_fields`` (a ``Q``; none by default)."""
        return Q()


# Body matches the admin search takes from the search index: the change list
# shows 50 a page, and a word in thousands of bodies is better narrowed down.
TEXT_MATCHES = 500


def text_matches(words) -> list[int]:
    """Ids of published articles whose title, lead or body has every one of ``words``, in any spelling.

    Read from the search index (the portal's folding, one search), so the body
    is searched without a regular expression over every row.
    """
    query = " ".join(f'"{word}"' for word in (title_query(w) for w in words) if word)
    ids = []
    for page in range(1, TEXT_MATCHES // 100 + 1):
        try:
            result = run_search(SearchParams(q=query, page=page, page_size=100)) if query else None
        except PageOutOfRange:
            break
        # Every word is required: a reader's search falls back to any of them, an editor's does not.
        hits = result.hits if result is not None and not result.phrases_dropped else []
        ids += [hit.id for hit in hits]
        if len(hits) < 100:
            break
    return ids


class BodySearchMixin:
    """The article list's search also finds words in the body (published articles, through the search index)."""

    def search_also(self, request, words):
        ids = text_matches(words)
        return Q(pk__in=ids) if ids else Q()


class JalaliDateFilter(admin.SimpleListFilter):
    """Publication date by the editor's calendar: Jalali months and years in the Persian admin."""

    title = _("published")
    parameter_name = "published_in"
    field = "published"

    def lookups(self, request, model_admin):
        today = timezone.localdate()
        if self._jalali():
            month = JALALI_MONTHS[jdatetime.date.fromgregorian(date=today).month - 1]
        elif (translation.get_language() or "").startswith("ar"):
            month = GREGORIAN_MONTHS_AR[today.month - 1]
        else:
            month = today.strftime("%B")
        return [
            ("today", _("Today")),
            ("7days", _("Past 7 days")),
            ("month", _("This month (%(month)s)") % {"month": month}),
            ("year", _("This year")),
            ("none", _("No date yet")),
        ]

    def queryset(self, request, queryset):
        choice = self.value()
        if choice == "none":
            return queryset.filter(**{f"{self.field}__isnull": True})
        if choice not in ("today", "7days", "month", "year"):
            return queryset
        start = self._start(choice, timezone.localdate())
        midnight = timezone.make_aware(dt.datetime.combine(start, dt.time()))
        return queryset.filter(**{f"{self.field}__gte": midnight})

    def _start(self, choice, today):
        if choice == "today":
            return today
        if choice == "7days":
            return today - dt.timedelta(days=6)
        if self._jalali():
            j = jdatetime.date.fromgregorian(date=today)
            return (j.replace(day=1) if choice == "month" else j.replace(month=1, day=1)).togregorian()
        return today.replace(day=1) if choice == "month" else today.replace(month=1, day=1)

    @staticmethod
    def _jalali():
        return (translation.get_language() or "fa").startswith("fa")


class PossibleDuplicateFilter(admin.SimpleListFilter):
    """Articles that tell the same story as another one (found by ``entities.duplicates``)."""

    title = _("possible duplicate")
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", _("Possible duplicate")), ("no", _("No duplicate found"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        paired = Q(pk__in=NearDuplicate.objects.values("first")) | Q(pk__in=NearDuplicate.objects.values("second"))
        return queryset.filter(paired) if self.value() == "yes" else queryset.exclude(paired)


class DerivedRowsHiddenMixin:
    """The delete confirmation lists what editors know, not the rows the portal derives and deletes along.

    Near-duplicate detection keeps fingerprints, LSH bands and pairs per
    article; Django would list each ("Band: 6:-3725…"), dozens per article.
    They are still deleted: only the summary leaves them out.
    """

    derived_models = (Band, Fingerprint, NearDuplicate)

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Django names a row of a model without an admin "Verbose name: row".
        prefixes = tuple(f"{capfirst(model._meta.verbose_name)}: " for model in self.derived_models)
        plurals = {str(model._meta.verbose_name_plural) for model in self.derived_models}
        language = (translation.get_language() or "fa").split("-")[0]
        model_count = {name: localize_digits(str(count), language) for name, count in model_count.items() if str(name) not in plurals}
        return _pruned(to_delete, prefixes), model_count, perms_needed, protected


def _pruned(items, prefixes):
    # A nested list follows the row it belongs to: both go.
    kept, skip_children = [], False
    for item in items:
        if isinstance(item, list):
            if not skip_children:
                kept.append(_pruned(item, prefixes))
            skip_children = False
        elif isinstance(item, str) and item.startswith(prefixes):
            skip_children = True
        else:
            kept.append(item)
            skip_children = False
    return kept
