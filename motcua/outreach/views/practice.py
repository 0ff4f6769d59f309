"""Practice filing, page by page (motcua/outreach/practice.py says what is kept, and where):

    /thu-nop/<code>/                 step 1 of the declaration; a new run starts with sample answers
    /thu-nop/<code>/buoc/<n>/        step n, the real step of the real filing (dossiers/steps.py)
    /thu-nop/<code>/giay-to/         the papers: what to send, explained; no file is accepted
    /thu-nop/<code>/xem-lai/         the review, and "Nộp thử"
    /thu-nop/<code>/can-bo-xem/      what the officer will see
    /thu-nop/<code>/giay-hen/        what the receipt looks like, and "Bây giờ nộp thật"

Every page says "Đây là bản thử" at its top. Nothing here creates a dossier, a file or a message.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from motcua.agencies.services import default_agency
from motcua.catalog.services import describe_fee, describe_time, fee_summary, untranslated_note
from motcua.documents.models import Kind
from motcua.documents.services import template_for
from motcua.documents.words import time_and_date
from motcua.dossiers import services as dossiers
from motcua.dossiers.declaration import DeclarationForm, as_form_data
from motcua.dossiers.filing import answers_by_section, slot_rows, step_fields
from motcua.dossiers.office import answers_of as officer_answers
from motcua.dossiers.steps import plan, step_of
from motcua.workdays.services import due_at

from .. import practice, uptake
from .common import procedure_or_404


def step_url(procedure, number: int) -> str:
    return reverse("outreach:practice_step", kwargs={"code": procedure.code, "step": number})


def _url(name: str, procedure) -> str:
    return reverse(f"outreach:practice_{name}", kwargs={"code": procedure.code})


def _procedure(request, code: str):
    """The procedure and the run's answers; a run starts (and is counted once) when there is none."""
    procedure = procedure_or_404(code)
    if not procedure.is_online:
        return procedure, None
    if request.GET.get("moi") == "1" or not practice.started(request.session, procedure):
        practice.start(request.session, procedure, agency=default_agency())
        if not request.user.is_authenticated:  # a shared phone at a village meeting: gone with the browser
            request.session.set_expiry(0)
        uptake.note(request, uptake.Step.PRACTICE)
    return procedure, practice.answers_of(request.session, procedure)


def _frame(procedure, steps, number: int | None) -> dict:
    return {
        "procedure": procedure,
        "number": number,
        "total": len(steps) + 2,
        "fee": fee_summary(procedure),
        "untranslated": untranslated_note(procedure, part="form"),
        "files": _url("papers", procedure),
        "last": step_url(procedure, len(steps)) if steps else procedure.get_absolute_url(),
        "start_over": _url("start", procedure) + "?moi=1",
    }


def _counter_only(request, procedure):
    return render(request, "outreach/practice/counter_only.html", {"procedure": procedure})


@require_safe
def start(request, code: str):
    procedure, answers = _procedure(request, code)
    if answers is None:
        return _counter_only(request, procedure)
    steps = plan(procedure)
    if not steps:
        return redirect(_url("papers", procedure))
    form = DeclarationForm(procedure, initial=answers, only=steps[0].names)
    return _show_step(request, procedure, steps, steps[0], form)


@require_http_methods(["GET", "POST"])
def step(request, code: str, step: int):
    procedure, answers = _procedure(request, code)
    if answers is None:
        return _counter_only(request, procedure)
    steps = plan(procedure)
    if not 1 <= step <= len(steps):
        raise Http404
    shown = steps[step - 1]
    if request.method == "GET":
        form = DeclarationForm(procedure, initial=answers, only=shown.names)
        return _show_step(request, procedure, steps, shown, form)
    form = DeclarationForm(procedure, data=request.POST, only=shown.names)
    if not practice.keep(request.session, procedure, data=request.POST, fields=shown.names):
        form.is_valid()
        form.add_error(None, _("Câu trả lời quá dài, bản thử không giữ được. Hãy viết ngắn lại."))
        return _show_step(request, procedure, steps, shown, form, status=413)
    if request.POST.get("di") == "lui":
        return redirect(step_url(procedure, step - 1) if step > 1 else procedure.get_absolute_url())
    if form.is_valid():
        return redirect(step_url(procedure, step + 1) if step < len(steps) else _url("papers", procedure))
    return _show_step(request, procedure, steps, shown, form)


def _show_step(request, procedure, steps, shown, form, status=200):
    context = {
        **_frame(procedure, steps, shown.number),
        **step_fields(shown, form),
        "action": step_url(procedure, shown.number),
        "back": step_url(procedure, shown.number - 1) if shown.number > 1 else "",
    }
    return render(request, "outreach/practice/step.html", context, status=status)


@require_safe
def papers(request, code: str):
    """The papers, explained: a practice run takes no file, so nobody's papers are sent by mistake."""
    procedure, answers = _procedure(request, code)
    if answers is None:
        return _counter_only(request, procedure)
    steps = plan(procedure)
    rows = slot_rows(procedure, None, dossiers.slots_of(procedure))
    return render(
        request,
        "outreach/practice/papers.html",
        {
            **_frame(procedure, steps, len(steps) + 1),
            "slots": [s for s in rows if s["document"] and s["document"].required],
            "more_slots": [s for s in rows if not (s["document"] and s["document"].required)],
        },
    )


@require_http_methods(["GET", "POST"])
def review(request, code: str):
    """The review, checked by the form the real filing checks with; "Nộp thử" goes on only when it passes."""
    procedure, answers = _procedure(request, code)
    if answers is None:
        return _counter_only(request, procedure)
    steps = plan(procedure)
    form = DeclarationForm(procedure, data=as_form_data(answers))
    valid = form.is_valid()
    if request.method == "POST" and valid:
        return redirect(_url("officer", procedure))
    problems = [
        (step_url(procedure, s.number) + f"#id_{name}" if (s := step_of(steps, name)) else "", label, e)
        for name, label, e in form.error_items()
    ]
    required = [s for s in slot_rows(procedure, None, dossiers.slots_of(procedure)) if s["document"]]
    return render(
        request,
        "outreach/practice/review.html",
        {
            **_frame(procedure, steps, len(steps) + 2),
            "valid": valid,
            "problems": problems,
            "sections": answers_by_section(procedure, steps, answers, url=step_url),
            "papers": [s["name"] for s in required if s["document"].required],
        },
    )


@require_safe
def officer(request, code: str):
    """The declaration as the desk reads it in the back office (dossiers/office/_declaration.html)."""
    procedure, answers = _procedure(request, code)
    if answers is None:
        return _counter_only(request, procedure)
    steps = plan(procedure)
    return render(
        request,
        "outreach/practice/officer.html",
        {
            **_frame(procedure, steps, None),
            "answers": officer_answers(procedure, answers),
            "applicant": practice.signer(answers),
        },
    )


@require_safe
def receipt(request, code: str):
    """What the desk gives back once it receives the dossier: the receipt (giấy tiếp nhận và hẹn trả kết
    quả), drawn as a page and marked as a sample, its date of return counted as the real one would be."""
    procedure, answers = _procedure(request, code)
    if answers is None:
        return _counter_only(request, procedure)
    steps = plan(procedure)
    agency = default_agency()
    now = timezone.localtime()
    template = template_for(Kind.RECEIPT, on=now.date())
    with translation.override("vi"):  # a paper is in Vietnamese, whatever the language of the page
        paper = {
            "title": template.title if template else "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            "documents": [
                (d.name, str(d.get_kind_display()).lower(), f"{d.copies:02d}")
                for d in procedure.documents.all()
                if d.required
            ],
            "time": describe_time(procedure),
            "received": time_and_date(now),
            "due": time_and_date(
                timezone.localtime(due_at(now, kind=procedure.time_kind, value=procedure.time_value))
            ),
            "fees": describe_fee(procedure),
        }
    return render(
        request,
        "outreach/practice/receipt.html",
        {
            **_frame(procedure, steps, None),
            **paper,
            "agency": agency,
            "applicant": practice.signer(answers),
            "declaration": practice.declaration(procedure, answers, agency=agency),
            "real": reverse("dossiers:file", kwargs={"code": procedure.code}),
        },
    )
