"""Dates of events as precise as they are known, in both calendars."""

import calendar
import datetime as dt

from django import template
from django.utils import translation

from articles.dates import GREGORIAN_MONTHS_AR, GREGORIAN_MONTHS_FA, JALALI_MONTHS, format_gregorian, format_jalali, jalali
from articles.text import localize_digits

register = template.Library()


def _lang():
    return (translation.get_language() or "fa").split("-")[0]


def gregorian_label(day: dt.date, precision: str, lang: str) -> str:
    """"1994", "May 1994" or "12 May 1994" in ``lang``'s month names and digits."""
    if precision == "year":
        return localize_digits(str(day.year), lang)
    if precision == "month":
        months = {"fa": GREGORIAN_MONTHS_FA, "ar": GREGORIAN_MONTHS_AR}.get(lang)
        month = months[day.month - 1] if months else day.strftime("%B")
        return localize_digits(f"{month} {day.year}", lang)
    return localize_digits(format_gregorian(day, lang), lang)


def jalali_label(day: dt.date, precision: str, lang: str) -> str:
    """The same period in the Jalali calendar; a Gregorian year or month spans two Jalali ones."""
    digits = "fa" if lang == "fa" else "en"
    if precision == "day":
        return format_jalali(day, digits=digits)
    if precision == "year":
        first, last = jalali(dt.date(day.year, 1, 1)), jalali(dt.date(day.year, 12, 31))
        return localize_digits(f"{first.year}–{last.year}", digits)
    first = jalali(day)
    last = jalali(day.replace(day=calendar.monthrange(day.year, day.month)[1]))
    text = f"{JALALI_MONTHS[first.month - 1]} {first.year} – {JALALI_MONTHS[last.month - 1]} {last.year}"
    return localize_digits(text, digits)


@register.simple_tag
def event_dates(event):
    """``{"gregorian": ..., "jalali": ...}`` for the event's start (and end)."""
    if not event.start:
        return {}
    lang = _lang()
    spans = [(event.start, event.start_precision)] + ([(event.end, event.end_precision)] if event.end else [])
    return {
        "gregorian": " – ".join(gregorian_label(d, p, lang) for d, p in spans),
        "jalali": " – ".join(jalali_label(d, p, lang) for d, p in spans),
    }


@register.simple_tag
def article_entities(article):
    """People, events and same-story articles for an article page."""
    from articles.duplicates import near_duplicates_of
    from entities.models import ArticleEvent, ArticlePerson, Event, Person

    return {
        "people": Person.objects.filter(article_links__in=ArticlePerson.objects.visible().filter(article=article)).order_by("name_en"),
        "events": Event.objects.filter(article_links__in=ArticleEvent.objects.visible().filter(article=article)).order_by("start"),
        "same_story": near_duplicates_of(article),
    }
