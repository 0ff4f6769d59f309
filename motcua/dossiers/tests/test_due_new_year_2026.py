"""The return time a dossier is promised uses the announced calendar (workdays): New Year 2026."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.dossiers import services

from .factories import BIRTH_FORM, file_birth

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_birth_received_after_15_00_on_31_december_2025_is_promised_for_monday_5_january(
    client, catalogue, agency, people
):
    # 1/1/2026 is the holiday and Friday 2/1 was swapped for Saturday 10/1 (Công văn 12729/VPCP-KGVX).
    with time_machine.travel(datetime(2025, 12, 31, 15, 30, tzinfo=VN), tick=False):
        dossier = file_birth(people["citizen"], agency, form={**BIRTH_FORM, "child_birth_date": "2025-12-20"})
        dossier = services.perform(dossier, "receive", by=people["desk"])

    assert dossier.due_at == datetime(2026, 1, 5, 17, 0, tzinfo=VN)
    assert dossier.events.last().due_at == dossier.due_at  # what the receipt slip prints
    client.force_login(people["desk"])
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "17 giờ 00, thứ Hai, ngày 05/01/2026" in page
