"""Documents are in Vietnamese even when the page that asks for them is in English."""

import pytest
import time_machine
from django.utils import translation

from motcua.documents.docx_writer import write
from motcua.documents.models import Kind

from .cases import NOW, make_case
from .tools import docx_text

pytestmark = pytest.mark.django_db


def test_a_receipt_asked_for_in_english_is_printed_in_vietnamese(catalogue, agency, people):
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        case = make_case(Kind.RECEIPT, people, agency)
    text = docx_text(write(case.doc))
    assert [value for value in case.expected if value not in text] == []
    assert "- Lệ phí đăng ký khai sinh quá hạn (sau 60 ngày kể từ ngày sinh): 8.000 đồng" in text
    assert "Bản chính" in text and "Same day" not in text and "Fee for late birth registration" not in text
