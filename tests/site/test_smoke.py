"""The site starts, speaks Persian by default, and ships its translations compiled."""

import ast
import gettext
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.django_db
def test_home_is_persian_right_to_left(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="fa" dir="rtl">' in response.content
    assert "اخبار قفقاز" in response.content.decode()


def po_entries(path):
    """(msgid, msgstr) of every translated, non-fuzzy singular entry of a .po file."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        if "#, fuzzy" in block or not any(line.startswith("msgid ") for line in lines):
            continue
        if any(line.startswith("msgid_plural") for line in lines):
            continue
        parts, current = {}, None
        for line in lines:
            if line.startswith(("msgid ", "msgstr ", "msgctxt ")):
                current, _, line = line.partition(" ")
                parts[current] = ""
            if current and line.startswith('"'):
                parts[current] += ast.literal_eval(line)
        if parts.get("msgid") and parts.get("msgstr") and "msgctxt" not in parts:
            yield parts["msgid"], parts["msgstr"]


@pytest.mark.parametrize("language", ["fa", "ar"])
def test_compiled_translations_match_the_po_files(language):
    # The .mo files are committed so a fresh clone needs no gettext; this
    # catches a .po edited without `make messages`.
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    with open(po.with_suffix(".mo"), "rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    entries = list(po_entries(po))
    assert len(entries) > 50
    stale = [msgid for msgid, msgstr in entries if catalog.gettext(msgid) != msgstr]
    assert not stale, f"recompile the {language} translations (make messages): {stale[:5]}"
