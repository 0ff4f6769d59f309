"""Every procedure's bulletin, as the catalogue writes it: who pays nothing first, where to get help last,
60 to 90 seconds, nothing a voice would stumble on. And what an officer's edit becomes."""

import tempfile
from pathlib import Path

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.services import get_procedure
from motcua.outreach import audio, bulletins
from motcua.outreach.spoken import ABBREVIATIONS, speakable, unspoken

pytestmark = pytest.mark.django_db
BIRTH, RESIDENCE, GUARDIAN, COPY = "1.001193", "1.004222", "1.004837", "2.000815"


def every_procedure():
    return list(
        Procedure.objects.current()
        .order_by("code")
        .prefetch_related("fees", "exemption_rows__category", "documents", "steps")
    )


def test_every_procedures_bulletin_reads_in_60_to_90_seconds(catalogue, agency):
    lengths = {
        p.code: bulletins.estimate_seconds(bulletins.generated_script(p, agency)) for p in every_procedure()
    }
    assert len(lengths) == len({p["code"] for p in catalogue["procedures"]})
    assert {code: s for code, s in lengths.items() if not 60 <= s <= 90} == {}


def test_every_procedures_bulletin_says_who_pays_nothing_first(catalogue, agency):
    for procedure in every_procedure():
        opening = bulletins.generated_script(procedure, agency).split("\n")[0]
        rows = list(procedure.exemption_rows.all())
        charged = any(f.amount_vnd for f in procedure.fees.all())
        if not charged:
            assert "không mất lệ phí: ai làm cũng không phải nộp tiền" in opening, procedure.code
        elif rows:
            assert "những trường hợp không phải nộp lệ phí:" in opening, procedure.code
            for row in rows:
                said = speakable(row.category.name).split(",")[0].lower()  # "trẻ em dưới mười sáu tuổi"
                assert said in opening.lower(), (procedure.code, said)
        else:
            assert "không có trường hợp được miễn lệ phí" in opening, procedure.code
        # Nothing else comes before it: the greeting, then the procedure named, then who pays nothing.
        assert opening.startswith("Kính thưa bà con. Ủy ban nhân dân xã Vĩnh Linh thông báo về thủ tục ")


def test_every_procedures_bulletin_ends_with_where_to_get_help(catalogue, agency):
    for procedure in every_procedure():
        last = bulletins.generated_script(procedure, agency).split("\n")[-1]
        assert last.startswith(
            "Cần hỏi hoặc cần giúp, bà con đến bộ phận một cửa, Ủy ban nhân dân xã Vĩnh Linh"
        )
        assert "gọi số không hai ba ba, ba, không không không, không không không" in last
        assert "tổ công nghệ số cộng đồng" in last
        assert last.endswith("Xin cảm ơn bà con.")


def test_every_procedures_bulletin_is_written_as_it_is_read(catalogue, agency):
    for procedure in every_procedure():
        script = bulletins.generated_script(procedure, agency)
        assert unspoken(script) == [], procedure.code
        words = set(script.replace(",", " ").replace(".", " ").split())
        assert not words & set(ABBREVIATIONS), procedure.code


def test_the_fee_is_said_in_words(catalogue, agency):
    said = bulletins.generated_script(get_procedure(RESIDENCE), agency)
    assert "nộp trực tiếp là hai mươi nghìn đồng" in said
    assert "nộp trực tuyến là mười nghìn đồng. Nộp trực tuyến thì lệ phí thấp hơn." in said
    assert "20.000" not in said
    copy = bulletins.generated_script(get_procedure(COPY), agency)
    assert (
        "hai nghìn đồng một trang, từ trang thứ ba là một nghìn đồng một trang, "
        "tối đa hai trăm nghìn đồng một bản" in copy
    )


def test_an_on_time_registration_says_its_time(catalogue, agency):
    said = bulletins.generated_script(get_procedure(BIRTH), agency)
    assert "đăng ký khai sinh đúng hạn, trong sáu mươi ngày kể từ ngày sinh; hộ nghèo;" in said


def test_a_short_procedure_fills_its_time_with_steps_and_a_reminder(catalogue, agency):
    said = bulletins.generated_script(get_procedure(GUARDIAN), agency)
    assert "Các bước làm: Một, " in said
    assert "Xin nhắc lại, thủ tục này không mất lệ phí" in said


def test_without_a_commune_the_bulletin_still_says_where_to_go(catalogue):
    said = bulletins.generated_script(get_procedure(BIRTH), None)
    assert said.split("\n")[-1].startswith(
        "Cần hỏi hoặc cần giúp, bà con đến bộ phận một cửa, Ủy ban nhân dân xã;"
    )


@pytest.mark.parametrize("code", [BIRTH, RESIDENCE, GUARDIAN])
def test_the_estimate_is_what_the_voice_takes(catalogue, agency, voice, code):
    # All procedures are checked against the estimate above; a few against espeak-ng itself, which is
    # what the estimate was measured on.
    script = bulletins.generated_script(get_procedure(code), agency)
    with tempfile.TemporaryDirectory() as work:
        wav = Path(work) / "loa.wav"
        audio.speak(script, wav)
        heard = audio.wav_length(wav)
    assert 60 <= heard <= 90
    assert abs(heard - bulletins.estimate_seconds(script)) / heard < 0.05


# --- an officer's edit ------------------------------------------------------------------------------------


@pytest.fixture
def bulletin(catalogue, agency):
    return bulletins.bulletin_for(agency, BIRTH)


def test_an_officers_script_is_stored_as_it_is_read(bulletin, desk, voice):
    heard = bulletins.save_script(
        bulletin,
        text="UBND xã thông báo: lệ phí 8.000đ, nộp trước ngày 20/11/2026. Gọi 0233 3 000 000.",
        by=desk,
    )
    bulletin.refresh_from_db()
    assert (
        bulletin.script
        == heard.text
        == (
            "Ủy ban nhân dân xã thông báo: lệ phí tám nghìn đồng, nộp trước ngày hai mươi tháng mười một "
            "năm hai nghìn không trăm hai mươi sáu. Gọi không hai ba ba, ba, không không không, "
            "không không không."
        )
    )
    assert heard.rewritten and 5 < heard.seconds < 20
    assert bulletin.edited_by == desk


def test_a_bulletin_longer_than_two_minutes_is_refused_with_its_length(bulletin, desk, voice):
    long = " ".join(
        ["Bà con nhớ mang theo giấy chứng sinh và căn cước khi đi đăng ký khai sinh cho con."] * 25
    )
    with pytest.raises(bulletins.ScriptRefused) as refused:
        bulletins.save_script(bulletin, text=long, by=desk)
    message = str(refused.value)
    assert message.startswith("Bản tin đọc mất 2 phút ") and message.endswith(
        "quá 2 phút. Bạn rút ngắn bớt rồi lưu lại."
    )
    assert bulletins.find_bulletin(bulletin.agency, BIRTH).script == ""


def test_an_empty_or_huge_script_is_refused_before_anything_is_read(bulletin, desk):
    with pytest.raises(bulletins.ScriptRefused, match="trống"):
        bulletins.save_script(bulletin, text=" \n ", by=desk)
    with pytest.raises(bulletins.ScriptRefused, match="quá dài"):
        bulletins.save_script(bulletin, text="a " * 2000, by=desk)


def test_saving_the_generated_text_keeps_following_the_catalogue(bulletin, desk, voice):
    generated = bulletins.generated_script(get_procedure(BIRTH), bulletin.agency)
    bulletins.save_script(bulletin, text=generated, by=desk)
    bulletin.refresh_from_db()
    assert bulletin.script == ""
    bulletins.save_script(bulletin, text="Bản tin riêng của xã.", by=desk)
    bulletins.restore_script(bulletin, by=desk)
    assert bulletins.script_of(bulletin, get_procedure(BIRTH)) == generated
