"""Editors' actions on the names the linker could not place (``EntityCandidate``)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.text import fix_orthography
from entities.linker import link_article
from entities.models import Alias, EntityCandidate, Person


def person_from_candidate(candidate):
    """A new person named as the candidate, with the name as an alias; the candidate is marked added.

    The Persian and Arabic names are the candidate's name in each
    orthography (ی/ي, ک/ك); the English name is left for the editor.
    """
    language = candidate.language
    person = Person(
        slug=_free_slug(f"person-{candidate.pk}"),
        name_fa=fix_orthography(candidate.name, "fa"),
        name_ar=fix_orthography(candidate.name, "ar"),
        **{f"role_{language}": candidate.title},
    )
    person.save()
    _adopt(candidate, person)
    return person


def _free_slug(slug):
    taken = set(Person.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
    n, free = 1, slug
    while free in taken:
        n += 1
        free = f"{slug}-{n}"
    return free


def _adopt(candidate, person):
    Alias.objects.get_or_create(person=person, language=candidate.language, text=candidate.name)
    candidate.status = EntityCandidate.Status.ADDED
    candidate.save(update_fields=["status"])
    for article in candidate.articles.all():
        link_article(article)


@admin.action(description=gettext_lazy("Create a person from each selected name"), permissions=["change"])
def create_person(model_admin, request, queryset):
    created = []
    with transaction.atomic():
        for candidate in queryset.filter(status=EntityCandidate.Status.NEW):
            person = person_from_candidate(candidate)
            model_admin.log_addition(request, person, _("Created from the candidate name %(name)s.") % {"name": candidate.name})
            model_admin.log_change(request, candidate, _("Added to the knowledge base as a person."))
            created.append(person)
    if created:
        links = format_html_join(_(", "), '<a href="{}">{}</a>', (
            (reverse("admin:entities_person_change", args=[p.pk]), p.name_fa) for p in created))
        messages.success(request, format_html("{} {}", _("Created; add the English name and check the spellings:"), links))
    else:
        messages.warning(request, _("No new names were selected."))


class AliasTargetForm(forms.Form):
    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin's autocomplete (people searched in any spelling), which needs the admin site.
        self.fields["person"] = forms.ModelChoiceField(
            queryset=Person.objects.all(), label=gettext_lazy("person"),
            widget=AutocompleteSelect(Alias._meta.get_field("person"), admin_site),
        )


@admin.action(description=gettext_lazy("Add the selected names as aliases of a person"), permissions=["change"])
def add_as_alias(model_admin, request, queryset):
    candidates = queryset.filter(status=EntityCandidate.Status.NEW)
    form = AliasTargetForm(request.POST if "apply" in request.POST else None, admin_site=model_admin.admin_site)
    if form.is_valid():
        person = form.cleaned_data["person"]
        with transaction.atomic():
            names = [c.name for c in candidates]
            for candidate in candidates:
                _adopt(candidate, person)
                model_admin.log_change(request, candidate, _("Added as an alias of %(person)s.") % {"person": person})
            model_admin.log_change(request, person, _("New aliases: %(names)s.") % {"names": _(", ").join(names)})
        messages.success(request, _("%(count)s names added as aliases of %(person)s.") % {"count": len(names), "person": person})
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Add as aliases of a person"),
        "opts": model_admin.model._meta,
        "candidates": candidates,
        "form": form,
        "media": model_admin.media + form.media,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/entities/entitycandidate/add_as_alias.html", context)
