"""The back office (/can-bo/): the agency's queue, one dossier with its actions, counter intake, the
declaration corrected at reception, papers scanned at the counter."""

import datetime as dt
import html
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.access import officer_required
from motcua.agencies.models import Role
from motcua.agencies.services import body_for, officers_of
from motcua.catalog.models import declaration_fields
from motcua.catalog.services import get_procedure, search_procedures
from motcua.text import whole_number
from motcua.workdays.services import describe_due

from . import keyset, services
from .actions import catalogue_fee, earlier_part_done, has_online_result
from .declaration import DeclarationForm, display
from .diacritics import flagged_fields, lacks_diacritics
from .files import QuotaExceeded, StorageFailed
from .lifecycle import ACTIONS, OWN_PATHS, RESULT_METHODS, may
from .models import Status, Substate
from .states import CLOSED, labels

PAGE_SIZE = 25  # a counter officer reads a screenful
COUNT_CAP = 500  # counts beside the queue stop here ("hơn 500"): past it, the number changes nothing
# The queue's order, nearest due date first (none last), then the oldest filing: the keyset of its pages.
QUEUE_KEYS = (("due_at", False), ("submitted_at", False), ("pk", False))
QUEUE_KINDS = ("datetime", "datetime", "int")
QUEUE_FIELDS = (
    "due_at",
    "submitted_at",
    "pk",
    "code",
    "procedure__name",
    "applicant_name",
    "status",
    "substate",
    "paused_at",
    "completed_at",
    "returned_at",
    "closed_at",
)


FILTERS = ("trang-thai", "q", "thu-tuc", "qua-han", "hom-nay", "cua-toi", "cho-duyet")


def _filtered(params) -> bool:
    return any(params.get(name) for name in FILTERS)


def _queue(request):
    """The queue as the request's filters narrow it (a page after the first, or a filtered list)."""
    now = timezone.now()
    today = timezone.localdate()
    dossiers = services.queue_dossiers(request.user)
    if (status := whole_number(request.GET.get("trang-thai", ""))) is not None:
        dossiers = dossiers.filter(status=status)
    elif not request.GET.get("q"):
        dossiers = services.open_dossiers(dossiers)
    if code := request.GET.get("thu-tuc", "").strip():
        dossiers = dossiers.filter(procedure__code=code)
    if request.GET.get("qua-han"):
        dossiers = dossiers.filter(services.overdue_filter(now))
    if request.GET.get("hom-nay"):
        dossiers = dossiers.filter(due_at__date=today, returned_at__isnull=True, closed_at__isnull=True)
    if request.GET.get("cua-toi"):
        dossiers = dossiers.filter(assigned_to=request.user)
    if request.GET.get("cho-duyet"):
        dossiers = dossiers.filter(status=Status.PROCESSING, substate=Substate.AWAITING_APPROVAL)
    if q := request.GET.get("q", "").strip()[:100]:
        phone = services.normalize_phone(q) if any(ch.isdigit() for ch in q) else None
        dossiers = dossiers.filter(
            Q(code__icontains=q.upper())
            | Q(applicant_name__icontains=q)
            | Q(applicant_phone__endswith=q[-9:])
            | (Q(applicant_phone=phone) if phone else Q(pk__in=[]))
        )
    return dossiers


class QueueRow:
    """One line of the queue, its cells already written (the template joins them, no per-row tags)."""

    __slots__ = ("code", "html", "overdue", "due_today")

    def __init__(self, code, html, overdue, due_today):
        self.code, self.html, self.overdue, self.due_today = code, html, overdue, due_today

    def __str__(self) -> str:
        return self.html

    def __html__(self) -> str:  # already escaped, cell by cell
        return self.html


def queue_rows(found, now) -> list[QueueRow]:
    """The queue's lines as HTML, the words translated once for the page, not once a row."""
    here = timezone.get_current_timezone()
    today = now.astimezone(here).date()
    statuses, substates = labels(Status), labels(Substate)
    late, due_today = escape(_("Quá hạn")), escape(_("Hôm nay"))
    link = reverse("office:dossier", args=["0"])[:-2]  # "/can-bo/ho-so/"
    rows = []
    for due, _submitted, _pk, code, procedure, applicant, status, substate, paused, *ends in found:
        ended = any(ends)
        overdue = due is not None and not ended and due < (paused or now) and status not in CLOSED
        due_local = due.astimezone(here) if due is not None else None
        is_today = not overdue and due_local is not None and due_local.date() == today and not ended
        code_html = html.escape(code)
        cells = [
            '<tr class="overdue">' if overdue else '<tr class="today">' if is_today else "<tr>",
            f'<td><a href="{link}{quote(code)}/">{code_html}</a></td>',
            f"<td>{html.escape(procedure)}</td><td>{html.escape(applicant)}</td>",
            f'<td><span class="status s{int(status)}">{statuses.get(status, "")}</span>',
            f"<br><small>{substates.get(substate) or html.escape(substate)}</small></td>"
            if substate
            else "</td>",
        ]
        if due_local is None:
            cells.append("<td>—</td></tr>")
        else:
            tag = (
                f' <strong class="tag-late">{late}</strong>'
                if overdue
                else f' <strong class="tag-today">{due_today}</strong>'
                if is_today
                else ""
            )
            cells.append(f"<td>{due_local:%d/%m/%Y %H:%M}{tag}</td></tr>")
        rows.append(QueueRow(code, mark_safe("".join(cells)), overdue, is_today))  # noqa: S308 — escaped
    return rows


def status_chips(counts: dict[int, int], current: int | None) -> str:
    """The links above the queue to each status that has dossiers, with their count, written once here."""
    names = labels(Status)
    chips = []
    for status, n in counts.items():
        if status != Status.DRAFT and n and status in names:
            here = ' aria-current="page"' if current == status else ""
            chips.append(
                f'<li><a href="?trang-thai={status}"{here}>{names[status]} <strong>{int(n)}</strong></a></li>'
            )
    return mark_safe("".join(chips))  # noqa: S308 — the labels are escaped, the rest are numbers


def capped(dossiers, cap: int):
    """`dossiers` to count up to `cap` + 1 (the page says "hơn 500" past the cap): never all of them."""
    return dossiers.order_by().values("pk")[: cap + 1]


# What the queue reads on every visit, prepared (compiled once per process for each kind of officer): its
# first page unfiltered, and the two capped counts beside it.
_FIRST_PAGE = services.AsSeen(
    lambda user, size: keyset.first_page(
        services.open_dossiers(services.queue_dossiers(user)), QUEUE_KEYS, QUEUE_FIELDS, size
    )
)
_OVERDUE = services.AsSeen(
    lambda user, now, cap: capped(services.queue_dossiers(user).filter(services.overdue_filter(now)), cap),
    now=dt.datetime,
)
_AWAITING_APPROVAL = services.AsSeen(
    lambda user, cap: capped(
        services.queue_dossiers(user).filter(status=Status.PROCESSING, substate=Substate.AWAITING_APPROVAL),
        cap,
    )
)


@officer_required
@require_safe
def queue(request):
    user = request.user
    now = timezone.now()
    page = keyset.page(
        lambda: _queue(request),
        QUEUE_KEYS,
        QUEUE_KINDS,
        request.GET,
        PAGE_SIZE,
        QUEUE_FIELDS,
        first=None if _filtered(request.GET) else lambda: _FIRST_PAGE.rows(user, size=PAGE_SIZE),
    )
    page.object_list = queue_rows(page.object_list, now)
    counts = services.queue_counts(user)
    roles = user.officer.roles
    agency = user.officer.agency
    return render(
        request,
        "dossiers/office/queue.html",
        {
            "agency": agency,
            "works_for": user.officer.body or agency,  # the commune police's officers: their body
            "page": page,
            "rows": mark_safe("".join(f"{row.html}\n" for row in page.object_list)),  # noqa: S308 — escaped
            "counts": [(s, counts.get(s, 0)) for s in Status if s != Status.DRAFT],
            "chips": status_chips(
                {s: counts.get(s, 0) for s in Status}, whole_number(request.GET.get("trang-thai", ""))
            ),
            "overdue": _OVERDUE.count(user, now=now, cap=COUNT_CAP),
            "awaiting_approval": _AWAITING_APPROVAL.count(user, cap=COUNT_CAP)
            if Role.LEADER in roles
            else None,
            "cap": COUNT_CAP,
            "params": {
                "status": whole_number(request.GET.get("trang-thai", "")),
                "q": request.GET.get("q", ""),
                "overdue": bool(request.GET.get("qua-han")),
                "today": bool(request.GET.get("hom-nay")),
                "mine": bool(request.GET.get("cua-toi")),
                "any": any(
                    request.GET.get(k)
                    for k in ("trang-thai", "q", "qua-han", "hom-nay", "cua-toi", "cho-duyet")
                ),
            },
            "roles_key": ",".join(sorted(roles)),  # the toolbar's links follow the roles alone
            "is_onestop": Role.ONESTOP in roles,
            "is_helper": Role.COMMUNITY in roles,
        },
    )


class ActionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Ghi chú, lý do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


def _dossier_or_404(request, code):
    dossier = services.dossier_for(request.user, code)
    if dossier is None:
        raise Http404
    return dossier


@officer_required
@require_safe
def dossier(request, code: str):
    dossier = _dossier_or_404(request, code)
    return render(request, "dossiers/office/dossier.html", _dossier_context(request, dossier))


def _dossier_context(request, dossier, errors=None, failed_action=None, scan_errors=None):
    # The specialists of the body that decides the procedure (the commune police's for residence).
    specialists = (
        get_user_model()
        .objects.filter(
            officer__in=officers_of(dossier.agency_id, dossier.procedure.executing_body, role=Role.SPECIALIST)
        )
        .order_by("full_name")
    )
    actions = services.available(dossier, request.user)
    answers = _answers(dossier)
    siblings = (
        list(dossier.bundle.dossiers.exclude(pk=dossier.pk).select_related("procedure").order_by("part"))
        if dossier.bundle_id
        else []
    )
    return {
        "dossier": dossier,
        "siblings": siblings,  # the other parts of a joined-up filing
        "waiting": dossier.status == Status.NEW and not earlier_part_done(dossier),
        "body": body_for(dossier.agency, dossier.procedure.executing_body),
        "answers": answers,
        "flagged_answers": any(flagged for _, rows in answers for *_, flagged in rows),
        "applicant_flagged": lacks_diacritics(dossier.applicant_name)
        or lacks_diacritics(dossier.applicant_address),
        "can_correct": any(a.name == CORRECT for a in actions),
        # The counter tablet's rating page (its own route, `rate` has no button): the desk, once delivered.
        "can_rate": may(dossier, request.user, "rate"),
        **_papers(request, dossier, scan_errors),
        "results": dossier.result_files.all(),
        # Actions whose form sends a result file: approving an online procedure's dossier, attaching one.
        "file_actions": {"attach_result", "approve"} if has_online_result(dossier) else {"attach_result"},
        "events": dossier.events.select_related("actor").all(),
        "actions": actions,
        "supplements": dossier.supplement_requests.all(),
        "due_text": describe_due(dossier.due_at) if dossier.due_at else "",
        "overdue": dossier.is_overdue(timezone.now()),
        "result_methods": RESULT_METHODS.items(),
        "specialists": specialists,
        "errors": errors or {},
        "failed_action": failed_action,
        "today": timezone.localdate(),
        "fee_quote": _fee_quote(dossier),
        "exemptions": dossier.procedure.exemption_rows.select_related("category"),
        "can_exempt": Role.ONESTOP in request.user.officer.roles and dossier.status not in (3, 8, 9, 10),
        "claim_code": _claim_code_shown(request, dossier),
    }


def _claim_code_shown(request, dossier) -> str:
    """The claim code this officer has just issued (received without a phone, or re-issued), to print."""
    claim_code = services.claim_code_to_print(request, dossier)
    return services.format_claim_code(claim_code) if claim_code else ""


def _fee_quote(dossier):
    return catalogue_fee(dossier)


def _answers(dossier) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    return answers_of(dossier.procedure, dossier.form_data or {})


def answers_of(procedure, data: dict) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """The answered fields by section, as (label, answer in words, typed without diacritics): the officer's
    view of a declaration (dossiers/office/_declaration.html), which practice filing shows as a sample."""
    specs = list(declaration_fields(procedure))
    flagged = flagged_fields(specs, data)
    grouped: list[tuple[str, list]] = []
    section = None
    for spec in specs:
        if not grouped or spec.section != section:
            section = spec.section
            grouped.append((spec.tr("section"), []))
        if value := display(spec, data.get(spec.name)):
            grouped[-1][1].append((spec.tr("label"), value, spec.name in flagged))
    return [(title, rows) for title, rows in grouped if rows]


def _papers(request, dossier, scan_errors=None) -> dict:
    """The dossier's files by slot, with who sent each; the upload of counter scans when the desk may."""
    slots = services.slots_of(dossier.procedure)
    attachments = list(dossier.attachments.select_related("uploaded_by__officer"))
    for a in attachments:
        a.slot_name = slots.get(a.slot, a.slot)
        a.by_officer = getattr(a.uploaded_by, "officer", None) is not None
    return {
        "attachments": attachments,
        "scan_slots": slots.items(),
        "can_scan": services.can_scan_at_counter(dossier, request.user),
        "scan_errors": scan_errors or [],
    }


@officer_required
@require_POST
def act(request, code: str, action: str):
    dossier = _dossier_or_404(request, code)
    if action not in ACTIONS or action in OWN_PATHS:
        raise Http404
    data = {
        spec.name: request.FILES.get(spec.name)
        if spec.file
        else request.POST.get(spec.name, "").splitlines()
        if spec.many
        else request.POST.get(spec.name)
        for spec in ACTIONS[action].fields
    }
    if action == CORRECT:  # the declaration has a page of its own
        return redirect("office:correct", code=code)
    try:
        dossier = services.perform(
            dossier, action, by=request.user, note=request.POST.get("note", ""), data=data
        )
    except services.NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("office:dossier", code=code)
    except services.Invalid as exc:
        context = _dossier_context(request, dossier, errors=exc.errors, failed_action=action)
        return render(request, "dossiers/office/dossier.html", context, status=422)
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": ACTIONS[action].label})
    response = redirect("office:dossier", code=code)
    services.keep_claim_code_for_printing(response, dossier)  # receiving, or re-issuing, gave one
    return response


# --- the declaration corrected at reception --------------------------------------------------------------

CORRECT = "correct_declaration"


class CorrectionForm(forms.Form):
    applicant_name = forms.CharField(label=gettext_lazy("Họ tên người nộp"), max_length=150)
    applicant_address = forms.CharField(
        label=gettext_lazy("Địa chỉ người nộp"), max_length=255, required=False
    )
    note = forms.CharField(
        label=gettext_lazy("Lý do sửa (công dân đọc được)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


def _flag(forms_: list[forms.Form], names: set[str]) -> None:
    """Point each flagged input (by posted name) at the note under its label that says it lacks
    diacritics, so that a screen reader reads the note with the field."""
    for form in forms_:
        for bound in form:
            if bound.html_name in names:
                described = [f"{bound.auto_id}_flag"]
                if bound.help_text:
                    described.append(f"{bound.auto_id}_helptext")
                bound.field.widget.attrs["aria-describedby"] = " ".join(described)


@officer_required
@require_http_methods(["GET", "POST"])
def correct(request, code: str):
    """The desk corrects the declaration (and the applicant's name and address) while receiving the dossier:
    names typed without diacritics, a wrong place. The action `correct_declaration` records each change."""
    dossier = _dossier_or_404(request, code)
    if not any(a.name == CORRECT for a in services.available(dossier, request.user)):
        messages.error(
            request,
            _("Tờ khai chỉ được bộ phận một cửa sửa khi kiểm tra, tiếp nhận hồ sơ (trạng thái 1 và 2)."),
        )
        return redirect("office:dossier", code=code)
    posted = request.POST if request.method == "POST" else None
    declaration = DeclarationForm(
        dossier.procedure, data=posted, initial=dossier.form_data, officer_checked=True
    )
    correction = CorrectionForm(
        posted,
        prefix="sua",
        initial={"applicant_name": dossier.applicant_name, "applicant_address": dossier.applicant_address},
    )
    if posted is not None and declaration.is_valid() and correction.is_valid():
        try:
            services.perform(
                dossier,
                CORRECT,
                by=request.user,
                note=correction.cleaned_data["note"],
                data={
                    "form": declaration.cleaned_data,
                    "applicant_name": correction.cleaned_data["applicant_name"],
                    "applicant_address": correction.cleaned_data["applicant_address"],
                },
            )
        except services.NotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("office:dossier", code=code)
        except services.Invalid as exc:
            for field, message in exc.errors.items():
                name = field.removeprefix("form.")
                if name in declaration.fields and field.startswith("form."):
                    declaration.add_error(name, message)
                else:
                    correction.add_error(field if field in correction.fields else None, message)
        else:
            messages.success(
                request,
                _("Đã sửa tờ khai. Công dân được báo những gì đã sửa; văn bản in theo thông tin mới."),
            )
            return redirect("office:dossier", code=code)
    shown = {
        **(dossier.form_data or {}),
        "sua-applicant_name": dossier.applicant_name,
        "sua-applicant_address": dossier.applicant_address,
    }
    values = posted if posted is not None else shown
    flagged = flagged_fields(declaration.specs, values) | {
        name
        for name in ("sua-applicant_name", "sua-applicant_address")
        if lacks_diacritics(str(values.get(name) or ""))
    }
    _flag([declaration, correction], flagged)
    return render(
        request,
        "dossiers/office/correct.html",
        {"dossier": dossier, "form": declaration, "correction": correction, "flagged": flagged},
        status=422 if posted is not None else 200,
    )


# --- papers scanned at the counter ------------------------------------------------------------------------


@officer_required
@require_POST
def scan(request, code: str):
    """Papers the citizen brought, scanned or photographed by the desk (several files into one slot)."""
    dossier = _dossier_or_404(request, code)
    uploads = request.FILES.getlist("files")
    slot = request.POST.get("slot", "")
    errors: list[str] = []
    if not uploads:
        errors.append(_("Chọn ít nhất một tệp: bản quét PDF hoặc ảnh chụp giấy tờ."))
    attached = 0
    for upload in uploads:
        try:
            services.add_counter_scan(dossier, upload=upload, slot=slot, by=request.user)
            attached += 1
        except services.NotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("office:dossier", code=code)
        except (QuotaExceeded, StorageFailed) as exc:  # nothing after it would fit or be written either
            errors.append(str(exc))
            break
        except services.BadFile as exc:
            errors.append(str(exc))
        except services.Invalid as exc:
            errors.append("; ".join(exc.errors.values()))
            break
    if errors:
        if attached:
            errors.insert(0, _("Đã đính kèm %(n)s tệp; các tệp sau chưa được nhận:") % {"n": attached})
        context = _dossier_context(request, dossier, scan_errors=errors)
        return render(request, "dossiers/office/dossier.html", context, status=422)
    messages.success(request, _("Đã đính kèm %(n)s tệp vào hồ sơ.") % {"n": attached})
    return redirect("office:dossier", code=code)


# --- counter intake ---------------------------------------------------------------------------------------


class ApplicantForm(forms.Form):
    applicant_name = forms.CharField(label=gettext_lazy("Họ và tên người nộp"), max_length=150)
    applicant_phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
        help_text=gettext_lazy(
            "Người nộp không có điện thoại: để trống. Giấy tiếp nhận sẽ in mã nhận hồ sơ để tra cứu và nhận "
            "hồ sơ về tài khoản."
        ),
    )
    applicant_id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân (CCCD)"), max_length=12, required=False
    )
    applicant_address = forms.CharField(label=gettext_lazy("Địa chỉ"), max_length=255, required=False)

    def clean_applicant_phone(self):
        value = self.cleaned_data["applicant_phone"].strip()
        if value and services.normalize_phone(value) is None:
            raise forms.ValidationError(_("Số điện thoại không hợp lệ. Ví dụ: 0912 345 678."))
        return value


class HelperForm(ApplicantForm):
    consent = forms.BooleanField(
        label=gettext_lazy("Người dân đã đồng ý cho tôi nộp hồ sơ thay và đã kiểm tra lại thông tin"),
    )


@officer_required
@require_safe
def intake_start(request):
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "dossiers/office/intake_start.html",
        {
            "query": query,
            "procedures": search_procedures(query, limit=30),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def intake(request, procedure_code: str):
    at_desk = Role.ONESTOP in request.user.officer.roles  # else the community team (motcua/policy.py)
    procedure = get_procedure(procedure_code)
    if procedure is None:
        raise Http404
    applicant_form = (ApplicantForm if at_desk else HelperForm)(request.POST or None, prefix="nguoi-nop")
    declaration = DeclarationForm(procedure, data=request.POST or None)
    if request.method == "POST" and applicant_form.is_valid() and declaration.is_valid():
        try:
            if at_desk:
                dossier = services.file_at_counter(
                    procedure=procedure,
                    agency=request.user.officer.agency,
                    by=request.user,
                    form=declaration.cleaned_data,
                    **applicant_form.cleaned_data,
                )
            else:
                dossier = services.file_on_behalf(
                    procedure=procedure,
                    agency=request.user.officer.agency,
                    by=request.user,
                    form=declaration.cleaned_data,
                    **applicant_form.cleaned_data,
                )
        except services.Invalid as exc:
            for field, message in exc.errors.items():
                applicant_form.add_error(field if field in applicant_form.fields else None, message)
        else:
            messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
            response = redirect("office:dossier", code=dossier.code)
            services.keep_claim_code_for_printing(response, dossier)  # a person without a phone
            return response
    return render(
        request,
        "dossiers/office/intake.html",
        {
            "procedure": procedure,
            "applicant_form": applicant_form,
            "at_desk": at_desk,
            "form": declaration,
        },
    )
