"""The English catalogue is complete: every Spanish msgid has a reviewed English msgstr."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(CATALOGUE))


def test_english_catalogue_has_no_untranslated_entry(catalogue):
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]

    assert missing == []


def test_english_catalogue_has_no_fuzzy_entry(catalogue):
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert fuzzy == []


def test_english_placeholders_match_the_spanish_ones(catalogue):
    placeholder = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdfi]|\{\{ *\w+ *\}\}")
    wrong = []
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        expected = set(placeholder.findall(entry.msgid))
        for text in translations:
            if set(placeholder.findall(text)) - expected:
                wrong.append(entry.msgid)
    assert wrong == []


def test_compiled_catalogue_matches_its_source(catalogue):
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    in_mo = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in compiled}

    stale = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if not entry.msgid_plural and in_mo.get((entry.msgctxt, entry.msgid)) != entry.msgstr
    ]
    assert stale == [], "run: manage.py compilemessages -l en --ignore=.venv"
