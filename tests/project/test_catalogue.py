"""Everything a user sees speaks Bahasa Indonesia first, English second: both catalogues
are complete, and the compiled files the app reads are the ones the .po files describe."""

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_message_has_a_translation(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert missing == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    with open(folder / "django.mo", "rb") as f:
        mo = gettext.GNUTranslations(f)
    stale = [
        e.msgid
        for e in po
        if e.translated() and not e.msgid_plural and mo.gettext(e.msgid) != e.msgstr
    ]
    assert stale == [], "run `make messages` to recompile locale/*/django.mo"
