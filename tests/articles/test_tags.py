import unicodedata

import pytest
from django.core.exceptions import ValidationError

from articles.tags import parse_tags
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_the_same_word_typed_two_ways_is_one_tag():
    composed = unicodedata.normalize("NFC", "siècle")
    decomposed = unicodedata.normalize("NFD", "siècle")
    assert composed != decomposed

    tags = parse_tags(f"{decomposed}, {composed}, Siècle")

    assert len(tags) == 1
    assert tags[0].casefold() == composed
    assert unicodedata.is_normalized("NFC", tags[0])


def test_tags_are_trimmed_and_inner_spaces_collapsed():
    assert parse_tags("  Union   européenne ,Alaska ") == ["Alaska", "Union européenne"]


def test_overlong_tag_is_refused_in_french():
    with pytest.raises(ValidationError) as error:
        parse_tags("a" * 60)
    assert "dépasse 50 caractères" in error.value.messages[0]


def test_tag_form_field_goes_through_normalization():
    article = make_article()
    form_tags = unicodedata.normalize("NFD", "Été, été")
    from taggit.forms import TagField

    assert TagField().clean(form_tags) == ["Été"]
    article.tags.set(TagField().clean(form_tags))
    assert list(article.tags.names()) == ["Été"]
