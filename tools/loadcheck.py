"""The Django side of `make loadtest` and `make faults`: accounts for the simulated people, what the database
holds after the run, and the checks that compare it with what the workload was told.

`prepare` and `dump` run inside the stack's environment (`Stack.manage("shell", "-c", ...)`) and print JSON;
`check_filings` and `check_messages` are plain functions of that JSON and of what the load generator and
the eSMS stand-in recorded, so that the test suite checks them on a small set without a stack.
"""

import json
import re

PASSWORD = "tai-thu-2026"  # noqa: S105 - the simulated people's password (a private, throwaway database)
CITIZEN_PHONE = "+8491{:07d}"  # +84910000000, +84910000001, ...
OFFICER_NAME = "taithu.motcua{}"


def prepare(citizens: int, officers: int) -> None:
    """Create (or keep) the simulated citizens and one-stop officers of the first agency; print them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from motcua.agencies.models import Agency, Role
    from motcua.agencies.services import set_officer

    user_model = get_user_model()
    hashed = make_password(PASSWORD)  # hashed once for everybody (argon2, ~20 ms a time)
    agency = Agency.objects.order_by("pk").first()
    phones = [CITIZEN_PHONE.format(i) for i in range(citizens)]
    existing = set(user_model.objects.filter(username__in=phones).values_list("username", flat=True))
    user_model.objects.bulk_create(
        [
            user_model(
                username=phone, phone=phone, full_name=f"Người Thử {i}", identity_level=1, password=hashed
            )
            for i, phone in enumerate(phones)
            if phone not in existing
        ]
    )
    names = []
    for i in range(officers):
        user, created = user_model.objects.get_or_create(
            username=OFFICER_NAME.format(i), defaults={"full_name": f"Cán Bộ Thử {i}", "password": hashed}
        )
        set_officer(user, agency=agency, roles=[Role.ONESTOP], title="Công chức một cửa")
        names.append(user.username)
    print(json.dumps({"citizens": ["0" + p[3:] for p in phones], "officers": names, "password": PASSWORD}))


def dump(since: float) -> None:
    """Print the dossiers filed and the outside messages recorded since `since` (a UNIX time) as JSON."""
    import datetime as dt

    from motcua.dossiers.models import Dossier
    from motcua.notifications.models import Channel, Message

    start = dt.datetime.fromtimestamp(since, tz=dt.UTC)
    dossiers = [
        {
            "code": d["code"],
            "procedure": d["procedure__code"],
            "status": d["status"],
            "marker": marker_of(d["form_data"]),
            "key": d["idempotency_key"],
        }
        for d in Dossier.objects.filter(submitted_at__gte=start)
        .exclude(code=None)
        .values("code", "procedure__code", "status", "form_data", "idempotency_key")
    ]
    messages = list(
        Message.objects.filter(created_at__gte=start)
        .exclude(channel=Channel.INAPP)
        .values(
            "pk",
            "channel",
            "kind",
            "event_id",
            "address",
            "status",
            "provider",
            "provider_message_id",
            "idempotency_key",
            "attempts",
            "last_error",
        )
    )
    print(json.dumps({"dossiers": dossiers, "messages": messages}, ensure_ascii=False))


MARKER_FIELDS = ("business_name", "previous_registration")  # where the workload writes its filing's mark


def marker_of(form_data: dict) -> str:
    for name in MARKER_FIELDS:
        value = str((form_data or {}).get(name, ""))
        if "LT-" in value:
            return value[value.index("LT-") :].split()[0]
    return ""


def check_filings(
    acked: dict[str, str], dossiers: list[dict], *, unsure: set[str] = frozenset()
) -> list[str]:
    """Problems with the filings: `acked` maps each filing's mark to the code the server answered with,
    `dossiers` is `dump`'s list, `unsure` holds the marks of filings whose answer never came (an error or
    a timeout during a fault): those may exist once, or not at all, but never twice."""
    problems = []
    by_marker: dict[str, list[str]] = {}
    for d in dossiers:
        if d["marker"]:
            by_marker.setdefault(d["marker"], []).append(d["code"])
    for marker, code in sorted(acked.items()):
        codes = by_marker.get(marker, [])
        if not codes:
            problems.append(f"lost: filing {marker} was acknowledged as {code} but is not in the database")
        elif len(codes) > 1:
            problems.append(f"doubled: filing {marker} exists {len(codes)} times: {', '.join(sorted(codes))}")
        elif codes[0] != code:
            problems.append(
                f"mismatch: filing {marker} was acknowledged as {code}, the database has {codes[0]}"
            )
    for marker, codes in sorted(by_marker.items()):
        if marker in acked:
            continue
        if marker not in unsure:
            problems.append(
                f"unacknowledged: {', '.join(codes)} ({marker}) exists, the workload was never told"
            )
        elif len(codes) > 1:
            problems.append(f"doubled: unanswered filing {marker} exists {len(codes)} times")
    return problems


def check_messages(messages: list[dict], accepted: dict[str, str]) -> list[str]:
    """Problems with the SMS messages: each must have been accepted by the provider (the stand-in, which
    like eSMS accepts one RequestId once and refuses a resend with code 124), with the id it gave; one event
    never makes two messages to one number; the provider accepted nothing the database does not hold. A
    message whose worker died after handing it over keeps no provider id (the resend's answer, eSMS code
    124, carries none): that is no problem, it was still accepted once. `accepted`: RequestId -> SMSID."""
    problems = []
    sms = [m for m in messages if m["channel"] == "sms"]
    seen_events: dict[tuple, int] = {}
    for m in sms:
        key = m["idempotency_key"]
        if m["event_id"] is not None:
            seen_events[(m["event_id"], m["kind"], m["address"])] = (
                seen_events.get((m["event_id"], m["kind"], m["address"]), 0) + 1
            )
        if m["status"] in ("queued", "sending"):
            problems.append(f"undelivered: message {m['pk']} ({m['kind']}) still {m['status']}")
        elif m["status"] == "failed":
            problems.append(f"lost: message {m['pk']} ({m['kind']}) failed: {m['last_error']}")
        elif key not in accepted:
            problems.append(
                f"lost: message {m['pk']} is {m['status']} but the SMS provider never accepted it"
            )
        elif m["provider_message_id"] and accepted[key] != m["provider_message_id"]:
            problems.append(
                f"mismatch: message {m['pk']} records provider id {m['provider_message_id']!r}, "
                f"the provider gave {accepted[key]!r}"
            )
    for (event, kind, _address), count in seen_events.items():
        if count > 1:
            problems.append(f"doubled: event {event} made {count} {kind} messages to one number")
    known = {m["idempotency_key"] for m in sms}
    for key in sorted(set(accepted) - known):
        problems.append(f"phantom: the provider accepted {key}, which the database does not hold")
    return problems


def problem_text(html: str | None) -> str:
    """The first message shown to the person on an error page or a refused form, to report it."""
    html = html or ""
    for pattern in (
        r'class="[^"]*(?:error|problem|alert)[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*([^<]{3,200})',
        r"<h1[^>]*>([^<]{3,200})",
        r'"detail":\s*"([^"]{1,200})',
    ):
        if found := re.search(pattern, html):
            return found.group(1).strip()
    return html[:120].strip()
