"""Portal content: news, static pages, and the demo data that `make run` loads."""

import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.agencies.models import Agency, Body, BodyKind, Role
from motcua.agencies.services import ensure_role_groups, set_officer
from motcua.catalog.services import load_catalogue_file
from motcua.outreach.team import demo_villages

from .models import Article, Category, Page

__all__ = ["DEMO_PASSWORD", "load_content", "load_demo"]

DATA = Path(__file__).resolve().parent / "data"
CATALOGUE = Path(settings.BASE_DIR) / "motcua" / "catalog" / "data" / "catalogue.json"
DEMO_PASSWORD = "demo-2026"  # noqa: S105 — public demo password, DESIGN.md

DEMO_AGENCIES = [
    {
        "agency_id": "000.20.44.H54",
        "name": "Ủy ban nhân dân xã Vĩnh Linh",
        "parent_name": "Ủy ban nhân dân tỉnh Quảng Trị",
        "province_code": 44,
        "ward_code": 19363,
        "address": "Trung tâm Phục vụ hành chính công xã Vĩnh Linh, tỉnh Quảng Trị",
        "result_place": "Trung tâm Phục vụ hành chính công xã Vĩnh Linh",
        "opening_hours": "7h30-11h30, 13h30-17h, T2-T6",
        "phone": "0233 3 000 000",
        "bank_bin": "970415",
        "bank_name": "VietinBank",
        "bank_account": "113000000001",
        "bank_account_name": "UBND XA VINH LINH",
    },
    {
        "agency_id": "000.21.44.H54",
        "name": "Ủy ban nhân dân xã Cửa Tùng",
        "parent_name": "Ủy ban nhân dân tỉnh Quảng Trị",
        "province_code": 44,
        "ward_code": 19414,
        "address": "Trung tâm Phục vụ hành chính công xã Cửa Tùng, tỉnh Quảng Trị",
        "result_place": "Trung tâm Phục vụ hành chính công xã Cửa Tùng",
        "opening_hours": "7h30-11h30, 13h30-17h, T2-T6",
        "phone": "0233 3 000 001",
        "bank_bin": "970415",
        "bank_name": "VietinBank",
        "bank_account": "113000000002",
        "bank_account_name": "UBND XA CUA TUNG",
    },
]
# username, full name, roles, agency index
DEMO_OFFICERS = [
    ("motcua", "Trần Thị Mai", [Role.ONESTOP], 0, "Công chức một cửa"),
    ("chuyenvien", "Lê Văn Hùng", [Role.SPECIALIST], 0, "Công chức Tư pháp - Hộ tịch"),
    ("lanhdao", "Nguyễn Văn Bình", [Role.LEADER], 0, "Phó Chủ tịch UBND xã"),
    ("quantri", "Phạm Minh Quân", [Role.ADMIN], 0, "Quản trị hệ thống"),
    ("congdong", "Võ Văn Tâm", [Role.COMMUNITY], 0, "Tổ công nghệ số cộng đồng"),
    ("motcua.cuatung", "Hoàng Thị Lan", [Role.ONESTOP], 1, "Công chức một cửa"),
    # The commune police registers residence (Luật Cư trú số 68/2020/QH14, Điều 2 khoản 4): its chief
    # handles and approves the residence dossiers that the one-stop desk receives.
    ("congan", "Trần Văn Công", [Role.SPECIALIST, Role.LEADER], 0, "Trưởng Công an xã"),
    # The social insurance office issues the health insurance card of a child under 6, the third part of the
    # joined-up birth filing 2.000986 (Nghị định 63/2024/NĐ-CP): its officer decides that part.
    ("baohiem", "Lê Thị Bảo", [Role.SPECIALIST, Role.LEADER], 0, "Viên chức Bảo hiểm xã hội"),
]
# Bodies beside a commune's People's Committee: agency index, kind, name, superior body, signer's title.
DEMO_BODIES = [
    (0, BodyKind.POLICE, "Công an xã Vĩnh Linh", "Công an tỉnh Quảng Trị", "Trưởng Công an xã"),
    (0, BodyKind.SOCIAL_INSURANCE, "Bảo hiểm xã hội tỉnh Quảng Trị", "Bảo hiểm xã hội Việt Nam", "Giám đốc"),
]
# The others work for the People's Committee.
DEMO_OFFICER_BODIES = {"congan": BodyKind.POLICE, "baohiem": BodyKind.SOCIAL_INSURANCE}
# phone (E.164), full name
# The villages of Vĩnh Linh in the demo: the community team's `congdong` covers the first two, so that their
# help requests go to him; a request from the third waits for the desk.
DEMO_VILLAGES = ["Thôn Tân Trại", "Thôn Hòa Bình", "Xóm Bến Hải"]
DEMO_CITIZENS = [("+84912345678", "Nguyễn Thị Hường"), ("+84987654321", "Lê Văn Nam")]


@transaction.atomic
def load_content(path: Path) -> None:
    """Create or update the categories, articles and pages of a content file (idempotent)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    categories = {}
    for c in data.get("categories", []):
        categories[c["slug"]], _ = Category.objects.update_or_create(
            slug=c["slug"], defaults={"name": c["name"]}
        )
    for a in data.get("articles", []):
        article = Article.objects.filter(slug=a["slug"]).first() or Article(slug=a["slug"])
        article.title, article.summary, article.body = a["title"], a.get("summary", ""), a["body"]
        article.category = categories[a["category"]]
        article.published_at = dt.datetime.fromisoformat(a["published_at"])
        article.save()
    for p in data.get("pages", []):
        page = Page.objects.filter(slug=p["slug"]).first() or Page(slug=p["slug"])
        page.title, page.body = p["title"], p["body"]
        page.save()


@transaction.atomic
def load_demo() -> list[str]:
    """Load the demo commune, accounts, catalogue and news; safe to run again. Returns the logins."""
    if not settings.DEMO:
        raise RuntimeError("Demo data is only loaded with DEMO=1, never in production.")
    ensure_role_groups()
    agencies = []
    for values in DEMO_AGENCIES:
        agency, _ = Agency.objects.update_or_create(agency_id=values["agency_id"], defaults=values)
        agencies.append(agency)
    bodies = {}
    for agency_index, kind, name, parent_name, signer_title in DEMO_BODIES:
        bodies[agency_index, kind], _ = Body.objects.update_or_create(
            agency=agencies[agency_index],
            kind=kind,
            defaults={"name": name, "parent_name": parent_name, "signer_title": signer_title},
        )
    User = get_user_model()
    logins = []
    for username, full_name, roles, agency_index, title in DEMO_OFFICERS:
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
        if Role.ADMIN in roles:
            user.is_superuser = True
        user.save()
        body = bodies.get((agency_index, DEMO_OFFICER_BODIES.get(username)))
        set_officer(user, agency=agencies[agency_index], roles=list(roles), title=title, body=body)
        works_for = body or agencies[agency_index]
        logins.append(f"{username:<16} {', '.join(str(r.label) for r in roles)} — {works_for.name}")
    for phone, full_name in DEMO_CITIZENS:
        user, created = User.objects.get_or_create(
            username=phone, defaults={"full_name": full_name, "phone": phone, "identity_level": 1}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        logins.append(f"{'0' + phone[3:]:<16} Công dân — {full_name}")
    load_catalogue_file(CATALOGUE)
    load_content(DATA / "demo_content.json")
    demo_villages(agencies[0], names=DEMO_VILLAGES, member=User.objects.get(username="congdong"), covered=2)
    return logins
