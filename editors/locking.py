"""Optimistic locking for the editors' forms: a save over someone else's newer one is refused.

The form carries the ``version`` of the row as the editor opened it (a
hidden ``seen`` field).  When it is posted, the admin's transaction locks
the row (``select_for_update``) and compares its version: a different one
means someone saved meanwhile, and the editor gets the form back with a
message instead of overwriting that save.  The lock is held until the
save commits (``Versioned.save`` raises the version in its UPDATE), so of
two editors posting at the same moment the second waits, then sees the
first one's version and is refused.  SQLite has no row locks; there the
admin's transaction starts with ``BEGIN IMMEDIATE`` (settings), which
serialises writers the same way.
"""

from django import forms
from django.db import router, transaction
from django.utils.translation import gettext_lazy as _


class VersionedForm(forms.ModelForm):
    """A ModelForm for an ``articles.models.Versioned`` model."""

    # The version the editor opened: a save over a newer one is refused.
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    stale_message = _(
        "Someone else saved this after you opened it. Copy your changes, open it again and apply them there."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["seen"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("seen") is not None and self.current_version() != cleaned["seen"]:
            raise forms.ValidationError(self.stale_message, code="stale")
        return cleaned

    def current_version(self):
        """The row's version now, locked until the surrounding transaction ends (the admin's)."""
        model = type(self.instance)
        using = router.db_for_write(model)
        rows = model._default_manager.using(using).filter(pk=self.instance.pk)
        if transaction.get_connection(using).in_atomic_block:
            rows = rows.select_for_update()
        return rows.values_list("version", flat=True).first()
