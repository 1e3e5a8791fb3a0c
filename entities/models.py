"""People, events and places, their names in three languages, and which articles mention them."""

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Language, Versioned
from articles.text import has_arabic_script, localize_digits, normalize_key
from articles.text.names import split_names


class AliasLanguage(models.TextChoices):
    PERSIAN = "fa", _("Persian")
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")


class Named(Versioned):
    """A name in Persian, Arabic and English, and a slug."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=300)
    name_ar = models.CharField(_("Arabic name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self):
        # in the interface language: the admin's lists, choices and messages show it
        return self.name or self.name_fa

    @property
    def names(self):
        return {"fa": self.name_fa, "ar": self.name_ar, "en": self.name_en}

    @property
    def english_name(self) -> str:
        """``name_en`` where it is English: a gathered person's holds the Persian spelling (the field
        may not be empty) until an editor writes the English one."""
        return "" if has_arabic_script(self.name_en) else self.name_en

    @property
    def name(self):
        """The name in the reader's interface language (English otherwise)."""
        return self.names.get((get_language() or "en")[:2]) or self.name_en


class Place(Named):
    """Where events happen and what articles are about; contested names are written out in ``other_names``."""

    other_names = models.CharField(
        _("other names"), max_length=500, blank=True,
        help_text=_("Other ways the name is written, separated by «،» or «,»: search finds the place by each of them, "
                    "in every language, as by its three names."),
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    @property
    def spellings(self) -> list[str]:
        """Every way the place's name is written: its names in the three languages and its other
        names (listed with "،" or ","), a name in parentheses apart ("خانکندی (استپاناکرت)")."""
        return split_names(",".join((self.name_fa, self.name_ar, self.name_en, self.other_names)))


class EntityQuerySet(models.QuerySet):
    def matching(self, text):
        """Entities whose name or alias contains ``text`` in any spelling."""
        key = normalize_key(text)
        if not key:
            return self
        return self.filter(models.Q(aliases__key__contains=key) | models.Q(name_en__icontains=text.strip())).distinct()

    def most_named(self, *, language: str | None = None, since=None):
        """Those named in any article (of ``language``, published ``since``), most-named first, with ``article_count``."""
        links = ~models.Q(article_links__origin="rejected") & models.Q(article_links__article__status=Article.Status.PUBLISHED)
        if language:
            links &= models.Q(article_links__article__language=language)
        if since is not None:
            links &= models.Q(article_links__article__published__gte=since)
        counted = self.annotate(article_count=models.Count("article_links__article", filter=links, distinct=True))
        return counted.filter(article_count__gt=0).order_by("-article_count", *self.model._meta.ordering, "pk")

    def with_article_counts(self):
        # Aggregation drops Meta.ordering (GROUP BY), so restate it for stable pages.
        counted = self.annotate(article_count=models.Count("article_links", filter=~models.Q(article_links__origin="rejected"), distinct=True))
        return counted.order_by(*self.model._meta.ordering, "pk")


class Person(Named):
    """Someone the news names."""

    role_fa = models.CharField(_("role (Persian)"), max_length=300, blank=True)
    role_ar = models.CharField(_("role (Arabic)"), max_length=300, blank=True)
    role_en = models.CharField(_("role (English)"), max_length=300, blank=True)
    wikidata_id = models.CharField(_("Wikidata id"), max_length=20, blank=True)
    gathered = models.BooleanField(
        _("gathered automatically"), default=False,
        help_text=_("Found by name discovery, not yet confirmed by an editor."),
    )
    hidden = models.BooleanField(_("hidden"), default=False, help_text=_("Hidden people have no public page."))
    articles = models.ManyToManyField(Article, through="ArticlePerson", related_name="people")

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def get_absolute_url(self):
        return reverse("entities:person", kwargs={"slug": self.slug})

    @property
    def roles(self):
        return {"fa": self.role_fa, "ar": self.role_ar, "en": self.role_en}


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class Event(Named):
    """Something that happened, with dates as precise as they are known."""

    description_fa = models.TextField(_("description (Persian)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    start_precision = models.CharField(_("start precision"), max_length=5, choices=Precision.choices, default=Precision.DAY)
    end = models.DateField(_("end"), null=True, blank=True)
    end_precision = models.CharField(_("end precision"), max_length=5, choices=Precision.choices, default=Precision.DAY)
    place = models.ForeignKey(Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.SET_NULL, related_name="children",
    )
    participants = models.ManyToManyField(Person, verbose_name=_("participants"), blank=True, related_name="events")
    meeting_words = models.CharField(
        _("meeting words"), max_length=300, blank=True,
        help_text=_("Comma-separated words (دیدار، لقاء …): two participants named in one sentence with one of them link the article."),
    )
    news_days = models.PositiveIntegerField(
        _("news window (days)"), null=True, blank=True,
        help_text=_("Only link dated articles published within this many days of the event."),
    )
    articles = models.ManyToManyField(Article, through="ArticleEvent", related_name="events")

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["start", "name_en"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def get_absolute_url(self):
        return reverse("entities:event", kwargs={"slug": self.slug})


class Alias(models.Model):
    """One spelling of a person's or event's name in one language.

    ``cues`` (groups of words, one of each group within ``window`` words)
    make an alias count only in context: "آتش بس" is the 1994 ceasefire
    only near "1994".
    """

    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.CASCADE, related_name="aliases")
    event = models.ForeignKey(Event, verbose_name=_("event"), null=True, blank=True, on_delete=models.CASCADE, related_name="aliases")
    language = models.CharField(_("language"), max_length=2, choices=AliasLanguage.choices)
    text = models.CharField(_("alias"), max_length=300)
    key = models.CharField(max_length=300, editable=False, db_index=True)
    cues = models.JSONField(_("cues"), default=list, blank=True)
    window = models.PositiveSmallIntegerField(_("window (words)"), default=12)
    modified = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        ordering = ["language", "text"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, event__isnull=True) | models.Q(person__isnull=True, event__isnull=False),
                name="alias_of_person_or_event",
            ),
        ]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.key = normalize_key(self.text)
        super().save(*args, **kwargs)


class Origin(models.TextChoices):
    AUTOMATIC = "auto", _("automatic")
    CONFIRMED = "confirmed", _("confirmed by an editor")
    REJECTED = "rejected", _("rejected by an editor")


class LinkQuerySet(models.QuerySet):
    def visible(self):
        """Links readers see: automatic or confirmed, to published articles."""
        return self.exclude(origin=Origin.REJECTED).filter(article__status=Article.Status.PUBLISHED)


class ArticleLink(models.Model):
    """How often and where an article names an entity."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE)
    count = models.PositiveIntegerField(_("mentions"), default=0)
    positions = models.JSONField(_("positions"), default=list, blank=True, help_text=_("[start, end] character offsets in title + body."))
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.AUTOMATIC)

    objects = LinkQuerySet.as_manager()

    class Meta:
        abstract = True


class ArticlePerson(ArticleLink):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="article_links")

    class Meta:
        unique_together = [("article", "person")]
        verbose_name = _("article–person link")
        verbose_name_plural = _("article–person links")

    def __str__(self):
        return f"{localize_digits(str(self.article_id), (get_language() or 'fa')[:2])} → {self.person}"


class ArticleEvent(ArticleLink):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="article_links")

    class Meta:
        unique_together = [("article", "event")]
        verbose_name = _("article–event link")
        verbose_name_plural = _("article–event links")

    def __str__(self):
        return f"{localize_digits(str(self.article_id), (get_language() or 'fa')[:2])} → {self.event}"


class EntityCandidate(models.Model):
    """An unknown name found next to a title word, for an editor to add or dismiss."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ADDED = "added", _("added to the knowledge base")
        DISMISSED = "dismissed", _("dismissed")

    name = models.CharField(_("name"), max_length=300)
    key = models.CharField(max_length=300, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title words"), max_length=200, blank=True)
    articles = models.ManyToManyField(Article, verbose_name=_("articles"), related_name="entity_candidates", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    created = models.DateTimeField(_("found"), auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("entity candidate")
        verbose_name_plural = _("entity candidates")

    def __str__(self):
        return self.name


class NameMention(models.Model):
    """A person's name the recogniser found in an article (recomputed whenever the article is linked)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="name_mentions")
    language = models.CharField(max_length=2, choices=Language.choices)
    text = models.CharField(max_length=300, help_text="The name as first written in the article, titles stripped.")
    name_key = models.CharField(max_length=300, db_index=True)
    translit_key = models.CharField(max_length=300, db_index=True)
    positions = models.JSONField(default=list)

    class Meta:
        unique_together = [("article", "name_key")]
        verbose_name = _("name found in an article")
        verbose_name_plural = _("names found in articles")

    def __str__(self):
        return f"{self.article_id}: {self.text}"


class PersonCandidate(models.Model):
    """Mentions of one name grouped across articles and scripts (recomputed by discovery).

    ``key`` is the group's transliteration key (``articles.text.names``), with
    ``@ar`` when its Arabic spellings did not share context with the Persian
    ones, or ``=`` and a spelling an editor split off.  ``person`` is where its
    articles go: the person an editor merged it into, a known person who
    absorbed it, the one full name its lone surname belongs to, or
    ``own_person``, the page discovery made for it (kept for good).
    """

    key = models.CharField(max_length=300, unique=True)
    forename = models.CharField(max_length=300, db_index=True, blank=True, help_text="The key's first word when it has several.")
    surname = models.CharField(max_length=300, db_index=True, blank=True, help_text="The key's last word when it has several.")
    spellings = models.JSONField(_("spellings"), default=dict, help_text=_("Spellings per language, with their article counts."))
    article_counts = models.JSONField(_("articles per language"), default=dict)
    article_count = models.PositiveIntegerField(_("articles"), default=0, db_index=True)
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates")
    own_person = models.ForeignKey(Person, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-article_count", "key"]
        verbose_name = _("discovered name")
        verbose_name_plural = _("discovered names")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The most frequent spelling (Persian first)."""
        for language in ("fa", "ar"):
            spellings = self.spellings.get(language) or {}
            if spellings:
                return max(spellings, key=lambda s: (spellings[s], s))
        return self.key


class PersonDecision(models.Model):
    """What an editor decided about a discovered name; discovery never overwrites it.

    ``key`` is a candidate's key (merge), ``=`` and a name key (split) or
    ``rename:`` and the person's id (an editor named a gathered person): keys
    are recomputed from the text the same way on every import and retraining.
    """

    class Action(models.TextChoices):
        MERGE = "merge", _("merge into a person")
        SPLIT = "split", _("split off a spelling")
        RENAME = "rename", _("renamed")

    key = models.CharField(max_length=300, unique=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("editor's decision")
        verbose_name_plural = _("editors' decisions")

    def __str__(self):
        return f"{self.action} {self.key}"
