"""One dossier as the API answers it (GET /api/v1/dossiers/{code}), read in two queries.

1. The dossier, if the caller may see it (`services.visible_dossiers`, the same rule as every list), with
   its procedure, the agency's collection details, its bundle's code, the status of the part it waits for,
   and the columns apps above dossiers add (`PART_COLUMNS`: payments' fee request).
2. Everything listed under it, in one UNION ALL: events (with the actor's name), attachments, result files,
   supplement requests, the procedure's required documents and the other parts of its bundle.

Both are `Prepared` (compiled once per process). The caller's token, user, officer row and roles were read
by the bearer check before (`accounts.bearer`): three queries in all, for citizens and officers alike.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.db.models import (
    CharField,
    DateTimeField,
    Expression,
    IntegerField,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.prepared import Prepared, columns

from .models import Attachment, Bundle, Dossier, Event, ResultFile, SupplementRequest
from .services import AsSeen, visible_dossiers

__all__ = ["PART_COLUMNS", "Read", "read"]

# Parts of the answer that an app above dossiers owns and reads along with the dossier in query 1, by the
# answer's key: (the columns, as {alias: expression} made when the query is first compiled; the part built
# from those columns' values by alias). PaymentsConfig.ready registers "payment".
PART_COLUMNS: dict[str, tuple[Callable[[], dict[str, Expression]], Callable[[dict], dict | None]]] = {}

_DOSSIER = [f.attname for f in Dossier._meta.concrete_fields]
_PROCEDURE = ["id", "code", "name", "executing_body", "level", "form_title"]
_AGENCY = ["id", "result_place", "ward_code", "opening_hours", "address", "phone"]


@dataclass
class Read:
    """What the answer lists, each in its model's order."""

    dossier: Dossier
    events: list[dict] = field(default_factory=list)  # at, action, from/to status, actor, role, note, visible
    attachments: list[dict] = field(default_factory=list)
    result_files: list[ResultFile] | None = field(default_factory=list)
    supplement: SupplementRequest | None = None  # the latest
    documents: list[tuple[str, bool]] = field(default_factory=list)  # required documents: name, required
    siblings: list[str] = field(default_factory=list)  # the other parts' codes, in order
    parts: dict[str, dict | None] = field(default_factory=dict)


def _dossier_query(user, code: str):
    parts = [expr for make, _ in PART_COLUMNS.values() for expr in make().values()]
    return columns(
        visible_dossiers(user).filter(code=code).order_by(),
        *_DOSSIER,
        *(f"procedure__{name}" for name in _PROCEDURE),
        *(f"agency__{name}" for name in _AGENCY),
        "bundle__code",
        "waits_for__status",
        *parts,
    )


_DOSSIER_QUERY = AsSeen(_dossier_query, code=str)


def _row(queryset, kind: str, *values):
    """`queryset` as one branch of the UNION: its kind, then its values in the UNION's columns."""
    return columns(queryset.order_by(), Value(kind), *values)


def _none(output_field) -> Cast:
    """A typed NULL: PostgreSQL types a UNION's column from its first branches, untyped NULLs as text."""
    return Cast(Value(None), output_field)


def _children_query(dossier: int, procedure: int, bundle: int):
    """Columns: kind, id, at, at2, t1, t2, t3, t4, n1, n2, n3 (each branch says what it puts where)."""
    no_time, no_text, no_number = _none(DateTimeField()), _none(CharField()), _none(IntegerField())
    events = _row(
        Event.objects.filter(dossier_id=dossier),
        "e",
        "pk",
        "at",
        no_time,
        "action",
        "role",
        "note",
        Coalesce(NullIf("actor__full_name", Value("")), "actor__username"),
        "from_status",
        "to_status",
        Cast("citizen_visible", IntegerField()),
    )
    attachments = _row(
        Attachment.objects.filter(dossier_id=dossier),
        *("a", "pk", "uploaded_at", no_time, "name", "sha256", "slot", no_text, "size", no_number, no_number),
    )
    result_files = _row(
        ResultFile.objects.filter(dossier_id=dossier),
        *(
            "r",
            "pk",
            "uploaded_at",
            no_time,
            "name",
            "sha256",
            "content_type",
            no_text,
            "size",
            no_number,
            no_number,
        ),
    )
    supplements = _row(
        SupplementRequest.objects.filter(dossier_id=dossier),
        "s",
        "pk",
        "requested_at",
        "resolved_at",
        "reason",
        Cast("items", TextField()),
        no_text,
        no_text,
        no_number,
        no_number,
        no_number,
    )
    required = Cast("required", IntegerField())
    documents = _row(
        RequiredDocument.objects.filter(procedure_id=procedure),
        *("d", "pk", no_time, no_time, "name", no_text, no_text, no_text, "order", required, no_number),
    )
    siblings = _row(
        Dossier.objects.filter(bundle_id=bundle).exclude(pk=dossier),
        *("b", "pk", no_time, no_time, "code", no_text, no_text, no_text, "part", no_number, no_number),
    )
    return events.union(attachments, result_files, supplements, documents, siblings, all=True).order_by()


_CHILDREN = Prepared(_children_query, dossier=int, procedure=int, bundle=int)
_procedure_of = Dossier._meta.get_field("procedure")
_agency_of = Dossier._meta.get_field("agency")
_bundle_of = Dossier._meta.get_field("bundle")
_waits_for_of = Dossier._meta.get_field("waits_for")
_dossier_of_result = ResultFile._meta.get_field("dossier")


def read(user, code: str) -> Read | None:
    """Dossier `code` and all its answer lists, if `user` may see it; else None (the caller's 404)."""
    if user is None or not user.is_authenticated:
        return None
    rows = _DOSSIER_QUERY.rows(user, code=code)
    if not rows:
        return None
    dossier = _dossier(rows[0])
    answer = Read(dossier)
    row = rows[0][len(_DOSSIER) + len(_PROCEDURE) + len(_AGENCY) + 2 :]
    values = dict(zip(_part_aliases(), row, strict=True))
    answer.parts = {key: build(values) for key, (_, build) in PART_COLUMNS.items()}
    _children(answer)
    return answer


def _instance(model, **values):
    """A model instance with these fields loaded (any other is deferred: reading it would query)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]  # from_db's order
    return model.from_db("default", names, [values[name] for name in names])


@cache
def _part_aliases() -> list[str]:
    """The aliases of the parts' columns, in the query's order (the parts are registered at start-up)."""
    return [alias for make, _ in PART_COLUMNS.values() for alias in make()]


def _dossier(row: list) -> Dossier:
    n, p, a = len(_DOSSIER), len(_PROCEDURE), len(_AGENCY)
    dossier = Dossier.from_db("default", _DOSSIER, row[:n])
    procedure = dict(zip(_PROCEDURE, row[n : n + p], strict=True))
    agency = dict(zip(_AGENCY, row[n + p : n + p + a], strict=True))
    _procedure_of.set_cached_value(dossier, _instance(Procedure, **procedure))
    _agency_of.set_cached_value(dossier, _instance(Agency, **agency))
    bundle_code, waits_for_status = row[n + p + a], row[n + p + a + 1]
    if dossier.bundle_id is not None:
        _bundle_of.set_cached_value(dossier, _instance(Bundle, id=dossier.bundle_id, code=bundle_code))
    if dossier.waits_for_id is not None:  # the part it waits for: only its status is read (to receive)
        _waits_for_of.set_cached_value(
            dossier, _instance(Dossier, id=dossier.waits_for_id, status=waits_for_status)
        )
    return dossier


def _children(answer: Read) -> None:
    dossier = answer.dossier
    rows = _CHILDREN.rows(dossier=dossier.pk, procedure=dossier.procedure_id, bundle=dossier.bundle_id or 0)
    events, attachments, results, supplements, documents, siblings = [], [], [], [], [], []
    for kind, pk, at, at2, t1, t2, t3, t4, n1, n2, n3 in rows:
        if kind == "e":
            events.append((at, pk, t1, n1, n2, t4, t2, t3, bool(n3)))
        elif kind == "a":
            attachments.append((t3, at, pk, t1, n1, t2))
        elif kind == "r":
            results.append((at, pk, t1, n1, t2, t3))
        elif kind == "s":
            supplements.append((at, pk, at2, t1, t2))
        elif kind == "d":
            documents.append((n1, pk, t1, bool(n2)))
        elif kind == "b":
            siblings.append((n1, pk, t1))
    answer.events = [
        {
            "at": at,
            "action": a,
            "from_status": f,
            "to_status": t,
            "actor": actor,
            "role": r,
            "note": note,
            "visible": v,
        }
        for at, _, a, f, t, actor, r, note, v in sorted(events, key=lambda e: (e[0], e[1]))
    ]
    answer.attachments = [
        {"id": pk, "name": name, "size": size, "sha256": sha, "slot": slot}
        for slot, _, pk, name, size, sha in sorted(attachments, key=lambda a: (a[0], a[1], a[2]))
    ]
    for at, pk, name, size, sha, content_type in sorted(results, key=lambda r: (r[0], r[1])):
        item = _instance(
            ResultFile,
            id=pk,
            dossier_id=dossier.pk,
            uploaded_at=at,
            name=name,
            size=size,
            sha256=sha,
            content_type=content_type,
        )
        _dossier_of_result.set_cached_value(item, dossier)
        answer.result_files.append(item)
    if supplements:
        at, pk, resolved_at, reason, items = max(supplements, key=lambda s: (s[0], s[1]))
        answer.supplement = _instance(
            SupplementRequest,
            id=pk,
            dossier_id=dossier.pk,
            requested_at=at,
            resolved_at=resolved_at,
            reason=reason,
            items=json.loads(items),
        )
    answer.documents = [(name, required) for _, _, name, required in sorted(documents)]
    answer.siblings = [code for _, _, code in sorted(siblings)]
