"""Filing online, one step at a time, as real form posts (no JavaScript needed).

    /thu-tuc/<code>/nop/                 the entry: step 1, or back to where the draft stopped
    /thu-tuc/<code>/nop/buoc/<n>/        step n of the declaration (motcua/dossiers/steps.py)
    /thu-tuc/<code>/nop/giay-to/         the papers
    /thu-tuc/<code>/nop/xem-lai/         the review, and "Nộp hồ sơ"
    /thu-tuc/<code>/nop/xoa/             delete the draft (a confirmation page, then a POST)

Nothing is stored until the citizen first presses a button: then the draft is made, and every step is
saved as it is left (Next or Back), valid or not. The whole declaration is checked once more on filing, by
the same `DeclarationForm` the API uses.

Two ways of losing work are closed here. After filing, Back (or a step page reopened) shows the filed
dossier, not an empty form full of errors. And a step posted after the session ended is kept in the new,
anonymous session (bounded in size, tied to the account by a signed field of the form) until the citizen
signs in again and comes back to it.
"""

import time

from django.contrib import messages
from django.core import signing
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from motcua.accounts.access import citizen_required
from motcua.agencies.services import default_agency
from motcua.catalog.models import declaration_fields
from motcua.catalog.services import fee_summary, get_procedure, untranslated_note
from motcua.text import whole_number

from . import services
from .declaration import DeclarationForm, as_form_data, display
from .steps import Step, plan, step_of
from .views import save_uploads

FILED = "filed"  # session: {procedure code: [dossier code, when]} of the dossier just filed from it
FILED_FOR = 2 * 3600  # seconds during which reopening the form shows that dossier
STASH = "stash"  # session: a step posted after the session ended, until its owner signs in again
STASH_LIMIT = 20_000  # characters of answers kept in an anonymous session; a larger post is not kept
OWNER = "owner-token"  # a hidden field of each step: the account it was shown to, signed
OWNER_SALT = "motcua.dossiers.filing.owner"
OWNER_FOR = 90 * 86400  # a form page older than this no longer vouches for its owner


# --- where the steps are ----------------------------------------------------------------------------------


def step_url(procedure, number: int) -> str:
    return reverse("dossiers:step", kwargs={"code": procedure.code, "step": number})


def _urls(procedure, steps: list[Step]) -> dict:
    return {
        "files": reverse("dossiers:papers", kwargs={"code": procedure.code}),
        "last": step_url(procedure, len(steps)) if steps else None,
    }


def _online_procedure(request, code: str):
    """The procedure, and the page that says why it cannot be filed online by this person, if it cannot."""
    procedure = get_procedure(code)
    if procedure is None:
        raise Http404
    try:
        services.check_online(procedure)
    except services.NotAllowed:
        return procedure, render(request, "dossiers/counter_only.html", {"procedure": procedure})
    try:
        services.check_identity(procedure, request.user)
    except services.Forbidden as exc:
        context = {"procedure": procedure, "reason": str(exc)}
        return procedure, render(request, "dossiers/counter_only.html", context)
    return procedure, None


def _start(request, procedure):
    """The first save makes the draft."""
    return services.start_draft(procedure=procedure, applicant=request.user, agency=default_agency())


def _common(request, procedure, steps, number: int) -> dict:
    return {
        "procedure": procedure,
        "number": number,
        "total": len(steps) + 2,
        "fee": fee_summary(procedure),
        "untranslated": untranslated_note(procedure, part="form"),
        "owner": signing.dumps(request.user.pk, salt=OWNER_SALT),
        **_urls(procedure, steps),
    }


# --- after filing -----------------------------------------------------------------------------------------


def _remember_filed(request, procedure, dossier) -> None:
    filed = request.session.get(FILED, {})
    filed[procedure.code] = [dossier.code, int(time.time())]
    request.session[FILED] = filed


def _just_filed(request, procedure):
    """The dossier just filed from this form, when there is no draft: Back after "Nộp hồ sơ" lands here."""
    if request.GET.get("moi") == "1":  # "Nộp một hồ sơ mới": the citizen means it
        filed = request.session.get(FILED, {})
        if filed.pop(procedure.code, None):
            request.session[FILED] = filed
        return None
    code, at = request.session.get(FILED, {}).get(procedure.code, [None, 0])
    if code is None or time.time() - at > FILED_FOR:
        return None
    dossier = services.dossier_for(request.user, code)
    if dossier is None:
        return None
    messages.info(
        request,
        _("Hồ sơ này đã được nộp, mã %(code)s. Muốn nộp thêm một hồ sơ mới, bấm “Nộp hồ sơ mới”.")
        % {"code": dossier.code},
    )
    return redirect(f"{dossier.get_absolute_url()}?da-nop={procedure.code}")


# --- a session that ended in the middle of a step ----------------------------------------------------------


def keep_signed_out_post(request, code: str, step: int = 1) -> None:
    """Called by `KeepAnswersMiddleware` for a step posted by nobody signed in (the session ended while the
    citizen typed): keep the answers in the anonymous session, which survives signing in."""
    try:
        owner = signing.loads(request.POST.get(OWNER, ""), salt=OWNER_SALT, max_age=OWNER_FOR)
    except signing.BadSignature:
        return
    answers = {
        key: values for key, values in request.POST.lists() if key not in ("csrfmiddlewaretoken", OWNER, "di")
    }
    if sum(len(k) + sum(len(v) for v in values) for k, values in answers.items()) > STASH_LIMIT:
        return
    request.session[STASH] = {"owner": owner, "code": code, "step": step, "answers": answers}


def _restore(request, procedure, steps):
    """Put the answers of a step posted after the session ended into the draft, and go back to that step."""
    kept = request.session.get(STASH)
    if not kept or kept.get("code") != procedure.code:
        return None
    del request.session[STASH]
    if kept.get("owner") != request.user.pk:  # someone else signed in on this phone: not theirs
        return None
    number = kept.get("step") if isinstance(kept.get("step"), int) else 1
    step = steps[number - 1] if 1 <= number <= len(steps) else None
    if step is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in kept.get("answers", {}).items():
        data.setlist(key, [str(v) for v in values])
    services.save_draft(_start(request, procedure), data=data, fields=step.names)
    messages.info(request, _("Phiên đăng nhập đã hết hạn. Những gì bạn đã nhập vẫn được giữ lại."))
    return redirect(step_url(procedure, number))


# --- the pages --------------------------------------------------------------------------------------------


@citizen_required
@require_safe
def start(request, code: str):
    """The form's entry: a draft goes on where it stopped; without one, step 1 (nothing is stored yet)."""
    procedure, refused = _online_procedure(request, code)
    if refused:
        return refused
    steps = plan(procedure)
    if restored := _restore(request, procedure, steps):
        return restored
    draft = services.open_draft(procedure=procedure, applicant=request.user)
    if draft is None:
        if filed := _just_filed(request, procedure):
            return filed
        if not steps:
            return redirect("dossiers:papers", code=procedure.code)
        return _show_step(request, procedure, steps, steps[0], draft=None)
    return redirect(_first_unfinished(procedure, steps, draft))


def _first_unfinished(procedure, steps, draft) -> str:
    for step in steps:
        form = DeclarationForm(procedure, data=as_form_data(draft.form_data), only=step.names)
        if not form.is_valid():
            return step_url(procedure, step.number)
    return _urls(procedure, steps)["files"]


@citizen_required
@require_http_methods(["GET", "POST"])
def declaration_step(request, code: str, step: int):
    procedure, refused = _online_procedure(request, code)
    if refused:
        return refused
    steps = plan(procedure)
    if not 1 <= step <= len(steps):
        raise Http404
    shown = steps[step - 1]
    if request.method == "GET" and (restored := _restore(request, procedure, steps)):
        return restored
    draft = services.open_draft(procedure=procedure, applicant=request.user)
    if draft is None and (filed := _just_filed(request, procedure)):
        return filed
    if request.method == "GET":
        return _show_step(request, procedure, steps, shown, draft=draft)
    draft = services.save_draft(draft or _start(request, procedure), data=request.POST, fields=shown.names)
    if request.POST.get("di") == "lui":
        back = step_url(procedure, step - 1) if step > 1 else procedure.get_absolute_url()
        return redirect(back)
    form = DeclarationForm(procedure, data=request.POST, only=shown.names)
    if form.is_valid():
        following = step_url(procedure, step + 1) if step < len(steps) else _urls(procedure, steps)["files"]
        return redirect(following)
    return _show_step(request, procedure, steps, shown, draft=draft, form=form)


# What `KeepAnswersMiddleware` calls when a step is posted by nobody signed in.
declaration_step.keep_signed_out_post = keep_signed_out_post


def _show_step(request, procedure, steps, shown: Step, *, draft, form=None):
    if form is None:
        initial = draft.form_data if draft else services.prefill(procedure, request.user)
        form = DeclarationForm(procedure, initial=initial, only=shown.names)
    return render(
        request,
        "dossiers/step.html",
        {
            **_common(request, procedure, steps, shown.number),
            **step_fields(shown, form),
            "action": step_url(procedure, shown.number),
            "back": step_url(procedure, shown.number - 1) if shown.number > 1 else "",
            "draft": draft,
        },
    )


def step_fields(shown: Step, form: DeclarationForm) -> dict:
    """What dossiers/step.html draws of step `shown` of `form`: its fields, the folded ones apart. Practice
    filing (motcua/outreach) draws its steps with it too."""
    extras = [(title, [form[name] for name in names]) for title, names in shown.extras]
    return {
        "step": shown,
        "form": form,
        "fields": [form[name] for name in shown.fields],
        "extras": extras,
        "extras_open": any(f.errors or f.value() for _title, fields in extras for f in fields),
    }


@citizen_required
@require_http_methods(["GET", "POST"])
def papers(request, code: str):
    """The papers (giấy tờ kèm theo): a photo or a PDF for each, each saved as it is sent."""
    procedure, refused = _online_procedure(request, code)
    if refused:
        return refused
    steps = plan(procedure)
    draft = services.open_draft(procedure=procedure, applicant=request.user)
    if draft is None and (filed := _just_filed(request, procedure)):
        return filed
    slots = services.slots_of(procedure)
    file_errors: list[str] = []
    if request.method == "POST":
        draft = draft or _start(request, procedure)
        if remove := request.POST.get("xoa"):
            attachment = draft.attachments.filter(pk=whole_number(remove) or 0).first()
            if attachment:
                services.remove_attachment(attachment, by=request.user)
            return redirect(request.path + "#giay-to")
        file_errors = save_uploads(request, draft, slots)
        if not file_errors:
            if request.POST.get("di") == "lui":
                return redirect(_urls(procedure, steps)["last"] or procedure.get_absolute_url())
            return redirect("dossiers:review", code=procedure.code)
    rows = slot_rows(procedure, draft, slots)
    more = [slot for slot in rows if not (slot["document"] and slot["document"].required)]
    return render(
        request,
        "dossiers/papers.html",
        {
            **_common(request, procedure, steps, len(steps) + 1),
            "draft": draft,
            "slots": [slot for slot in rows if slot["document"] and slot["document"].required],
            "more_slots": more,
            "more_open": any(slot["files"] for slot in more),
            "file_errors": file_errors,
            "back": _urls(procedure, steps)["last"],
        },
    )


def slot_rows(procedure, dossier, slots):
    """Upload slots for the page; the declaration being typed online needs no photo of itself."""
    attachments = list(dossier.attachments.all()) if dossier else []
    documents = {str(n): d for n, d in enumerate(procedure.documents.all(), start=1)}
    return [
        {
            "key": key,
            "name": documents[key].tr("name") if key in documents else name,
            "document": documents.get(key),
            "files": [a for a in attachments if a.slot == key],
        }
        for key, name in slots.items()
        if not (key in documents and services.is_the_declaration(procedure, name))
    ]


@citizen_required
@require_http_methods(["GET", "POST"])
def review(request, code: str):
    procedure, refused = _online_procedure(request, code)
    if refused:  # the review is a URL of its own: without this, posting to it filed the procedure online
        return refused
    steps = plan(procedure)
    draft = services.open_draft(procedure=procedure, applicant=request.user)
    if draft is None:
        return _just_filed(request, procedure) or redirect("dossiers:file", code=procedure.code)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            dossier = services.submit(draft, by=request.user)
        except services.Invalid as exc:
            errors = exc.errors
        except services.NotAllowed as exc:  # an identity level the account does not have yet
            errors = {"": str(exc)}
        else:
            _remember_filed(request, procedure, dossier)
            if dossier.bundle_id:  # a joined-up filing: the page of all its parts
                return redirect(f"{dossier.bundle.get_absolute_url()}?moi=1")
            return redirect(f"{dossier.get_absolute_url()}?moi=1")
    form = DeclarationForm(procedure, data=as_form_data(draft.form_data))
    valid = form.is_valid()
    problems = [
        (step_url(procedure, s.number) + f"#id_{name}" if (s := step_of(steps, name)) else "", label, e)
        for name, label, e in form.error_items()
    ]
    return render(
        request,
        "dossiers/review.html",
        {
            **_common(request, procedure, steps, len(steps) + 2),
            "draft": draft,
            "valid": valid and not errors,
            "problems": problems,
            "errors": [e for k, e in errors.items() if not k.startswith("form.")],
            "sections": answers_by_section(procedure, steps, draft.form_data),
            "slots": slot_rows(procedure, draft, services.slots_of(procedure)),
            "attached": draft.attachments.count(),
            "missing": _in_reader_language(procedure, services.missing_documents(draft)),
        },
    )


def answers_by_section(procedure, steps, form_data, *, url=step_url) -> list[dict]:
    """What was answered, section by section as the citizen reads it, each with the step that changes it
    (`url(procedure, number)`); the empty answers are left out."""
    specs = {spec.name: spec for spec in declaration_fields(procedure)}
    sections: list[dict] = []
    for s in steps:
        for title, names in ((s.title, s.fields), *s.extras):
            if not sections or sections[-1]["title"] != title:
                sections.append({"title": title, "url": url(procedure, s.number), "rows": []})
            sections[-1]["rows"] += [
                (specs[name].tr("label"), shown)
                for name in names
                if (shown := display(specs[name], form_data.get(name)))
            ]
    return sections


def _in_reader_language(procedure, document_names: list[str]) -> list[str]:
    """Required papers named by the catalogue's Vietnamese names, as the reader's language has them."""
    shown = {d.name: d.tr("name") for d in procedure.documents.all()}
    return [shown.get(name, name) for name in document_names]


@citizen_required
@require_http_methods(["GET", "POST"])
def discard(request, code: str):
    """Delete the draft: a page that asks first (no JavaScript confirm), then a POST."""
    procedure = get_procedure(code)
    if procedure is None:
        raise Http404
    draft = services.open_draft(procedure=procedure, applicant=request.user)
    if draft is None:
        messages.info(request, _("Không còn bản nháp nào của thủ tục này."))
        return redirect("dossiers:mine")
    if request.method == "POST":
        services.discard_draft(draft, by=request.user)
        messages.success(request, _("Đã xóa bản nháp."))
        return redirect("dossiers:mine")
    return render(
        request,
        "dossiers/discard.html",
        {"procedure": procedure, "draft": draft, "files": draft.attachments.count()},
    )
