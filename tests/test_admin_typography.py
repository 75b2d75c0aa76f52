"""French typography in the newsroom's own admin texts (templates/admin, notes, autosave):
what the staff read between the template's tags, as a browser shows it."""

import re
from html import unescape
from pathlib import Path

import pytest

from tests.pages import typography_problems

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
ADMIN_TEMPLATES = sorted(
    [
        *TEMPLATES.glob("admin/**/*.html"),
        *TEMPLATES.glob("notes/*.html"),
        *TEMPLATES.glob("autosave/*.html"),
    ]
)
# What is not the template's own visible text: comments, tags, variables (values typed by
# people, formatted elsewhere), Django's own sentences (translated by its catalog).
NOT_TEXT = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{%\s*blocktranslate.*?endblocktranslate\s*%\}"
    r"|\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}",
    re.S,
)


def test_the_admin_templates_are_all_checked():
    assert len(ADMIN_TEMPLATES) >= 19


@pytest.mark.parametrize("path", ADMIN_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_admin_texts_use_french_typography(path):
    # A variable stands for a word: « Statut : {{ x }} » must read « Statut&nbsp;: x ».
    html = NOT_TEXT.sub("x", path.read_text())

    assert typography_problems(html) == [], path.name


def test_the_check_finds_what_a_typist_leaves():
    assert typography_problems(unescape("<p>Aucune étape pour l'instant : rien.</p>")) != []
