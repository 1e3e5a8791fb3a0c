"""Forms of the editors' desk: Jalali dates, the article form, the upload form."""

import datetime as dt
import re

import jdatetime
from django import forms
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.dates import DEFAULT_TIME_ZONES, EARLIEST, LATEST, ParsedDate, in_range, month_lookup, year_calendar
from articles.models import Article, Language, Source
from articles.text import detect_language, localize_digits, normalize_key, to_ascii_digits
from articles.text.calendar import TIME_TYPED

from .locking import VersionedForm

_NUMERIC_RE = re.compile(rf"(?P<y>\d{{4}})[/\-.](?P<m>\d{{1,2}})[/\-.](?P<d>\d{{1,2}}){TIME_TYPED}")
_NAMED_RE = re.compile(rf"(?P<d>\d{{1,2}})\s+(?P<month>\D+?)\s+(?P<y>\d{{4}}){TIME_TYPED}")


def parse_editor_datetime(text, tz):
    """Read what an editor typed: "۱۴۰۰/۰۸/۱۰ ۲۳:۵۶", "10 آبان 1400", "2021-11-01 23:56".

    Years are Jalali or Gregorian as ``articles.dates.year_calendar`` tells
    (the portal's range of dates); any digits.  Returns a
    ``ParsedDate`` in ``tz`` (date only when no time was given), or raises
    ``ValueError`` with a message for the editor.
    """
    text = " ".join(to_ascii_digits(text).split())
    m = _NUMERIC_RE.fullmatch(text)
    if m:
        calendar = year_calendar(int(m["y"]))
        month = int(m["m"])
    else:
        m = _NAMED_RE.fullmatch(text)
        found = month_lookup(m["month"]) if m else None
        if not found:
            raise ValueError(_("Write the date as year/month/day, e.g. 1400/08/10 23:56."))
        calendar, month = found
    if calendar is None or year_calendar(int(m["y"])) != calendar:
        raise ValueError(_("The year must be Jalali (such as ۱۴۰۳) or Gregorian (such as 2024)."))
    try:
        if calendar == "jalali":
            day = jdatetime.date(int(m["y"]), month, int(m["d"])).togregorian()
        else:
            day = dt.date(int(m["y"]), month, int(m["d"]))
    except ValueError:
        raise ValueError(_("There is no such day in the calendar.")) from None
    if not in_range(day):
        raise ValueError(_("The date must be between %(earliest)s and %(latest)s.") % {
            "earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()})
    if m["hh"] is None:
        return ParsedDate(dt.datetime(day.year, day.month, day.day, tzinfo=tz), True)
    hour, minute = int(m["hh"]), int(m["mm"])
    if hour > 23 or minute > 59:
        raise ValueError(_("The time must be between 00:00 and 23:59."))
    return ParsedDate(dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz), False)


def format_editor_datetime(value, *, date_only=False, tz=None):
    """A datetime as the editor types it: Jalali in the Persian admin, Gregorian otherwise.

    On ``tz``'s clock (an article's: ``articles.dates.DEFAULT_TIME_ZONES``), else the site's.
    """
    value = timezone.localtime(value, tz)
    language = (translation.get_language() or "fa").split("-")[0]
    if language == "fa":
        j = jdatetime.datetime.fromgregorian(datetime=value)
        text = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
    else:
        text = f"{value:%Y/%m/%d}"
    if not date_only:
        text += f" {value:%H:%M}"
    return localize_digits(text, language)


def gregorian_label(value, date_only):
    """"2021-11-01 23:56 (Gregorian)": the stored date, for editors who check it against a source."""
    return f"{value:%Y-%m-%d}" + ("" if date_only else f" {value:%H:%M}") + f" ({_('Gregorian')})"


class JalaliDateTimeWidget(forms.TextInput):
    """A text box with the date in the editor's calendar and digits."""

    tz = None  # the clock it shows: the article's (set by the form), else the site's

    def __init__(self, attrs=None):
        # Dates read left to right even in a right-to-left page.
        super().__init__({"dir": "ltr", "size": 18, "autocomplete": "off", "placeholder": localize_digits("1400/08/10 23:56", "fa"), **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.datetime):
            return format_editor_datetime(value, tz=self.tz)
        return super().format_value(value)


class JalaliDateTimeField(forms.Field):
    """A publication date typed in Jalali (or Gregorian); cleans to a ``ParsedDate`` or ``None``."""

    widget = JalaliDateTimeWidget
    tz = None  # the clock a typed time is on: the article's (set by the form), else the site's

    def to_python(self, value):
        if isinstance(value, dt.datetime):
            return ParsedDate(value, False)
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return parse_editor_datetime(str(value), self.tz or timezone.get_current_timezone())
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def has_changed(self, initial, data):
        # Compared to the minute, which is all the text box shows.
        def minute(value):
            parsed = self.to_python(value)
            return parsed.value.replace(second=0, microsecond=0) if parsed else None

        try:
            return minute(initial) != minute(data)
        except forms.ValidationError:
            return True


class ArticleAdminForm(VersionedForm):
    """The article form: Jalali publication date, language detected when left empty;
    a save over someone else's newer one is refused (``editors.locking``)."""

    published = JalaliDateTimeField(
        label=_("published"), required=False,
        help_text=_(
            "Jalali, e.g. 1400/08/10 23:56, on the clock readers see: Tehran time for Persian articles, UTC+3 for "
            "Arabic ones; a Gregorian date such as 2021/11/01 works too. "
            "Leave out the time when only the day is known; leave empty while the date is unknown."
        ),
    )
    language = forms.ChoiceField(
        label=_("language"), required=False, choices=[("", _("Detect from the text"))] + Language.choices,
        help_text=_("Left on “detect”, the language is read from the title and text; correct it if it is wrong."),
    )

    stale_message = _(
        "Someone else saved this article after you opened it. Copy your changes, "
        "open the article again and apply them there."
    )

    class Meta:
        model = Article
        fields = ["title", "slug", "lead", "body", "language", "status", "published", "source", "via", "dateline", "external_id", "url"]
        widgets = {
            "title": forms.TextInput(attrs={"dir": "auto", "class": "vLargeTextField editor-title"}),
            "lead": forms.Textarea(attrs={"dir": "auto", "rows": 3}),
            "body": forms.Textarea(attrs={"dir": "auto", "rows": 18}),
            "dateline": forms.TextInput(attrs={"dir": "auto"}),
            "url": forms.URLInput(attrs={"dir": "ltr", "class": "vURLField"}),
            "external_id": forms.TextInput(attrs={"dir": "ltr"}),
        }
        help_texts = {
            "title": _("As readers will see it. The orthography is checked when you save."),
            "slug": _("The article's address; filled in from the title, Persian and Arabic letters allowed."),
            "status": _("Only published articles appear on the site and in search, the moment you save."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        # Times on the article's clock, as its page shows them (the Arabic seed's 15:05, not 15:35 Tehran).
        zone = DEFAULT_TIME_ZONES.get(self.data.get("language") if self.is_bound else instance.language)
        self.fields["published"].tz = self.fields["published"].widget.tz = zone
        if instance.pk and instance.published:
            if instance.date_only:
                self.initial["published"] = format_editor_datetime(instance.published, date_only=True, tz=zone)
            local = timezone.localtime(instance.published, zone)
            field = self.fields["published"]
            field.help_text = format_html("{} <bdi dir=\"ltr\">{}</bdi>. {}", _("Now"), gregorian_label(local, instance.date_only), field.help_text)

    def clean_published(self):
        parsed = self.cleaned_data["published"]
        if "published" not in self.changed_data:
            return self.instance.published  # keeps the seconds an import may have had
        self.instance.date_only = bool(parsed and parsed.date_only)
        return parsed.value if parsed else None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("language"):
            text = "\n".join(cleaned.get(name) or "" for name in ("title", "lead", "body"))
            detected = detect_language(text)
            if detected is None:
                self.add_error("language", _("No Persian or Arabic text found; choose the language."))
            else:
                cleaned["language"] = detected
        zone, published = DEFAULT_TIME_ZONES.get(cleaned.get("language")), cleaned.get("published")
        if zone and published and "published" in self.changed_data:
            cleaned["published"] = published.replace(tzinfo=zone)  # the time as typed, on the detected language's clock
        return cleaned


class SourceAdminForm(forms.ModelForm):
    """A source; a name that is another spelling of an existing source's is refused."""

    class Meta:
        model = Source
        fields = ["name", "name_en", "slug"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        same = Source.objects.filter(key=normalize_key(name)).exclude(pk=self.instance.pk).first()
        if same:
            raise forms.ValidationError(
                _("This is another spelling of the source “%(name)s”; choose that one."), params={"name": same.name},
                code="duplicate",
            )
        return name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.jsonl,.zip"}))
        # An empty file is the importer's to reject ("empty file"), beside the
        # good files of the same upload, not a reason to refuse the whole form.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            if not data and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "Agency text files (.txt), JSON Lines feeds (.jsonl) or .zip archives of them. "
            "Each file is reported as created, updated, unchanged or rejected with the reason."
        ),
    )
