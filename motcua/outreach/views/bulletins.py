"""A procedure's loudspeaker bulletin: read and heard by anyone; written, voiced and recorded by officers."""

from django.conf import settings
from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.access import officer_required
from motcua.agencies.services import default_agency
from motcua.catalog.services import search_procedures

from .. import bulletins, schedule
from ..forms import RecordingForm, ScriptForm
from ..models import RenderState
from ..models.bulletins import RUNNING
from .common import audio_response, procedure_or_404

# --- for everyone -----------------------------------------------------------------------------------------


@require_safe
def bulletin_page(request, code: str):
    """The script as the loudspeaker reads it, its sound, and when it airs in the coming two weeks."""
    procedure = procedure_or_404(code)
    agency = default_agency()
    heard, airings, bulletin = None, [], None
    if agency is None:
        text = bulletins.generated_script(procedure, None)
    else:
        bulletin = bulletins.bulletin_for(agency, code)
        text = bulletins.script_of(bulletin, procedure)
        heard = bulletins.audio_of(bulletin, text)
        if heard is None:
            bulletins.request_render(bulletin, text)  # once per text: the worker makes it
        airings = list(schedule.upcoming(agency, bulletin=bulletin, days=14))
    return render(
        request,
        "outreach/bulletin.html",
        {
            "procedure": procedure,
            "paragraphs": [line for line in text.split("\n") if line.strip()],
            "heard": heard,
            "length": bulletins.minutes_and_seconds(heard.seconds if heard and heard.seconds else 0),
            "making": bulletin is not None and heard is None and bulletin.render_state in RUNNING,
            "airings": airings,
        },
    )


@require_safe
def bulletin_audio(request, code: str):
    procedure = procedure_or_404(code)
    agency = default_agency()
    bulletin = bulletins.find_bulletin(agency, code) if agency else None
    heard = bulletins.audio_of(bulletin, bulletins.script_of(bulletin, procedure)) if bulletin else None
    if heard is None:
        raise Http404
    return audio_response(request, heard.file, etag=heard.sha, filename=f"loa-{code}.mp3", public=True)


# --- the commune's officers -------------------------------------------------------------------------------


@officer_required
@require_safe
def bulletin_list(request):
    agency = request.user.officer.agency
    procedures = search_procedures("")
    prefetch_related_objects(procedures, "documents", "steps")
    rows = []
    kept = bulletins.bulletins_of(agency)
    for procedure in sorted(procedures, key=lambda p: p.name):
        bulletin = kept.get(procedure.code)
        text = bulletins.script_of(bulletin, procedure) if bulletin else ""
        heard = bulletins.audio_of(bulletin, text) if bulletin else None
        rows.append({"procedure": procedure, "bulletin": bulletin, "heard": heard})
    return render(request, "outreach/office/bulletins.html", {"rows": rows, "agency": agency})


def _edit_context(request, procedure, bulletin, form) -> dict:
    text = bulletins.script_of(bulletin, procedure)
    heard = bulletins.audio_of(bulletin, text)
    return {
        "procedure": procedure,
        "bulletin": bulletin,
        "form": form,
        "recording_form": RecordingForm(),
        "edited": bool(bulletin.script),
        "estimate": bulletins.minutes_and_seconds(bulletins.estimate_seconds(text)),
        "heard": heard,
        "heard_length": bulletins.minutes_and_seconds(heard.seconds or 0) if heard else "",
        "running": heard is None and bulletin.render_state in RUNNING,
        "failed": heard is None and bulletin.render_state == RenderState.FAILED,
        "stale_recording": bool(bulletin.recording) and (heard is None or heard.kind != "recording"),
        "airings": list(schedule.upcoming(bulletin.agency, bulletin=bulletin)),
        "limit_mb": settings.BULLETIN_UPLOAD_MB,
    }


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def bulletin_edit(request, code: str):
    procedure = procedure_or_404(code)
    bulletin = bulletins.bulletin_for(request.user.officer.agency, code)
    if request.method == "POST":
        if request.POST.get("dung-lai"):
            bulletins.restore_script(bulletin, by=request.user)
            bulletins.request_render(bulletin, bulletins.script_of(bulletin, procedure))
            messages.success(request, _("Đã dùng lại bản tin tự động theo danh mục thủ tục."))
            return redirect(reverse("outreach:bulletin_edit", args=[code]))
        form = ScriptForm(request.POST)
        if form.is_valid():
            try:
                heard = bulletins.save_script(bulletin, text=form.cleaned_data["loi"], by=request.user)
            except bulletins.ScriptRefused as refused:
                form.add_error("loi", str(refused))
            else:
                bulletins.request_render(bulletin, heard.text)
                messages.success(
                    request,
                    _("Đã lưu. Bản tin đọc mất khoảng %(length)s; máy đang tạo âm thanh mới.")
                    % {"length": bulletins.minutes_and_seconds(heard.seconds)},
                )
                if heard.rewritten:
                    messages.info(
                        request, _("Số, tiền, ngày tháng và chữ viết tắt đã được viết lại thành chữ.")
                    )
                return redirect(reverse("outreach:bulletin_edit", args=[code]))
    else:
        text = bulletins.script_of(bulletin, procedure)
        form = ScriptForm(initial={"loi": text})
        if bulletins.audio_of(bulletin, text) is None:
            bulletins.request_render(bulletin, text)
    return render(
        request, "outreach/office/bulletin_edit.html", _edit_context(request, procedure, bulletin, form)
    )


@officer_required
@require_POST
def bulletin_render(request, code: str):
    """ "Tạo lại âm thanh": queue the synthetic voice again, after a failure too."""
    procedure = procedure_or_404(code)
    bulletin = bulletins.bulletin_for(request.user.officer.agency, code)
    if bulletins.retry_render(bulletin, bulletins.script_of(bulletin, procedure)):
        messages.success(request, _("Máy đang tạo âm thanh. Trang tự cập nhật khi xong."))
    else:
        messages.info(request, _("Âm thanh của lời bản tin này đã có hoặc đang được tạo."))
    return redirect(reverse("outreach:bulletin_edit", args=[code]))


@officer_required
@require_POST
def bulletin_recording(request, code: str):
    """Upload a recording of the current script (checked by what it is), or remove it (`xoa`)."""
    procedure = procedure_or_404(code)
    bulletin = bulletins.bulletin_for(request.user.officer.agency, code)
    back = redirect(reverse("outreach:bulletin_edit", args=[code]))
    if request.POST.get("xoa"):
        bulletins.remove_recording(bulletin)
        messages.success(request, _("Đã bỏ bản thu âm: loa phát giọng đọc tự động."))
        return back
    form = RecordingForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Bạn chọn tệp thu âm trước khi bấm tải lên."))
        return back
    try:
        heard = bulletins.upload_recording(
            bulletin, procedure, upload=form.cleaned_data["tep"], by=request.user
        )
    except bulletins.BadRecording as refused:
        messages.error(request, str(refused))
        return back
    messages.success(
        request,
        _("Đã nhận bản thu âm dài %(length)s: loa phát bản này thay cho giọng đọc tự động.")
        % {"length": bulletins.minutes_and_seconds(heard.seconds)},
    )
    return back


@officer_required
@require_safe
def bulletin_status(request, code: str):
    """Where the worker is (the edit page asks every few seconds while it works)."""
    procedure = procedure_or_404(code)
    bulletin = bulletins.bulletin_for(request.user.officer.agency, code)
    heard = bulletins.audio_of(bulletin, bulletins.script_of(bulletin, procedure))
    return JsonResponse(
        {
            "state": bulletin.render_state,
            "label": str(bulletin.get_render_state_display()),
            "error": bulletin.render_error,
            "ready": heard is not None,
        }
    )


@officer_required
@require_safe
def bulletin_office_audio(request, code: str):
    """The sound of the officer's own commune's bulletin (the public one is the portal's commune's)."""
    procedure = procedure_or_404(code)
    bulletin = bulletins.find_bulletin(request.user.officer.agency, code)
    heard = bulletins.audio_of(bulletin, bulletins.script_of(bulletin, procedure)) if bulletin else None
    if heard is None:
        raise Http404
    return audio_response(request, heard.file, etag=heard.sha, filename=f"loa-{code}.mp3", public=False)
