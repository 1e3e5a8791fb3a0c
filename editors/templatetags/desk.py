"""Template helpers of the editors' desk."""

from django import template
from django.utils import translation

from editors.report_text import report_line

register = template.Library()


@register.filter(name="report_line")
def report_line_filter(message):
    """An import report message in the interface language (see ``editors.report_text``)."""
    return report_line(message, (translation.get_language() or "fa").split("-")[0])
