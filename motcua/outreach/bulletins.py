"""Loudspeaker bulletins (bản tin loa truyền thanh): a spoken script per procedure, and its sound.

The script is generated from the catalogue, so it is always right: who pays nothing first, then what the
procedure is for, the fee, what to bring, what one gets, how long it takes, how to file, and last where to
get help — about 60 to 90 seconds read aloud, every number, sum of money and abbreviation written as it is
said (`spoken.speakable`). Officers may edit it; an edited script is stored per commune and procedure, and
`speakable` is applied to what they type too. The script is Vietnamese speech for a Vietnamese voice, so
it is content (like the catalogue's texts), not an interface text to translate.

The sound: the worker (`render_audio`, a django.tasks task) has espeak-ng read the script and lame encode
it, showing its progress on the bulletin's row; the MP3 is kept until the script changes. An officer may
upload a recording instead, checked by what it is (lame must decode it to sound that is not silence). A
bulletin longer than two minutes is refused, whichever way it was made, with its length.
"""

import datetime as dt
import hashlib
import logging
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import FeeChannel, FeeUnit, Procedure, TimeKind
from motcua.catalog.services import get_procedure
from motcua.text import clean_text

from . import audio
from .models import Bulletin, RenderState
from .models.bulletins import RUNNING
from .spoken import money_words, number_words, speakable, syllables

__all__ = [
    "LIMIT_SECONDS",
    "TARGET_SECONDS",
    "BadRecording",
    "Heard",
    "ScriptRefused",
    "audio_of",
    "bulletin_for",
    "bulletins_of",
    "find_bulletin",
    "estimate_seconds",
    "generated_script",
    "measure_seconds",
    "remove_recording",
    "render",
    "render_audio",
    "request_render",
    "restore_script",
    "retry_render",
    "save_script",
    "script_of",
    "upload_recording",
    "minutes_and_seconds",
]

logger = logging.getLogger("motcua.outreach")

TARGET_SECONDS = (60, 90)
LIMIT_SECONDS = 120
MAX_CHARS = 3000  # far past two minutes of speech: refused before anything is read aloud
STALE_AFTER = dt.timedelta(minutes=10)  # a render claimed this long ago belonged to a worker that died
TTS_KBPS, RECORDING_KBPS = 32, 48
MB = 1024 * 1024

# The synthetic voice's pace (espeak-ng at BULLETIN_VOICE's default speed 130 and word gap 2), measured on
# the catalogue's scripts: seconds per syllable, and the pauses at the end of a sentence and at a comma.
PER_SYLLABLE, PER_SENTENCE, PER_COMMA = 0.3235, 0.48, 0.44


# --- the script -------------------------------------------------------------------------------------------


def _first_sentence(text: str) -> str:
    text = " ".join(clean_text(text).split())
    match = re.match(r"(.+?[.!?])(?:\s|$)", text)
    return (match.group(1) if match else text).rstrip(".!? ")


def _lower_first(text: str) -> str:
    """'Giấy chứng sinh' -> 'giấy chứng sinh'; a proper noun ('Vĩnh Linh') or an acronym keeps its capital."""
    words = text.split(" ", 1)
    first = words[0]
    if len(first) > 1 and first[1:].islower():
        return first[0].lower() + text[len(first[0]) :]
    return text


def _listed(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return "; ".join(items[:-1]) + "; và " + items[-1]


def _said(text: str) -> str:
    return speakable(_lower_first(text))


def _agency_name(agency) -> str:
    return speakable(agency.name) if agency is not None else "Ủy ban nhân dân xã"


def _exempt(row) -> str:
    """One case that pays nothing; an on-time registration says its time ("trong sáu mươi ngày ...")."""
    name = _said(_first_sentence(row.category.name))
    if row.category.code.startswith("on_time") and row.note:
        when = re.search(r"(trong [^.]*?)\s+thì\s+(?:miễn|không)", row.note)
        if when:
            name += f", {speakable(when.group(1))}"
    return name


def _who_pays_nothing(procedure: Procedure) -> str:
    charged = [f for f in procedure.fees.all() if f.amount_vnd or f.later_amount_vnd]
    rows = list(procedure.exemption_rows.all())
    if not charged:
        return "Thủ tục này không mất lệ phí: ai làm cũng không phải nộp tiền."
    if not rows:
        return "Thủ tục này không có trường hợp được miễn lệ phí."
    return f"Trước hết, những trường hợp không phải nộp lệ phí: {_listed([_exempt(r) for r in rows])}."


def _fee_line(fee) -> str:
    amount = money_words(fee.amount_vnd)
    if fee.unit == FeeUnit.COPY:
        amount += " một bản"
    elif fee.unit == FeeUnit.PAGE:
        amount += " một trang"
        if fee.later_from and fee.later_amount_vnd is not None:
            amount += (
                f", từ trang thứ {number_words(fee.later_from)} là "
                f"{money_words(fee.later_amount_vnd)} một trang"
            )
        if fee.cap_vnd:
            amount += f", tối đa {money_words(fee.cap_vnd)} một bản"
    return f"{_said(fee.label)} là {amount}"


def _fees(procedure: Procedure) -> str:
    charged = [f for f in procedure.fees.all() if f.amount_vnd]
    if not charged:
        return ""
    who = "Những trường hợp khác nộp" if procedure.exemption_rows.all() else "Bà con nộp"
    said = f"{who} {'; '.join(_fee_line(f) for f in charged)}."
    online = [f.amount_vnd for f in charged if f.channel == FeeChannel.ONLINE]
    counter = [f.amount_vnd for f in charged if f.channel == FeeChannel.COUNTER]
    if online and counter and min(online) < min(counter):
        said += " Nộp trực tuyến thì lệ phí thấp hơn."
    return said


def _documents(procedure: Procedure) -> str:
    names = [_said(_first_sentence(d.name)) for d in procedure.documents.all() if d.required]
    return f"Bà con chuẩn bị: {_listed(names)}." if names else ""


def _time(procedure: Procedure) -> str:
    if procedure.time_kind == TimeKind.SAME_DAY:
        return "Thời gian giải quyết: trong ngày."
    unit = "giờ làm việc" if procedure.time_kind == TimeKind.HOURS else "ngày làm việc"
    return f"Thời gian giải quyết: {number_words(procedure.time_value)} {unit}."


def _how_to_file(procedure: Procedure) -> str:
    if procedure.is_online:
        return "Bà con nộp trực tuyến trên điện thoại, hoặc nộp tại bộ phận một cửa của xã."
    return "Thủ tục này nộp trực tiếp tại bộ phận một cửa của xã."


def _steps(procedure: Procedure) -> str:
    ordinals = ["Một", "Hai", "Ba", "Bốn", "Năm"]
    steps = [_said(_first_sentence(s.title)) for s in procedure.steps.all()][: len(ordinals)]
    if len(steps) < 3:
        return ""
    return "Các bước làm: " + " ".join(f"{n}, {s}." for n, s in zip(ordinals, steps, strict=False))


def _hours(agency) -> str:
    if agency is None or not agency.opening_hours:
        return ""
    return f"Bộ phận một cửa làm việc {speakable(agency.opening_hours)}."


def _help(agency) -> str:
    said = f"Cần hỏi hoặc cần giúp, bà con đến bộ phận một cửa, {_agency_name(agency)}"
    if agency is not None and agency.phone:
        said += f"; gọi số {speakable(agency.phone)}"
    return said + "; hoặc nhờ tổ công nghệ số cộng đồng ở thôn giúp nộp hồ sơ. Xin cảm ơn bà con."


def estimate_seconds(text: str) -> float:
    """How long the synthetic voice takes to read `text` (within about a tenth, see the tests)."""
    sentences = len(re.findall(r"[.!?]+(?:\s|$)", text)) + text.count("\n")
    commas = len(re.findall(r"[,;:]", text))
    return syllables(text) * PER_SYLLABLE + sentences * PER_SENTENCE + commas * PER_COMMA


def generated_script(procedure: Procedure, agency) -> str:
    """The bulletin the catalogue gives, one paragraph a line: 60 to 90 seconds read aloud.

    It begins with who pays nothing and ends with where to get help. Between them the fee, the papers, the
    time and how to file always; what the procedure is for, what one gets, the steps, the desk's hours and
    a reminder of who pays nothing are added, in that order, each while the whole fits in 90 seconds.
    """
    free = _who_pays_nothing(procedure)
    opening = f"Kính thưa bà con. {_agency_name(agency)} thông báo về thủ tục {_said(procedure.name)}. {free}"
    parts = {
        "purpose": speakable(_first_sentence(procedure.summary)) + "." if procedure.summary else "",
        "fees": _fees(procedure),
        "documents": _documents(procedure),
        "result": (
            f"Kết quả bà con nhận được: {_said(_first_sentence(procedure.result))}."
            if procedure.result
            else ""
        ),
        "time": _time(procedure),
        "filing": _how_to_file(procedure),
        "steps": _steps(procedure),
        "hours": _hours(agency),
        "reminder": "Xin nhắc lại, " + _lower_first(free.removeprefix("Trước hết, ")),
    }
    order = ["purpose", "fees", "documents", "result", "time", "filing", "steps", "hours", "reminder"]
    chosen = {"fees", "documents", "time", "filing"}
    closing = _help(agency)

    def script() -> str:
        return "\n".join([opening, *(parts[k] for k in order if k in chosen and parts[k]), closing])

    for optional in ("purpose", "result", "steps", "hours", "reminder"):
        chosen.add(optional)
        if estimate_seconds(script()) > TARGET_SECONDS[1] - 3:  # the estimate is within 3 %
            chosen.discard(optional)
    return script()


# --- the bulletin and its text ----------------------------------------------------------------------------


def bulletin_for(agency, code: str) -> Bulletin:
    """The commune's bulletin of procedure `code` (a row made on first use, holding the generated text)."""
    bulletin, _created = Bulletin.objects.get_or_create(agency=agency, procedure_code=code)
    return bulletin


def find_bulletin(agency, code: str) -> Bulletin | None:
    """The commune's bulletin of procedure `code`, or None when none was ever made."""
    return Bulletin.objects.filter(agency=agency, procedure_code=code).first()


def bulletins_of(agency) -> dict[str, Bulletin]:
    """The commune's bulletins, by procedure code."""
    return {b.procedure_code: b for b in Bulletin.objects.filter(agency=agency)}


def script_of(bulletin: Bulletin, procedure: Procedure) -> str:
    return bulletin.script or generated_script(procedure, bulletin.agency)


def text_sha(text: str) -> str:
    """The digest a recording is kept against: the words only."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def voice_sha(text: str) -> str:
    """The digest the synthetic audio is kept against: the words and the voice that reads them."""
    voice = settings.BULLETIN_VOICE
    said = f"{voice['voice']}|{voice['speed']}|{voice['gap']}|{text}"
    return hashlib.sha256(said.encode("utf-8")).hexdigest()


def minutes_and_seconds(seconds: float) -> str:
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return _("%(s)d giây") % {"s": rest}
    return _("%(m)d phút %(s)d giây") % {"m": minutes, "s": rest}


class ScriptRefused(Exception):
    """A script that cannot be a bulletin; the message says why (and how long it is, when too long)."""


@dataclass(frozen=True)
class Heard:
    """A saved script: its text as it will be read, how long it takes, whether `speakable` changed it."""

    text: str
    seconds: float
    rewritten: bool


def measure_seconds(text: str) -> float:
    """How long the voice takes to read `text`: espeak-ng reads it (a few tenths of a second), or, on a
    server without it, the estimate."""
    with tempfile.TemporaryDirectory(prefix="motcua-loa-") as work:
        wav = Path(work) / "measure.wav"
        try:
            audio.speak(text, wav)
            return audio.wav_length(wav)
        except audio.AudioError:
            return estimate_seconds(text)


def save_script(bulletin: Bulletin, *, text: str, by) -> Heard:
    """Store an officer's script, written as it is read; refused when empty or longer than two minutes.

    The audio for the new text is then made by the worker (the old one is no longer served)."""
    typed = clean_text(text).replace("\r\n", "\n").strip()
    if not typed:
        raise ScriptRefused(_("Bản tin đang trống. Bạn viết lời bản tin, hoặc dùng lại bản tự động."))
    if len(typed) > MAX_CHARS:
        raise ScriptRefused(
            _("Bản tin quá dài (%(n)s ký tự): một bản tin đọc không quá 2 phút, khoảng 1.500 ký tự.")
            % {"n": f"{len(typed):,}".replace(",", ".")}
        )
    said = speakable(typed)
    seconds = measure_seconds(said)
    if seconds > LIMIT_SECONDS:
        raise ScriptRefused(
            _("Bản tin đọc mất %(length)s, quá 2 phút. Bạn rút ngắn bớt rồi lưu lại.")
            % {"length": minutes_and_seconds(seconds)}
        )
    generated = generated_script(get_procedure(bulletin.procedure_code), bulletin.agency)
    bulletin.script = "" if said == generated else said
    bulletin.edited_by, bulletin.edited_at = by, timezone.now()
    bulletin.save(update_fields=["script", "edited_by", "edited_at"])
    return Heard(text=said, seconds=seconds, rewritten=said != typed)


def restore_script(bulletin: Bulletin, *, by) -> None:
    """Back to the text the catalogue gives."""
    bulletin.script = ""
    bulletin.edited_by, bulletin.edited_at = by, timezone.now()
    bulletin.save(update_fields=["script", "edited_by", "edited_at"])


# --- the sound --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audio:
    kind: str  # "recording" or "tts"
    file: object  # the FieldFile
    seconds: float | None
    sha: str


def audio_of(bulletin: Bulletin, text: str) -> Audio | None:
    """The sound of `text` to serve: the officers' recording of this very text, else the synthetic voice's
    reading of it; None while neither exists (the worker may be making it)."""
    if bulletin.recording and bulletin.recording_sha == text_sha(text):
        return Audio("recording", bulletin.recording, bulletin.recording_seconds, bulletin.recording_sha)
    if bulletin.audio and bulletin.audio_sha == voice_sha(text):
        return Audio("tts", bulletin.audio, bulletin.audio_seconds, bulletin.audio_sha)
    return None


def request_render(bulletin: Bulletin, text: str) -> bool:
    """Ask the worker for the synthetic audio of `text`, unless it exists or is being made. True when
    queued. Safe to call on every page view: it queues at most once per text."""
    sha = voice_sha(text)
    now = timezone.now()
    fresh = now - STALE_AFTER
    if bulletin.audio and bulletin.audio_sha == sha:
        return False
    if bulletin.render_sha == sha and bulletin.render_state == RenderState.FAILED:
        return False  # the same text failed already: an officer asks again ("Tạo lại âm thanh")
    queued = (
        Bulletin.objects.filter(pk=bulletin.pk)
        .exclude(render_sha=sha, render_state__in=RUNNING, render_started_at__gte=fresh)
        .update(render_state=RenderState.QUEUED, render_sha=sha, render_error="", render_started_at=now)
    )
    if queued:
        bulletin.render_state, bulletin.render_sha, bulletin.render_started_at = RenderState.QUEUED, sha, now
        bulletin.render_error = ""
        transaction.on_commit(lambda: render_audio.enqueue(bulletin.pk, sha))
    return bool(queued)


def retry_render(bulletin: Bulletin, text: str) -> bool:
    """An officer's "Tạo lại âm thanh": queue again even after a failure."""
    if bulletin.render_state == RenderState.FAILED:
        Bulletin.objects.filter(pk=bulletin.pk).update(render_state=RenderState.IDLE)
        bulletin.render_state = RenderState.IDLE
    return request_render(bulletin, text)


@task()
def render_audio(bulletin_id: int, sha: str) -> str:
    """The worker's part: read and encode one bulletin (see `render`)."""
    return render(bulletin_id=bulletin_id, sha=sha)


def _fail(bulletin_id: int, sha: str, message: str) -> str:
    Bulletin.objects.filter(pk=bulletin_id, render_sha=sha).update(
        render_state=RenderState.FAILED, render_error=message[:300]
    )
    return "failed"


def render(*, bulletin_id: int, sha: str) -> str:
    """Make the MP3 of the bulletin's current text, if `sha` is still its digest. Idempotent; returns
    "done", "cached", "stale" (the text changed since), "skipped" (another worker has it) or "failed"."""
    bulletin = Bulletin.objects.select_related("agency").filter(pk=bulletin_id).first()
    procedure = get_procedure(bulletin.procedure_code) if bulletin else None
    if bulletin is None or procedure is None:
        return "stale"
    text = script_of(bulletin, procedure)
    if voice_sha(text) != sha:
        return "stale"
    if bulletin.audio and bulletin.audio_sha == sha:
        Bulletin.objects.filter(pk=bulletin_id, render_sha=sha).update(render_state=RenderState.DONE)
        return "cached"
    started = time.monotonic()
    claimed = Bulletin.objects.filter(pk=bulletin_id, render_sha=sha, render_state=RenderState.QUEUED).update(
        render_state=RenderState.SPEAKING, render_started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    with tempfile.TemporaryDirectory(prefix="motcua-loa-") as folder:
        work = Path(folder)
        wav, mp3 = work / "loa.wav", work / "loa.mp3"
        try:
            audio.speak(text, wav)
            seconds = audio.wav_length(wav)
            if seconds > LIMIT_SECONDS:
                return _fail(
                    bulletin_id,
                    sha,
                    _("Bản tin đọc mất %(length)s, quá 2 phút. Cán bộ rút ngắn lời bản tin.")
                    % {"length": minutes_and_seconds(seconds)},
                )
            Bulletin.objects.filter(pk=bulletin_id, render_sha=sha).update(render_state=RenderState.ENCODING)
            audio.encode(wav, mp3, kbps=TTS_KBPS)
            heard = audio.probe(mp3, work)
        except audio.Unavailable as exc:
            logger.error("Bulletin %s: %s is not installed", bulletin_id, exc)
            return _fail(
                bulletin_id, sha, _("Máy chủ chưa cài %(tool)s: báo quản trị hệ thống.") % {"tool": str(exc)}
            )
        except audio.AudioError as exc:
            logger.exception("Bulletin %s: the audio could not be made", bulletin_id)
            return _fail(bulletin_id, sha, _("Không tạo được âm thanh: %(why)s") % {"why": str(exc)[:200]})
        if heard.is_silence:
            return _fail(bulletin_id, sha, _("Âm thanh tạo ra chỉ có im lặng. Báo quản trị hệ thống."))
        content = mp3.read_bytes()
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
        if bulletin.render_sha != sha:
            return "stale"
        old = bulletin.audio.name if bulletin.audio else ""
        bulletin.audio.save(f"{bulletin.procedure_code}.mp3", ContentFile(content), save=False)
        bulletin.audio_sha, bulletin.audio_seconds, bulletin.audio_made_at = (
            sha,
            heard.seconds,
            timezone.now(),
        )
        bulletin.render_state, bulletin.render_error = RenderState.DONE, ""
        bulletin.render_seconds = round(time.monotonic() - started, 3)
        bulletin.save(
            update_fields=[
                "audio",
                "audio_sha",
                "audio_seconds",
                "audio_made_at",
                "render_state",
                "render_error",
                "render_seconds",
            ]
        )
        if old:
            storage = bulletin.audio.storage
            transaction.on_commit(lambda: storage.delete(old))
    logger.info(
        "Bulletin %s: %.1f s of audio made in %.2f s", bulletin_id, heard.seconds, bulletin.render_seconds
    )
    return "done"


# --- a recording ------------------------------------------------------------------------------------------


class BadRecording(Exception):
    """An upload that is not a recording we can air; the message says why, for the officer."""


# Leading bytes: an MP3 (ID3 tag, or an MPEG audio frame's sync bits) or a WAV.
def _kind(head: bytes) -> str | None:
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    return None


def upload_recording(bulletin: Bulletin, procedure: Procedure, *, upload, by) -> audio.Sound:
    """Keep an officer's recording of the current script, after checking what it is: an MP3 or WAV that
    lame decodes to sound (not silence) no longer than two minutes, at most BULLETIN_UPLOAD_MB."""
    limit = settings.BULLETIN_UPLOAD_MB
    size = upload.size or 0
    if size == 0:
        raise BadRecording(_("Tệp rỗng (0 byte). Bạn chọn lại tệp thu âm."))
    if size > limit * MB:
        raise BadRecording(
            _("Tệp quá lớn (%(mb)s MB). Tệp thu âm tối đa %(limit)s MB.")
            % {"mb": f"{size / MB:.1f}".replace(".", ","), "limit": limit}
        )
    upload.seek(0)
    kind = _kind(upload.read(12))
    if kind is None:
        raise BadRecording(_("Tệp không phải âm thanh MP3 hoặc WAV. Bạn chọn tệp thu âm khác."))
    text = script_of(bulletin, procedure)
    with tempfile.TemporaryDirectory(prefix="motcua-thu-am-") as folder:
        work = Path(folder)
        source, mp3 = work / f"upload.{kind}", work / "recording.mp3"
        with source.open("wb") as handle:
            upload.seek(0)
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            heard = audio.probe(source, work)
        except audio.Unavailable as exc:
            raise BadRecording(
                _("Máy chủ chưa cài %(tool)s: báo quản trị hệ thống.") % {"tool": str(exc)}
            ) from exc
        except audio.AudioError as exc:
            raise BadRecording(
                _("Tệp không đọc được thành âm thanh (có thể bị hỏng). Bạn thu âm hoặc chọn lại tệp.")
            ) from exc
        if heard.seconds > LIMIT_SECONDS:
            raise BadRecording(
                _("Bản thu âm dài %(length)s, quá 2 phút. Bạn thu lại ngắn hơn.")
                % {"length": minutes_and_seconds(heard.seconds)}
            )
        if heard.seconds < 3 or heard.is_silence:
            raise BadRecording(_("Tệp không có tiếng nói (chỉ có im lặng hoặc quá ngắn). Bạn thu âm lại."))
        try:
            audio.encode(source, mp3, kbps=RECORDING_KBPS, mp3_input=kind == "mp3")
        except audio.AudioError as exc:
            raise BadRecording(_("Tệp không đọc được thành âm thanh (có thể bị hỏng).")) from exc
        content = mp3.read_bytes()
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        old = bulletin.recording.name if bulletin.recording else ""
        bulletin.recording.save(f"{bulletin.procedure_code}-thu-am.mp3", ContentFile(content), save=False)
        bulletin.recording_sha, bulletin.recording_seconds = text_sha(text), heard.seconds
        bulletin.recording_by, bulletin.recording_at = by, timezone.now()
        bulletin.save(
            update_fields=["recording", "recording_sha", "recording_seconds", "recording_by", "recording_at"]
        )
        if old:
            storage = bulletin.recording.storage
            transaction.on_commit(lambda: storage.delete(old))
    return heard


def remove_recording(bulletin: Bulletin) -> None:
    """Back to the synthetic voice."""
    if not bulletin.recording:
        return
    name, storage = bulletin.recording.name, bulletin.recording.storage
    Bulletin.objects.filter(pk=bulletin.pk).update(recording="", recording_sha="", recording_seconds=None)
    bulletin.recording, bulletin.recording_sha, bulletin.recording_seconds = "", "", None
    transaction.on_commit(lambda: storage.delete(name))
