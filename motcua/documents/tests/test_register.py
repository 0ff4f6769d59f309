"""Form 07, the dossier register of a period, in XLSX as in DOCX and PDF."""

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from motcua.documents import services
from motcua.documents.content.register import REGISTER_HEADERS
from motcua.dossiers.models import Dossier

from .cases import NOW
from .factories import with_every_slip

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(catalogue, agency, people):
    with time_machine.travel(NOW, tick=False):
        return with_every_slip(people, agency)


def test_the_xlsx_has_one_row_per_dossier_received_in_the_period(dossier, agency):
    rendered = services.render_register(agency=agency, start=NOW.date(), end=NOW.date(), fmt="xlsx")
    assert rendered.filename == "so-theo-doi-ho-so-20261120-20261120.xlsx"
    sheet = load_workbook(io.BytesIO(rendered.content)).active
    assert sheet.title == "Sổ theo dõi hồ sơ"
    assert sheet["A2"].value == "SỔ THEO DÕI HỒ SƠ"
    assert sheet["A3"].value == "Từ ngày 20/11/2026 đến ngày 20/11/2026"
    assert [cell.value for cell in sheet[6]] == REGISTER_HEADERS
    row = [cell.value for cell in sheet[7]]
    assert row[:5] == ["1", dossier.code, "Đăng ký khai sinh", "01", "Nguyễn Thị Hường"]
    assert row[7] == "20/11/2026\n09:05"
    assert row[8] == "27/11/2026\n17:00"  # the due date after the extension
    assert row[12] == "Dừng xử lý"
    assert sheet.max_row == 7
    assert sheet.page_setup.orientation == "landscape"


def test_a_dossier_received_outside_the_period_is_not_listed(dossier, agency):
    day = NOW.date() + dt.timedelta(days=1)
    rendered = services.render_register(agency=agency, start=day, end=day, fmt="xlsx")
    assert load_workbook(io.BytesIO(rendered.content)).active.max_row == 6


def test_another_communes_dossiers_are_not_listed(dossier, other_agency):
    rendered = services.render_register(agency=other_agency, start=NOW.date(), end=NOW.date(), fmt="xlsx")
    assert load_workbook(io.BytesIO(rendered.content)).active.max_row == 6


def test_a_formula_typed_as_a_name_stays_text(dossier, agency):
    Dossier.objects.filter(pk=dossier.pk).update(applicant_name='=HYPERLINK("http://x","bấm")')
    rendered = services.render_register(agency=agency, start=NOW.date(), end=NOW.date(), fmt="xlsx")
    cell = load_workbook(io.BytesIO(rendered.content)).active["E7"]
    assert cell.value == '=HYPERLINK("http://x","bấm")'
    assert cell.data_type == "s"


def test_a_period_longer_than_a_year_is_refused(agency, db):
    with pytest.raises(services.NotApplicable):
        services.render_register(agency=agency, start=dt.date(2025, 1, 1), end=dt.date(2026, 1, 2), fmt="pdf")
