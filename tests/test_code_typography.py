"""French typography in the words the code itself writes: error and form messages, help texts,
e-mail subjects and bodies, API errors, command output. A French elision takes the typographic
apostrophe (« l’article », « n’est », « d’{site} »), not the straight one of the keyboard."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = [
    "actualites",
    "articles",
    "comments",
    "newsletter",
    "newsroom",
    "desk",
    "planning",
    "notes",
    "autosave",
    "live",
    "alerts",
    "api",
    "public_forms",
    "photos",
    "edge",
    "public_cache",
    "mostread",
    "tools",
]
# An elided word, a straight apostrophe, then a letter or what a value is put in ({} or %s):
# « l'article », « qu'il », « d'{site} ». English (« don't », « Django's ») has a letter before
# the elided word and is not matched; neither is code such as "'%s'" or "\\n'".
STRAIGHT_ELISION = re.compile(
    r"\b(?:[dlnjmtsc]|qu|jusqu|lorsqu|puisqu)'(?=[A-Za-zÀ-ÿ{%])", re.IGNORECASE
)
# Django's own syntax and comments in templates: what is left is text and HTML.
TEMPLATE_CODE = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S
)


def python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def docstrings(tree):
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(first.value)
    return found


def strings(source):
    """(line, text) of each string of the code, docstrings left out; an f-string's values
    written as {} so that « d'{site} » is seen."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                skip.add(value)
                parts.append(value.value if isinstance(value, ast.Constant) else "{}")
            yield node.lineno, "".join(parts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node not in skip:
            yield node.lineno, node.value


def straight_apostrophes(source):
    return [
        (line, text[max(found.start() - 20, 0) : found.end() + 20])
        for line, text in strings(source)
        for found in STRAIGHT_ELISION.finditer(text)
    ]


def test_every_app_is_read():
    assert len(list(python_files())) > 150


def test_french_strings_of_the_code_use_the_typographic_apostrophe():
    problems = [
        f"{path.relative_to(ROOT)}:{line}: …{excerpt}…"
        for path in python_files()
        for line, excerpt in straight_apostrophes(path.read_text())
    ]

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in {".html", ".txt", ".xml"}),
    ids=lambda p: str(p.relative_to(ROOT / "templates")),
)
def test_french_texts_of_the_templates_use_the_typographic_apostrophe(path):
    # A variable stands for a word: « d'{{ site_name }} » is an elision too. Lines are kept.
    text = TEMPLATE_CODE.sub(lambda code: "{}" + "\n" * code[0].count("\n"), path.read_text())
    problems = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}"
        for number, line in enumerate(text.splitlines(), start=1)
        if STRAIGHT_ELISION.search(line)
    ]

    assert not problems, "\n".join(problems)


def test_the_check_finds_french_elisions_and_leaves_english_and_code_alone():
    source = r'''
"""Le docstring n'est pas lu."""
MESSAGE = "Cette lettre est en cours d'envoi."
SUBJECT = f"La newsletter d'{SITE_NAME}"
HINT = "Jusqu'à demain, qu'il patiente."
# Ce commentaire n'est pas lu.
ENGLISH = "Django's form doesn't say it's wrong, I'm sure."
CODE = "'%s'" + "print('\\n', end='')" + f"{name}'s" + "l’article n’est pas relu"
'''

    assert [line for line, _ in straight_apostrophes(source)] == [3, 4, 5, 5]
