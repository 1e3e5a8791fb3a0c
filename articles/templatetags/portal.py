"""Template helpers for dates and digits in the reader's language."""

from django import template
from django.utils import timezone, translation

from articles.dates import DEFAULT_TIME_ZONES, format_gregorian, format_jalali
from articles.text import localize_digits

register = template.Library()


def _ui_language():
    return (translation.get_language() or "fa").split("-")[0]


@register.filter
def digits(value):
    """Digits written the way the current UI language writes them."""
    return localize_digits(str(value), _ui_language())


@register.filter
def jalali(value, with_time=False):
    """A datetime as a Jalali date ("۱۰ آبان ۱۴۰۰")."""
    if not value:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_jalali(value, with_time=bool(with_time), digits="fa" if _ui_language() == "fa" else "en")


@register.filter
def gregorian(value, with_time=False):
    """A datetime as a Gregorian date with month names in the UI language."""
    if not value:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_gregorian(value, _ui_language(), with_time=bool(with_time))


@register.filter
def text_dir(language):
    """``rtl`` for Persian and Arabic content, ``ltr`` otherwise."""
    return "rtl" if language in ("fa", "ar") else "ltr"


@register.simple_tag(takes_context=True)
def url_with(context, **changes):
    """The current query string with some parameters replaced (for pagination and filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.filter
def published_label(article):
    """When an article was published, in the UI's calendar and digits.

    Persian readers get the Jalali date with the Gregorian one beside it;
    the time is shown only when the source gave it, on the clock the source
    used (Tehran for Persian, UTC+3 for Arabic), so it matches the original.
    """
    if not article.published:
        return ""
    when = timezone.localtime(article.published, DEFAULT_TIME_ZONES.get(article.language, DEFAULT_TIME_ZONES["fa"]))
    with_time = not article.date_only
    if _ui_language() == "fa":
        return f"{format_jalali(when, with_time=with_time)} ({format_gregorian(when, 'fa')})"
    return format_gregorian(when, _ui_language(), with_time=with_time)


@register.simple_tag
def page_numbers(page_obj, around=2):
    """The page numbers a pagination bar shows: the first, the last and ``around`` each side of the current one.

    ``None`` marks a gap ("…").
    """
    last, current = page_obj.paginator.num_pages, page_obj.number
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    numbers = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None) if number - numbers[-1] > 2 else numbers.append(number - 1)
        numbers.append(number)
    return numbers
