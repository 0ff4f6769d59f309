"""Names and places typed without Vietnamese diacritics are found; text with any accent, or a single word, is
left alone."""

import pytest

from motcua.catalog.services import get_procedure
from motcua.dossiers.diacritics import flagged_fields, lacks_diacritics

from .factories import BIRTH, BIRTH_FORM


@pytest.mark.parametrize(
    "text",
    ["nguyen van an", "thon 3, xa vinh linh", "NGUYEN THI HUONG", "Trung tam Y te Vinh Linh", "Viet Nam"],
)
def test_text_of_two_words_without_any_diacritic_is_flagged(text):
    assert lacks_diacritics(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nguyễn Văn An",
        "Thôn 3, xã Vĩnh Linh",
        "Nguyen Văn An",  # one accented word: typed with an input method, maybe a name written so
        "Đinh Lan",
        "Kinh",  # one word may be right as it is
        "3/2",
        "",
        "A B",  # initials say nothing
    ],
)
def test_text_with_a_diacritic_or_too_short_to_tell_is_not_flagged(text):
    assert not lacks_diacritics(text)


def test_a_decomposed_accent_counts_as_an_accent():
    assert not lacks_diacritics("Nguye\u0302\u0303n Van An")


def test_only_free_text_answers_of_a_declaration_are_checked(catalogue):
    specs = list(get_procedure(BIRTH).form_fields.all())
    form = {
        **BIRTH_FORM,
        "requester_name": "nguyen van an",
        "mother_residence": "thon 3, xa vinh linh",
        "requester_id_number": "045190012345",
        "child_sex": "nu",
    }

    assert flagged_fields(specs, form) == {"requester_name", "mother_residence"}
