"""Sources and articles, with the original text kept byte for byte."""

import hashlib

from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .fields import InRangeDateTimeField
from .text import normalize_key


class Language(models.TextChoices):
    PERSIAN = "fa", _("Persian")
    ARABIC = "ar", _("Arabic")


class Source(models.Model):
    """A news outlet or agency: the publisher of an article or the one it quotes."""

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("As the outlet writes its own name."))
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    key = models.CharField(
        max_length=200, unique=True, editable=False,
        help_text="Folded name, so ايرنا and ایرنا are one source.",
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = normalize_key(self.name)
        if not self.slug:
            self.slug = slugify(self.name_en or self.name, allow_unicode=True) or self.key
        super().save(*args, **kwargs)


class Versioned(models.Model):
    """A row with a ``version`` that every save raises, in the UPDATE itself.

    Editors' forms remember the version they opened and refuse to save over
    a newer one (``editors.locking``); writes that bypass ``save()`` (the
    importer's bulk updates) raise it themselves with ``bump_version``.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            return super().save(*args, **kwargs)
        self.bump_version()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
        self.refresh_from_db(fields=["version"])

    def bump_version(self) -> None:
        """Have the next UPDATE of this row (``save``, ``bulk_update``) raise its version."""
        self.version = models.F("version") + 1


# When an article counts as published for "latest": its date, else when it was added.
LATEST = Coalesce("published", "created")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see."""
        return self.filter(status=Article.Status.PUBLISHED)

    def in_language(self, language):
        return self.filter(language=language)

    def latest_first(self):
        """Newest first; an undated article by when it was added (``LATEST``).

        A reader of "latest" expects what just arrived at the top: an article
        whose source printed no date is placed as if published when it reached
        the portal, not buried under years of dated news (an editor can still
        set its date, in the admin's "no date yet" filter).
        """
        return self.order_by(LATEST.desc(), "-id")

    def with_related(self):
        return self.select_related("source", "via")


class Article(Versioned):
    """A news article as imported or written by an editor.

    ``raw`` keeps the exact bytes of the file (or feed line) it came from, so
    whatever the importer made of it, nothing is ever lost.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True, blank=True)
    lead = models.TextField(_("lead"), blank=True, help_text=_("The opening summary paragraph, if the article has one."))
    body = models.TextField(_("body"), help_text=_("Paragraphs separated by an empty line."))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    published = InRangeDateTimeField(_("published"), null=True, blank=True, db_index=True)
    date_only = models.BooleanField(
        _("date only"), default=False,
        help_text=_("Only the day of publication is known, not the time."),
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT, related_name="articles",
        help_text=_("The outlet that published this text."),
    )
    via = models.ForeignKey(
        Source, verbose_name=_("via"), null=True, blank=True, on_delete=models.PROTECT, related_name="quoted_in",
        help_text=_("The agency the outlet quotes, when the text says so."),
    )
    dateline = models.CharField(_("dateline"), max_length=100, blank=True)
    external_id = models.CharField(
        _("external id"), max_length=200, blank=True, db_index=True,
        help_text=_("The id the source gave: a feed id or the agency's news code."),
    )
    url = models.URLField(_("original URL"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)

    source_file = models.CharField(_("source file"), max_length=500, blank=True)
    import_key = models.CharField(
        max_length=600, unique=True, null=True, blank=True, editable=False,
        help_text="Identity of the imported item; re-imports update the same row.",
    )
    raw = models.BinaryField(_("original bytes"), blank=True, default=b"", editable=False)
    raw_encoding = models.CharField(_("original encoding"), max_length=40, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    created = models.DateTimeField(_("added"), auto_now_add=True)
    modified = models.DateTimeField(_("last change"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "language", "published"]),
            # latest_first() on a list of published articles reads this index in order
            models.Index(models.F("status"), LATEST.desc(), models.F("id").desc(), name="article_latest"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"pk": self.pk, "slug": self.slug or "article"})

    def fill_slug(self) -> None:
        """Make the slug from the title if there is none (``save`` does; bulk writes call it)."""
        if not self.slug:
            self.slug = slugify(self.title, allow_unicode=True)[:200].strip("-") or "article"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def direction(self):
        return "rtl"

    @property
    def paragraphs(self):
        """Body paragraphs (separated by blank lines in the stored text)."""
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    @property
    def teaser(self):
        """The text a card shows under the title: the lead, unless the title
        was cut from it (a file without a headline), then the first paragraph."""
        if self.lead and not self.lead.startswith(self.title):
            return self.lead
        paragraphs = self.paragraphs
        return paragraphs[0] if paragraphs else self.lead

    @property
    def raw_text(self):
        """The original file decoded with the encoding it was read in."""
        return bytes(self.raw).decode(self.raw_encoding or "utf-8", errors="replace")

    @property
    def published_local(self):
        return timezone.localtime(self.published) if self.published else None

    @staticmethod
    def hash_text(text: str) -> str:
        """Content hash of decoded text: the same story in another encoding hashes the same."""
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_text(article: Article) -> str:
    """The text linking and near-duplicates read, and positions refer to: title, lead and body, a blank line apart."""
    return "\n\n".join(part for part in (article.title, article.lead, article.body) if part)


# --- near-duplicates (``articles.duplicates``) ----------------------------------------


class NearDuplicate(models.Model):
    """Two articles telling the same story (``first`` has the lower id)."""

    first = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    containment = models.FloatField(help_text="Estimated share of the shorter text's shingles found in the other.")

    class Meta:
        db_table = "entities_nearduplicate"  # made by the entities app, where it lived first
        unique_together = [("first", "second")]

    def __str__(self):
        return f"{self.first_id} ≈ {self.second_id}"


class Fingerprint(models.Model):
    """An article's MinHash signature and LSH band keys (see ``duplicates``)."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="fingerprint")
    signature = models.JSONField()
    size = models.PositiveIntegerField(help_text="Number of distinct shingles.")

    class Meta:
        db_table = "entities_fingerprint"

    def __str__(self):
        return f"fingerprint of {self.article_id}"


class Band(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField(db_index=True)

    class Meta:
        db_table = "entities_band"

    def __str__(self):
        return f"{self.article_id}:{self.key}"
