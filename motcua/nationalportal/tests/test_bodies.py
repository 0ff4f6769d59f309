"""The national portal is told who decides a dossier: the commune police for residence (issue 12, item 3)."""

import pytest

from motcua.dossiers import services as dossiers
from motcua.dossiers.tests.factories import file_birth, file_residence
from motcua.nationalportal.payload import dossier_record

pytestmark = pytest.mark.django_db


def test_the_processing_unit_is_the_body_that_decides(catalogue, agency, people, police):
    residence = dossiers.perform(file_residence(people["citizen"], agency), "receive", by=people["desk"])
    birth = dossiers.perform(file_birth(people["citizen"], agency), "receive", by=people["desk"])

    units = [dossier_record(d, d.events.latest("pk"))["DonViXuLy"] for d in (residence, birth)]

    assert units == ["Công an xã Vĩnh Linh", "Ủy ban nhân dân xã Vĩnh Linh"]
