"""A bulletin's sound: real speech of the expected length, made by the worker, kept until the script
changes, served to any phone; or an officer's recording, checked by what it is."""

import datetime as dt
import math
import random
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.catalog.services import get_procedure
from motcua.outreach import audio, bulletins
from motcua.outreach.models import Bulletin, RenderState

from .conftest import write_wav

pytestmark = pytest.mark.django_db
BIRTH, MARRIAGE, POOR = "1.001193", "1.000894", "1.011607"
TASK = "motcua.outreach.bulletins.render_audio"


def work() -> list[str]:
    """What `db_worker` does: run the render tasks that are due."""
    from django_tasks_db.models import DBTaskResult

    done = []
    while (row := DBTaskResult.objects.ready().filter(task_path=TASK).first()) is not None:
        row.claim("test-worker")
        value = row.task.call(*row.task_result.args, **row.task_result.kwargs)
        row.set_successful(value)
        done.append(value)
    return done


def measured(content: bytes) -> audio.Sound:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "loa.mp3"
        path.write_bytes(content)
        return audio.probe(path, Path(folder))


def voiced(agency, code: str, django_capture_on_commit_callbacks) -> Bulletin:
    bulletin = bulletins.bulletin_for(agency, code)
    with django_capture_on_commit_callbacks(execute=True):
        assert bulletins.request_render(bulletin, bulletins.script_of(bulletin, get_procedure(code)))
    assert work() == ["done"]
    bulletin.refresh_from_db()
    return bulletin


@pytest.mark.parametrize("code", [BIRTH, MARRIAGE, POOR])
def test_the_worker_makes_real_speech_of_the_expected_length(
    catalogue, agency, media, voice, django_capture_on_commit_callbacks, code
):
    bulletin = voiced(agency, code, django_capture_on_commit_callbacks)
    script = bulletins.script_of(bulletin, get_procedure(code))

    heard = measured(bulletin.audio.read())  # lame decodes the MP3 served; the samples are measured
    assert 60 <= heard.seconds <= 90
    assert abs(heard.seconds - bulletins.estimate_seconds(script)) / heard.seconds < 0.05
    assert heard.rms > 0.05 and heard.voiced > 0.5  # speech with its pauses, not silence
    assert bulletin.render_state == RenderState.DONE and bulletin.audio_seconds == pytest.approx(
        heard.seconds
    )
    assert bulletin.audio.name.startswith(f"loa/{agency.pk}/{code}-") and bulletin.audio.name.endswith(".mp3")


def test_anyone_hears_it_on_the_bulletins_page(
    client, catalogue, agency, media, voice, django_capture_on_commit_callbacks
):
    bulletin = voiced(agency, BIRTH, django_capture_on_commit_callbacks)
    page = client.get(f"/thu-tuc/{BIRTH}/loa/").content.decode()
    assert f'<audio controls preload="none" src="/thu-tuc/{BIRTH}/loa.mp3"></audio>' in page
    assert "Giọng đọc tự động · 1 phút" in page

    sound = client.get(f"/thu-tuc/{BIRTH}/loa.mp3")
    assert sound.status_code == 200 and sound["Content-Type"] == "audio/mpeg"
    assert sound.content == bulletin.audio.open("rb").read()
    assert sound["Accept-Ranges"] == "bytes" and "public" in sound["Cache-Control"]


def test_a_phone_player_gets_byte_ranges_and_a_cached_copy_is_confirmed(
    client, catalogue, agency, media, voice, django_capture_on_commit_callbacks
):
    bulletin = voiced(agency, BIRTH, django_capture_on_commit_callbacks)
    whole = bulletin.audio.open("rb").read()
    part = client.get(f"/thu-tuc/{BIRTH}/loa.mp3", HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and part.content == whole[:100]
    assert part["Content-Range"] == f"bytes 0-99/{len(whole)}"
    tail = client.get(f"/thu-tuc/{BIRTH}/loa.mp3", HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and tail.content == whole[-10:]
    assert client.get(f"/thu-tuc/{BIRTH}/loa.mp3", HTTP_RANGE=f"bytes={len(whole)}-").status_code == 416
    etag = client.get(f"/thu-tuc/{BIRTH}/loa.mp3")["ETag"]
    assert client.get(f"/thu-tuc/{BIRTH}/loa.mp3", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_sound_is_kept_until_the_script_changes(
    client, catalogue, agency, desk, media, voice, django_capture_on_commit_callbacks
):
    bulletin = voiced(agency, BIRTH, django_capture_on_commit_callbacks)
    first = bulletin.audio.name
    procedure = get_procedure(BIRTH)
    assert not bulletins.request_render(bulletin, bulletins.script_of(bulletin, procedure))  # cached
    assert client.get(f"/thu-tuc/{BIRTH}/loa/").status_code == 200
    assert work() == []  # a page view queues nothing when the sound exists

    bulletins.save_script(
        bulletin, text="Bà con mang giấy chứng sinh đến xã để đăng ký khai sinh cho con.", by=desk
    )
    assert client.get(f"/thu-tuc/{BIRTH}/loa.mp3").status_code == 404  # the old sound says the old text
    with django_capture_on_commit_callbacks(execute=True):
        assert "Âm thanh đang được tạo" in client.get(f"/thu-tuc/{BIRTH}/loa/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes once the new one is saved
        assert work() == ["done"]
    bulletin.refresh_from_db()
    assert bulletin.audio.name != first and not bulletin.audio.storage.exists(first)
    assert 3 < measured(client.get(f"/thu-tuc/{BIRTH}/loa.mp3").content).seconds < 10


def test_a_render_for_a_text_that_changed_meanwhile_does_nothing(
    catalogue, agency, desk, media, voice, django_capture_on_commit_callbacks
):
    bulletin = bulletins.bulletin_for(agency, BIRTH)
    with django_capture_on_commit_callbacks(execute=True):
        bulletins.request_render(bulletin, bulletins.script_of(bulletin, get_procedure(BIRTH)))
    bulletins.save_script(bulletin, text="Bà con mang giấy chứng sinh đến xã.", by=desk)
    assert work() == ["stale"]
    bulletin.refresh_from_db()
    assert not bulletin.audio


def test_a_bulletin_over_two_minutes_is_refused_by_the_worker_with_its_length(
    catalogue, agency, media, voice, django_capture_on_commit_callbacks
):
    # An older script saved before the limit, or a voice made slower: the worker measures what it read.
    bulletin = bulletins.bulletin_for(agency, BIRTH)
    Bulletin.objects.filter(pk=bulletin.pk).update(
        script=" ".join(["Bà con nhớ đi đăng ký khai sinh cho con."] * 40)
    )
    bulletin.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        bulletins.request_render(bulletin, bulletin.script)
    assert work() == ["failed"]
    bulletin.refresh_from_db()
    assert bulletin.render_state == RenderState.FAILED and not bulletin.audio
    assert (
        bulletin.render_error.startswith("Bản tin đọc mất 2 phút ") and "quá 2 phút" in bulletin.render_error
    )


def test_without_espeak_the_failure_says_what_to_install(
    catalogue, agency, media, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("PATH", "/nonexistent")
    bulletin = bulletins.bulletin_for(agency, BIRTH)
    with django_capture_on_commit_callbacks(execute=True):
        bulletins.request_render(bulletin, bulletins.script_of(bulletin, get_procedure(BIRTH)))
    assert work() == ["failed"]
    bulletin.refresh_from_db()
    assert bulletin.render_error == "Máy chủ chưa cài espeak-ng: báo quản trị hệ thống."


# --- an officer's recording -------------------------------------------------------------------------------


def spoken_mp3(text: str, folder: Path) -> bytes:
    """A recording as a phone would give it: speech, in an MP3."""
    wav, mp3 = folder / "voice.wav", folder / "voice.mp3"
    audio.speak(text, wav)
    audio.encode(wav, mp3, kbps=64)
    return mp3.read_bytes()


def tone(seconds: float, *, rate: int = 8000, amplitude: int = 8000) -> list[int]:
    return [int(amplitude * math.sin(2 * math.pi * 440 * n / rate)) for n in range(int(seconds * rate))]


def upload(name: str, content: bytes, kind: str = "audio/mpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=kind)


@pytest.fixture
def bulletin(catalogue, agency, media):
    return bulletins.bulletin_for(agency, BIRTH)


def test_a_recording_is_aired_instead_of_the_synthetic_voice(client, bulletin, desk, voice, tmp_path):
    content = spoken_mp3("Kính thưa bà con, đây là bản tin của xã về đăng ký khai sinh.", tmp_path)
    heard = bulletins.upload_recording(
        bulletin, get_procedure(BIRTH), upload=upload("thu-am.mp3", content), by=desk
    )
    assert 3 < heard.seconds < 10
    bulletin.refresh_from_db()
    assert bulletin.recording_by == desk and bulletin.recording_seconds == heard.seconds

    served = client.get(f"/thu-tuc/{BIRTH}/loa.mp3")
    assert served.status_code == 200 and measured(served.content).seconds == pytest.approx(
        heard.seconds, abs=0.2
    )
    assert "Giọng cán bộ xã" in client.get(f"/thu-tuc/{BIRTH}/loa/").content.decode()


def test_a_recording_of_an_older_text_is_not_aired(client, bulletin, desk, voice, tmp_path):
    content = spoken_mp3("Bà con chú ý, đây là bản tin của xã về đăng ký khai sinh.", tmp_path)
    bulletins.upload_recording(bulletin, get_procedure(BIRTH), upload=upload("a.mp3", content), by=desk)
    bulletins.save_script(bulletin, text="Lời mới của bản tin đăng ký khai sinh.", by=desk)
    assert client.get(f"/thu-tuc/{BIRTH}/loa.mp3").status_code == 404


def test_a_wav_recording_is_kept_as_mp3(bulletin, desk, voice, tmp_path):
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "voice.wav"
        audio.speak("Bà con chú ý, đây là bản tin của xã.", wav)
        content = wav.read_bytes()
    bulletins.upload_recording(
        bulletin, get_procedure(BIRTH), upload=upload("thu-am.wav", content, "audio/wav"), by=desk
    )
    bulletin.refresh_from_db()
    head = bulletin.recording.open("rb").read(3)
    assert head == b"ID3" or head[0] == 0xFF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rong.mp3", b"", "Tệp rỗng (0 byte). Bạn chọn lại tệp thu âm."),
        (
            "anh.mp3",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
            "Tệp không phải âm thanh MP3 hoặc WAV. Bạn chọn tệp thu âm khác.",
        ),
        (
            "gia.mp3",
            b"<html>" + b"a" * 100,
            "Tệp không phải âm thanh MP3 hoặc WAV. Bạn chọn tệp thu âm khác.",
        ),
        (
            "hong.mp3",
            b"ID3" + random.Random(13).randbytes(4000),
            "Tệp không đọc được thành âm thanh (có thể bị hỏng). Bạn thu âm hoặc chọn lại tệp.",
        ),
    ],
)
def test_what_is_not_audio_is_refused_by_its_content(bulletin, desk, voice, name, content, message):
    with pytest.raises(bulletins.BadRecording) as refused:
        bulletins.upload_recording(bulletin, get_procedure(BIRTH), upload=upload(name, content), by=desk)
    assert str(refused.value) == message
    bulletin.refresh_from_db()
    assert not bulletin.recording


def test_silence_is_refused(bulletin, desk, voice, tmp_path):
    silence = write_wav(tmp_path / "im-lang.wav", [0] * 22050 * 10).read_bytes()
    with pytest.raises(bulletins.BadRecording, match="không có tiếng nói"):
        bulletins.upload_recording(
            bulletin, get_procedure(BIRTH), upload=upload("im-lang.wav", silence), by=desk
        )


def test_a_recording_over_two_minutes_is_refused_with_its_length(bulletin, desk, voice, tmp_path):
    long = write_wav(tmp_path / "dai.wav", tone(130.5), rate=8000).read_bytes()
    with pytest.raises(bulletins.BadRecording) as refused:
        bulletins.upload_recording(bulletin, get_procedure(BIRTH), upload=upload("dai.wav", long), by=desk)
    assert str(refused.value) == "Bản thu âm dài 2 phút 10 giây, quá 2 phút. Bạn thu lại ngắn hơn."


def test_a_recording_over_the_size_limit_is_refused_before_it_is_read(bulletin, desk, settings, tmp_path):
    settings.BULLETIN_UPLOAD_MB = 1
    big = write_wav(tmp_path / "lon.wav", tone(70), rate=8000).read_bytes()  # 1.1 MB
    with pytest.raises(bulletins.BadRecording) as refused:
        bulletins.upload_recording(bulletin, get_procedure(BIRTH), upload=upload("lon.wav", big), by=desk)
    assert str(refused.value) == "Tệp quá lớn (1,1 MB). Tệp thu âm tối đa 1 MB."


def test_the_default_limit_is_twenty_megabytes(settings):
    assert settings.BULLETIN_UPLOAD_MB == 20


def test_a_render_left_by_a_worker_that_died_is_taken_again_after_ten_minutes(catalogue, agency, media):
    bulletin = bulletins.bulletin_for(agency, BIRTH)
    text = bulletins.script_of(bulletin, get_procedure(BIRTH))
    assert bulletins.request_render(bulletin, text)
    Bulletin.objects.filter(pk=bulletin.pk).update(render_state=RenderState.SPEAKING)  # claimed, then silence
    bulletin.refresh_from_db()
    assert not bulletins.request_render(bulletin, text)  # someone is on it
    Bulletin.objects.filter(pk=bulletin.pk).update(
        render_started_at=timezone.now() - dt.timedelta(minutes=11)
    )
    bulletin.refresh_from_db()
    assert bulletins.request_render(bulletin, text)
    bulletin.refresh_from_db()
    assert bulletin.render_state == RenderState.QUEUED
