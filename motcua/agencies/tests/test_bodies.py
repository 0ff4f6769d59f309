"""A commune's bodies: who decides, how its documents name it, and for whom its officers work."""

import pytest
from django.core.exceptions import ValidationError

from motcua.agencies.models import Agency, Body, BodyKind, Role
from motcua.agencies.services import body_for, officers_of, set_officer

pytestmark = pytest.mark.django_db


def test_a_commune_police_not_written_down_is_named_from_the_commune_and_its_province(agency):
    police = body_for(agency, BodyKind.POLICE)

    assert police.pk is None
    assert (police.name, police.parent_name, police.signer) == (
        "Công an xã Vĩnh Linh",
        "Công an tỉnh Quảng Trị",
        "Trưởng Công an xã",
    )
    assert not police.name_on_own_line


def test_a_ward_and_a_special_zone_name_their_police_by_their_unit(db):
    ward = Agency(name="Ủy ban nhân dân phường Đông Hà", ward_code=19333, province_code=44)
    zone = Agency(name="Ủy ban nhân dân đặc khu Vân Đồn", ward_code=6994, province_code=22)

    assert ward.ward_name == "Phường Đông Hà" and zone.ward_name == "Đặc khu Vân Đồn"
    assert body_for(ward, BodyKind.POLICE).name == "Công an phường Đông Hà"
    assert body_for(ward, BodyKind.POLICE).signer == "Trưởng Công an phường"
    assert body_for(zone, BodyKind.POLICE).name == "Công an đặc khu Vân Đồn"
    assert body_for(ward, BodyKind.POLICE).parent_name == "Công an tỉnh Quảng Trị"


def test_the_peoples_committee_is_the_agency_itself(agency):
    agency.parent_name = "Ủy ban nhân dân tỉnh Quảng Trị"

    committee = body_for(agency, BodyKind.COMMITTEE)

    assert (committee.name, committee.parent_name) == (agency.name, "Ủy ban nhân dân tỉnh Quảng Trị")
    assert committee.signer == "Thủ trưởng cơ quan"  # the template's words, as before bodies existed
    assert committee.name_on_own_line


def test_what_the_commune_writes_down_is_what_its_documents_print(agency):
    Body.objects.create(agency=agency, kind=BodyKind.POLICE, name="Công an xã Vĩnh Linh (mới)")

    police = body_for(agency, BodyKind.POLICE)

    assert police.name == "Công an xã Vĩnh Linh (mới)"
    assert police.parent_name == ""
    assert police.signer == "Trưởng Công an xã"  # left blank: the usual title


def test_a_specialist_and_a_leader_work_for_their_body_the_desk_for_all(agency, police, leader, desk):
    assert police.officer.roles_on(BodyKind.POLICE) == {Role.SPECIALIST, Role.LEADER}
    assert police.officer.roles_on(BodyKind.COMMITTEE) == set()
    assert leader.officer.roles_on(BodyKind.COMMITTEE) == {Role.LEADER}
    assert leader.officer.roles_on(BodyKind.POLICE) == set()
    for kind in BodyKind:
        assert desk.officer.roles_on(kind) == {Role.ONESTOP}
    assert list(officers_of(agency.pk, BodyKind.POLICE, role=Role.LEADER)) == [police.officer]
    assert list(officers_of(agency.pk, BodyKind.COMMITTEE, role=Role.LEADER)) == [leader.officer]


def test_an_officer_works_only_for_a_body_of_their_own_agency(agency, other_agency, police, other_desk):
    body = police.officer.body

    with pytest.raises(ValueError, match="is not a body of"):
        set_officer(other_desk, agency=other_agency, roles=[Role.LEADER], body=body)
    officer = other_desk.officer
    officer.body = body
    with pytest.raises(ValidationError) as invalid:
        officer.full_clean()
    assert invalid.value.message_dict == {"body": ["Cơ quan này không thuộc đơn vị của cán bộ."]}
