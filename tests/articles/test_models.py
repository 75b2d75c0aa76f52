import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from articles.models import Article, Category
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db


def test_the_seven_sections_exist_in_navigation_order():
    assert list(Category.objects.values_list("name", flat=True)) == [
        "Politique",
        "Sports",
        "Coaching",
        "Économie",
        "Sciences et technologies",
        "Culture et divertissement",
        "Société",
    ]


def test_published_excludes_drafts_and_future_articles():
    visible = make_article()
    make_article(status=Article.Status.DRAFT)
    make_article(published_at=timezone.now() + timedelta(hours=2))

    assert list(Article.objects.published()) == [visible]


def test_scheduled_article_becomes_visible_when_its_time_comes(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article(published_at=timezone.now() + timedelta(minutes=30))
    assert article not in Article.objects.published()

    time_machine.shift(timedelta(minutes=31))

    assert article in Article.objects.published()


def test_credit_line_always_has_one_copyright_sign():
    assert make_photo(credit="AFP").credit_line == "© AFP"
    assert make_photo(credit="© Reuters").credit_line == "© Reuters"
    assert make_photo(credit="AFP").attribution == "Photo\u00a0: © AFP"


@pytest.mark.parametrize(
    "credit",
    [
        "Illustration : Actualités Express",
        "illustration: Actualités Express",
        "© Illustration : Actualités Express",
    ],
)
def test_an_illustration_is_credited_as_an_illustration_never_as_a_photo(credit):
    photo = make_photo(credit=credit)

    assert photo.is_illustration
    assert photo.credit_line == "Illustration\u00a0: Actualités Express"
    assert photo.attribution == "Illustration\u00a0: Actualités Express"
    assert photo.copyright_notice == "© Actualités Express"


def test_meta_description_falls_back_to_standfirst():
    article = make_article(standfirst="Le chapô.", meta_description="")
    assert article.description == "Le chapô."
    article.meta_description = "Pour les moteurs."
    assert article.description == "Pour les moteurs."


def test_related_articles_are_published_ones_of_the_same_section():
    politics = Category.objects.get(slug="politique")
    sport = Category.objects.get(slug="sports")
    article = make_article(category=politics)
    sibling = make_article(category=politics)
    make_article(category=politics, status=Article.Status.DRAFT)
    make_article(category=sport)

    assert list(article.related()) == [sibling]


def test_newest_published_ids_per_category_in_one_go():
    politique, sport = Category.objects.get(slug="politique"), Category.objects.get(slug="sports")
    now = timezone.now()
    old, new, newer = (
        make_article(category=politique, published_at=now - timedelta(hours=h)) for h in (3, 2, 1)
    )
    make_article(category=politique, status=Article.Status.DRAFT, published_at=None)
    make_article(category=politique, published_at=now + timedelta(hours=1))  # scheduled
    only_sport = make_article(category=sport)

    ids = Article.objects.published().newest_ids_per_category([politique.pk, sport.pk], 2)

    assert sorted(ids) == sorted([newer.pk, new.pk, only_sport.pk])


def test_renaming_economy_touches_only_the_untouched_default_name():
    rename = importlib.import_module("articles.migrations.0012_economie_with_its_accent")
    economy = Category.objects.get(slug="economie")
    economy.name = "Economie"
    economy.save()

    rename.add_accent(django_apps, None)
    economy.refresh_from_db()
    assert (economy.name, economy.slug) == ("Économie", "economie")

    economy.name = "Économie et emploi"  # an editor's own name stays
    economy.save()
    rename.add_accent(django_apps, None)
    economy.refresh_from_db()
    assert economy.name == "Économie et emploi"
