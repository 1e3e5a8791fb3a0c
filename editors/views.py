"""Admin pages of the editors' desk: draft preview, orthography fix, upload.

Each view takes the ``ModelAdmin`` it belongs to, which checks permissions
and writes the admin history.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from articles.duplicates import near_duplicates_of, update_duplicates
from articles.importreport import ImportReport
from articles.models import Article

from . import jobs
from .forms import UploadForm
from .models import ImportJob
from .orthography import article_issues, describe, normalise_article
from .uploads import import_upload, refuse, upload_problem

log = logging.getLogger(__name__)


def preview(model_admin, request, pk):
    """The public page of an article, drafts included, for staff only."""
    article = get_object_or_404(Article.objects.with_related(), pk=pk)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    response = TemplateResponse(request, "admin/articles/article/preview.html", {"article": article})
    response["X-Robots-Tag"] = "noindex"
    return response


def orthography_warning(request, article):
    """Add a warning with a one-click "Normalise" button if the article has orthography issues."""
    found = article_issues(article)
    if not found:
        return
    action = reverse("admin:articles_article_normalise", args=[article.pk])
    messages.warning(request, format_html(
        '{}<ul class="orthography">{}</ul>'
        '<form method="post" action="{}" class="orthography-fix">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="modified" value="{}">'
        '<button type="submit" class="button">{}</button></form>',
        _("The orthography check found:"),
        format_html_join("", '<li dir="auto">{}</li>', ((line,) for line in describe(article, found))),
        action, get_token(request), article.modified.isoformat(), _("Normalise"),
    ))


def duplicate_warning(request, article):
    """Warn when the article tells the same story as published ones, with links to them."""
    update_duplicates(article)  # now, not after the commit, so the editor hears of it at once
    others = near_duplicates_of(article)[:5]
    if others:
        messages.warning(request, format_html(
            "{} {}", _("This looks like the same story as:"),
            format_html_join(_(", "), '<a href="{}" dir="auto">{}</a>', (
                (reverse("admin:articles_article_change", args=[other.pk]), other.title) for other in others)),
        ))


def normalise(model_admin, request, pk):
    """Fix exactly the flagged characters, unless the article changed since the check."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    change_url = reverse("admin:articles_article_change", args=[pk])
    # Locked from the check to the save: an editor saving meanwhile waits, then is told.
    with transaction.atomic():
        article = get_object_or_404(Article.objects.select_for_update(), pk=pk)
        if not model_admin.has_change_permission(request, article):
            raise PermissionDenied
        if request.POST.get("modified") != article.modified.isoformat():
            messages.error(request, _("The article was changed after the check; nothing was normalised. Save it again to check it anew."))
            return redirect(change_url)
        found = article_issues(article)
        changed = normalise_article(article)
        if changed:
            article.save()
            count = sum(map(len, found.values()))
            fields = _(", ").join(str(Article._meta.get_field(name).verbose_name) for name in changed)
            model_admin.log_change(request, article, _("Normalised the orthography (%(count)s fixes in: %(fields)s).") % {
                "count": count, "fields": fields})
            messages.success(request, _("Normalised %(count)s characters or spaces.") % {"count": count})
    return redirect(change_url)


def upload(model_admin, request):
    """Upload .txt, .jsonl and .zip files through the importer and show the per-file report.

    Uploads larger than ``IMPORT_BACKGROUND_BYTES`` together are imported by
    a process of their own (``editors.jobs``): the editor is sent to the
    job's page, which shows its progress and then its report.
    """
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    report = None
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        uploaded_files = form.cleaned_data["files"]
        if sum(uploaded.size for uploaded in uploaded_files) > settings.IMPORT_BACKGROUND_BYTES:
            job = jobs.create_job(request.user, uploaded_files, translation.get_language() or settings.LANGUAGE_CODE)
            transaction.on_commit(partial(_launch, job))
            return redirect("admin:articles_article_upload_job", job.pk)
        report = ImportReport()
        started = timezone.now()
        for uploaded in uploaded_files:
            if problem := upload_problem(uploaded.name, uploaded.size):
                refuse(uploaded.name, problem, report)
            else:
                import_upload(uploaded.name, uploaded, report)
        _log_imported(model_admin, request, report, started)
        messages.info(request, _(
            "Import finished: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(rejected)s rejected."
        ) % report.totals)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Upload articles"),
        "form": form,
        "report": report,
        "jobs": ImportJob.objects.filter(user=request.user)[:5],
    }
    return TemplateResponse(request, "admin/articles/article/upload.html", context)


def _launch(job):
    try:
        jobs.launch(job)
    except OSError:
        log.exception("could not start import job %s", job.pk)
        job.status, job.error = ImportJob.Status.FAILED, _("The import could not be started; please try again.")
        job.save(update_fields=["status", "error"])


def upload_job(model_admin, request, pk):
    """An upload imported in the background: its progress while it runs, then its report."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    job = get_object_or_404(ImportJob, pk=pk)
    if job.user_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import #%(number)s") % {"number": job.pk},
        "job": job,
        "report": {"files": job.report} if job.report else None,
    }
    response = TemplateResponse(request, "admin/articles/article/upload_job.html", context)
    if job.active:
        response["Refresh"] = "3"  # the page follows the job without a script
    return response


def _log_imported(model_admin, request, report, started):
    ids = {pk for file_report in report.files for pk in file_report.article_ids}
    for article in Article.objects.filter(pk__in=ids, modified__gte=started):
        message = _("Imported from the uploaded file %(name)s.") % {"name": article.source_file}
        if article.created >= started:
            model_admin.log_addition(request, article, message)
        else:
            model_admin.log_change(request, article, message)
