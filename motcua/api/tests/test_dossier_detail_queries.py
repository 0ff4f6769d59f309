"""GET /api/v1/dossiers/{code} in three queries (issue 15): the bearer token with its user, officer row and
roles; the dossier with its procedure, agency and fee request; everything listed under it in one.

The answer is the one `dossier_out` builds with the ORM for the same dossier and caller, field for field
and in the same order, for every persona (a 404 for those who may not see it, alike for a dossier that
does not exist). Nothing of the caller is cached between requests: a token revoked, an account
deactivated, a role taken away stops working at the very next request.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ninja.responses import NinjaJSONEncoder

from motcua.accounts.models import ApiToken, User
from motcua.accounts.services import issue_token, sign_out_everywhere
from motcua.agencies.services import set_officer
from motcua.catalog.services import get_procedure
from motcua.dossiers import services
from motcua.dossiers.api import dossier_out
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import dossier_in, file_birth

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
UNKNOWN_CODE = "000.20.44.H54-991231-9999"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name: str = "giay-chung-sinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def get(client, token: str, code: str):
    return client.get(f"/api/v1/dossiers/{code}", HTTP_AUTHORIZATION=f"Bearer {token}")


def as_the_orm_answers(code: str, user) -> dict:
    """The answer built the slow way: the dossier and the caller read afresh, every list by the ORM."""
    dossier = Dossier.objects.select_related("procedure", "agency").get(code=code)
    return json.loads(json.dumps(dossier_out(dossier, User.objects.get(pk=user.pk)), cls=NinjaJSONEncoder))


@pytest.fixture
def everyone(people, other_citizen, other_desk, community, administrator, police):
    return {
        **people,
        "other_citizen": other_citizen,
        "other_desk": other_desk,
        "community": community,
        "administrator": administrator,
        "police": police,
    }


@pytest.fixture
def dossiers(catalogue, agency, people):
    """Dossiers with something in every list: a supplement asked and answered with a file, a fee asked,
    a result file to download, and one just filed."""
    citizen, desk, leader = people["citizen"], people["desk"], people["leader"]
    asked = dossier_in(Status.SUPPLEMENT, people=people, agency=agency)
    request = asked.supplement_requests.get()
    services.add_attachment(asked, upload=pdf(), slot="1", by=citizen, supplement=request)
    services.add_attachment(asked, upload=pdf("ban-sao.pdf"), slot="2", by=citizen, supplement=request)
    fee = dossier_in(Status.PAYMENT, people=people, agency=agency)
    done = dossier_in(Status.PROCESSING, people=people, agency=agency, awaiting_approval=True)
    done = services.perform(done, "approve", by=leader, data={"result_file": pdf("trich-luc.pdf")})
    services.perform(done, "attach_result", by=desk, data={"result_file": pdf("ban-sao-trich-luc.pdf")})
    new = file_birth(citizen, agency)
    return [asked.code, fee.code, done.code, new.code]


def test_every_persona_gets_the_answer_the_orm_builds_in_three_queries(client, dossiers, everyone):
    for name, user in everyone.items():
        token = issue_token(user)
        for code in dossiers:
            with CaptureQueriesContext(connection) as queries:
                response = get(client, token, code)
            sees = services.visible_dossiers(user).filter(code=code).exists()
            if not sees:
                assert response.status_code == 404, (name, code)
                assert response.content == get(client, token, UNKNOWN_CODE).content
                continue
            assert response.status_code == 200, (name, code, response.content)
            expected = as_the_orm_answers(code, user)
            assert response.json() == expected, (name, code)
            assert list(response.json()) == list(expected)  # the same fields in the same order
            assert len(queries) == 3, (name, code, [q["sql"] for q in queries])


def test_the_lists_are_all_there(client, dossiers, people):
    asked, fee, done, _ = dossiers
    token = issue_token(people["desk"])
    answer = get(client, token, asked).json()
    assert [a["name"] for a in answer["attachments"]] == ["giay-chung-sinh.pdf", "ban-sao.pdf"]
    assert answer["supplement_request"]["items"] == ["Giấy chứng sinh bản chính"]
    assert [e["action"] for e in answer["events"]] == ["submit", "receive", "forward", "request_supplement"]
    assert get(client, token, fee).json()["payment"]["amount_vnd"] == 8000
    files = get(client, token, done).json()["result"]["files"]
    assert [f["name"] for f in files] == ["trich-luc.pdf", "ban-sao-trich-luc.pdf"]


def test_an_officer_token_answers_in_exactly_three_queries(client, dossiers, people):
    token = issue_token(people["desk"])
    with CaptureQueriesContext(connection) as queries:
        assert get(client, token, dossiers[0]).status_code == 200
    assert len(queries) == 3


def test_a_citizen_token_answers_in_exactly_three_queries(client, dossiers, people):
    token = issue_token(people["citizen"])
    with CaptureQueriesContext(connection) as queries:
        assert get(client, token, dossiers[0]).status_code == 200
    assert len(queries) == 3


def test_a_revoked_token_stops_working_at_the_next_request(client, dossiers, people):
    token = issue_token(people["citizen"])
    assert get(client, token, dossiers[0]).status_code == 200
    sign_out_everywhere(people["citizen"])
    assert get(client, token, dossiers[0]).status_code == 401


def test_an_expired_token_is_refused(client, dossiers, people):
    token = issue_token(people["desk"])
    assert get(client, token, dossiers[0]).status_code == 200
    ApiToken.objects.update(expires_at=ApiToken.objects.get().created_at)
    assert get(client, token, dossiers[0]).status_code == 401


def test_a_deactivated_officer_is_refused_at_the_next_request(client, dossiers, people):
    token = issue_token(people["desk"])
    assert get(client, token, dossiers[0]).status_code == 200
    User.objects.filter(pk=people["desk"].pk).update(is_active=False)
    assert get(client, token, dossiers[0]).status_code == 401


def test_a_role_taken_away_counts_at_the_next_request(client, dossiers, agency, people):
    desk = people["desk"]
    token = issue_token(desk)
    answer = get(client, token, dossiers[3]).json()
    assert "receive" in answer["actions"]
    set_officer(desk, agency=agency, roles=["community"])  # moved to the community team: sees what they filed
    assert get(client, token, dossiers[3]).status_code == 404
    set_officer(desk, agency=agency, roles=["specialist"])
    answer = get(client, token, dossiers[3]).json()
    assert "receive" not in answer["actions"]


def test_the_parts_of_a_joined_up_filing_answer_as_the_orm_builds_them(client, agency, catalogue, everyone):
    from motcua.dossiers.tests.test_bundles import JOINED, JOINED_FORM, take_to_done

    citizen = everyone["citizen"]
    citizen.identity_level = 3  # filed with a level-2 electronic identity (VNeID)
    citizen.save(update_fields=["identity_level"])
    first = services.file_online(
        procedure=get_procedure(JOINED), applicant=citizen, agency=agency, form=JOINED_FORM
    )
    parts = list(Dossier.objects.filter(bundle=first.bundle).order_by("part").values_list("code", flat=True))
    assert len(parts) >= 2
    waiting = Dossier.objects.exclude(waits_for=None).first()
    for stage in ("filed", "birth done"):  # a later part offers "receive" only once the birth is done
        if stage == "birth done":
            take_to_done(waiting.waits_for, everyone["desk"], everyone["specialist"], everyone["leader"])
        for name, user in everyone.items():
            token = issue_token(user)
            for code in parts:
                with CaptureQueriesContext(connection) as queries:
                    response = get(client, token, code)
                if response.status_code == 404:
                    assert not services.visible_dossiers(user).filter(code=code).exists()
                    continue
                assert response.json() == as_the_orm_answers(code, user), (stage, name, code)
                assert response.json()["bundle"]["siblings"] == [c for c in parts if c != code]
                assert len(queries) == 3, (stage, name, code)
    desk = issue_token(everyone["desk"])
    assert "receive" in get(client, desk, waiting.code).json()["actions"]
