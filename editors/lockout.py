"""What an editor sees when sign-in is throttled (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """A page in the interface's language and digits saying when to try again (429)."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, "locked_out.html", {"minutes": minutes}, status=429)
