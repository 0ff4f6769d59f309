"""Joined-up procedures (thủ tục liên thông): one filing, one dossier per body.

A catalogue procedure with parts (`catalog.ProcedurePart`, e.g. 2.000986: birth registration by the People's
Committee, then permanent residence by the commune police and the health insurance card by the social
insurance office) is filed once, with one set of answers — the declaration is the parts' own fields, read
from them (`catalog.models.declaration_fields`). Filing it makes one `Bundle` and one dossier per part, each
submitted through `lifecycle.perform` with its own code, fee, status, due date, body and officer.

Order: a part that needs an earlier part's result (`ProcedurePart.after`: residence and the card need the
birth certificate, Nghị định 63/2024/NĐ-CP, Điều 7) is filed with the others and gets its code at once,
but the desk may receive it only when that part is done (status 9 or 10: the `receive` action's guard,
`actions.earlier_part_done`); its clock starts then. When a part ends without a result (refused, stopped,
withdrawn), the parts that wait for it are stopped by the system (`stop_part`) with a reason the citizen
reads, and told by the usual notice; the parts that do not depend on it go on.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.services import body_for
from motcua.catalog.models import part_procedures
from motcua.workdays.services import describe_due

from .actions import OPEN, earlier_part_done
from .declaration import AS_WRITTEN
from .lifecycle import SYSTEM_ACTOR, perform
from .models import Bundle, Dossier, Status

__all__ = ["ENDED", "Part", "bundle_for", "file_joined", "parts_of", "stop_dependents"]

ENDED = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)  # a part that ends without its result
DONE = (Status.DONE, Status.RETURNED)


def file_joined(draft: Dossier, *, by, note: str = "", data: dict | None = None) -> Dossier:
    """File the draft of a joined-up procedure: the draft becomes the first part's dossier and one more
    dossier is made for each other part, each submitted through `perform`. Call inside the transaction that
    locked the draft (`services.submit`, or filing for someone at the counter or by the community team, with
    their `note` and `data`); returns the first part's dossier."""
    joined = draft.procedure
    parts = part_procedures(joined)
    answers = dict(draft.form_data or {})
    confirmed = answers.pop(AS_WRITTEN, [])
    attachments = [(a, a.slot) for a in draft.attachments.all()]  # with the joined filing's slots
    dossiers: dict[int, Dossier] = {}
    bundle = None
    for part, procedure in parts:
        names = {spec.name for spec in procedure.form_fields.all()}
        form = {k: v for k, v in answers.items() if k in names}
        if kept := [n for n in confirmed if n in names]:
            form[AS_WRITTEN] = kept
        if part.order == 1:
            dossier = draft  # keeps its pk and idempotency key: a retried filing finds it
            dossier.procedure = procedure
            dossier.form_data = form
        else:
            dossier = Dossier(
                agency=draft.agency,
                procedure=procedure,
                applicant=draft.applicant,
                applicant_name=draft.applicant_name,
                applicant_phone=draft.applicant_phone,
                applicant_id_number=draft.applicant_id_number,
                applicant_address=draft.applicant_address,
                filed_by=draft.filed_by,
                channel=draft.channel,
                form_data=form,
            )
        dossier.bundle = bundle
        dossier.part = part.order
        dossier.waits_for = dossiers.get(part.after) if part.after else None
        dossier.save()
        for attachment, filed_in in attachments:  # a paper goes to the part that asks for it, else the first
            slot = part.papers.get(filed_in)
            if slot is not None or (part.order == 1 and not _claimed(parts, filed_in)):
                attachment.dossier = dossier
                attachment.slot = slot or "khac"
                attachment.save(update_fields=["dossier", "slot"])
        dossier = perform(dossier, "submit", by=by, note=note, data=data)
        if bundle is None:
            bundle = Bundle.objects.create(
                code=dossier.code, agency=dossier.agency, procedure=joined, applicant=dossier.applicant
            )
            Dossier.objects.filter(pk=dossier.pk).update(bundle=bundle)
            dossier.bundle = bundle
        dossiers[part.order] = dossier
    return dossiers[1]


def _claimed(parts, slot: str) -> bool:
    return any(slot in part.papers for part, _procedure in parts)


def stop_dependents(transition) -> None:
    """A part ended without its result: stop the open parts that wait for it, saying why (a subscriber of
    refuse, stop, stop_part and withdraw, inside the transition's transaction)."""
    ended = transition.dossier
    if not ended.bundle_id:
        return
    with translation.override("vi"):  # the reason is a record, in Vietnamese whoever reads it
        reason = _(
            "Phần “%(name)s” (hồ sơ %(code)s) của hồ sơ liên thông không được giải quyết, nên phần này "
            "không thực hiện được. Ông/bà có thể nộp lại thủ tục riêng khi có đủ giấy tờ."
        ) % {"name": ended.procedure.name, "code": ended.code}
    for dependent in Dossier.objects.filter(waits_for=ended, status__in=OPEN).order_by("part"):
        perform(dependent, "stop_part", by=SYSTEM_ACTOR, note=reason)


# --- what the citizen sees --------------------------------------------------------------------------------


def bundle_for(user, code: str) -> Bundle | None:
    """The bundle `code` if it is the user's own; else None, and the page answers 404 as for a bundle that
    does not exist. Officers work on each part from their queue (/can-bo/ho-so/<code>/)."""
    if user is None or not user.is_authenticated:
        return None
    return Bundle.objects.select_related("procedure", "agency").filter(code=code, applicant=user).first()


WAITING = gettext_lazy("Chờ kết quả phần %(n)s (%(name)s), rồi bộ phận một cửa tiếp nhận.")
NEXT = {
    Status.NEW: gettext_lazy("Chờ bộ phận một cửa tiếp nhận."),
    Status.RECEIVED: gettext_lazy("%(body)s đang giải quyết. Hẹn trả: %(due)s."),
    Status.PROCESSING: gettext_lazy("%(body)s đang giải quyết. Hẹn trả: %(due)s."),
    Status.SUPPLEMENT: gettext_lazy("Bạn cần gửi bổ sung giấy tờ: mở hồ sơ của phần này."),
    Status.PAYMENT: gettext_lazy("Bạn cần nộp phí, lệ phí: mở hồ sơ của phần này."),
    Status.DONE: gettext_lazy("Đã có kết quả, nhận tại %(place)s."),
    Status.RETURNED: gettext_lazy("Đã trả kết quả."),
    Status.REFUSED: gettext_lazy("Không được tiếp nhận. Lý do: %(reason)s"),
    Status.STOPPED: gettext_lazy("Đã dừng. Lý do: %(reason)s"),
    Status.WITHDRAWN: gettext_lazy("Bạn đã rút phần này."),
}


@dataclass(frozen=True)
class Part:
    """One part of a bundle as the citizen reads it."""

    dossier: Dossier
    body: str  # who decides it: Ủy ban nhân dân xã…, Công an xã…, Bảo hiểm xã hội…
    next_step: str
    waiting: bool

    @property
    def done(self) -> bool:
        return self.dossier.status in DONE

    @property
    def ended(self) -> bool:
        return self.dossier.status in ENDED


def parts_of(bundle: Bundle) -> list[Part]:
    dossiers = list(
        bundle.dossiers.select_related("procedure", "agency", "waits_for__procedure").order_by("part")
    )
    return [_part(d) for d in dossiers]


def _part(dossier: Dossier) -> Part:
    body = body_for(dossier.agency, dossier.procedure.executing_body).name
    waiting = dossier.status == Status.NEW and not earlier_part_done(dossier)
    if waiting:
        earlier = dossier.waits_for
        text = WAITING % {"n": earlier.part, "name": earlier.procedure.tr("name", marked=False)}
    elif dossier.status == Status.NEW and dossier.fee_pending:
        text = str(NEXT[Status.PAYMENT])
    else:
        reason = ""
        if dossier.status in ENDED:
            events = dossier.events.filter(to_status=dossier.status, citizen_visible=True)
            event = events.order_by("-pk").first()
            reason = event.note if event else ""
        text = str(NEXT.get(dossier.status, "")) % {
            "body": body,
            "due": describe_due(dossier.due_at) if dossier.due_at else "",
            "place": dossier.agency.collect_place,
            "reason": reason or "—",
        }
    return Part(dossier=dossier, body=body, next_step=text, waiting=waiting)


def bundles_of(user) -> QuerySet[Bundle]:
    return Bundle.objects.filter(applicant=user).select_related("procedure")


def sibling_codes(dossier: Dossier) -> list[str]:
    """The codes of the other parts of the dossier's bundle, in order (empty when it has none)."""
    if not dossier.bundle_id:
        return []
    return list(
        Dossier.objects.filter(bundle_id=dossier.bundle_id)
        .exclude(pk=dossier.pk)
        .order_by("part")
        .values_list("code", flat=True)
    )
