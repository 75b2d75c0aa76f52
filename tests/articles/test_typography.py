from articles.typography import NBSP, NNBSP, french_typography


def test_no_break_space_before_high_punctuation_and_inside_guillemets():
    result = french_typography("Et maintenant ? « Oui » : c'est dit !")
    assert result == f"Et maintenant{NNBSP}? «{NBSP}Oui{NBSP}»{NBSP}: c\u2019est dit{NNBSP}!"


def test_plain_text_is_escaped():
    assert french_typography("<b>gras</b>") == "&lt;b&gt;gras&lt;/b&gt;"


def test_markup_and_entities_are_left_alone():
    from django.utils.safestring import mark_safe

    html = mark_safe('<a href="https://ex.org/?a=1&amp;b=2">Qui ?</a> &amp; toi ?')
    result = french_typography(html)
    assert '<a href="https://ex.org/?a=1&amp;b=2">' in result
    assert f"Qui{NNBSP}?</a> &amp; toi{NNBSP}?" in result


def test_urls_in_text_keep_their_colon():
    assert french_typography("Voir https://example.org") == "Voir https://example.org"


def test_typewriter_apostrophes_become_typographic_ones():
    assert french_typography("l'État n'a pas dit") == "l\u2019État n\u2019a pas dit"


def test_quotes_around_a_word_are_not_taken_for_apostrophes():
    assert "&#x27;oui&#x27;" in french_typography("dire 'oui' ici")


def test_signs_right_after_a_tag_get_their_no_break_space():
    from django.utils.safestring import mark_safe

    result = french_typography(mark_safe("<strong>Rigueur</strong> : oui. <em>Vraiment</em>?"))
    assert result == f"<strong>Rigueur</strong>{NBSP}: oui. <em>Vraiment</em>{NNBSP}?"


def test_numbers_are_grouped_by_thousands():
    from articles.typography import french_number

    assert french_number(3000) == f"3{NNBSP}000"
    assert french_number(1234567) == f"1{NNBSP}234{NNBSP}567"
    assert french_number(12) == "12"
