"""VietQR payloads: published vectors byte for byte, round trips, a scanned QR, and refused inputs."""

import binascii
import random
import string
import subprocess

import pytest

from motcua.payments.vietqr import (
    build_payload,
    crc16_ccitt_false,
    make_qr,
    parse_payload,
    purpose_for,
    qr_svg,
)
from testkit import need

# domain.md §5.2: the worked example, CRC re-computed there as C15C.
PUBLISHED = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)
# stack.md §4: the commune's own case, the dossier code alone as purpose (exactly 25 characters).
DOSSIER_CODE_PAYLOAD = (
    "00020101021238570010A00000072701270006970436011300110012345670208QRIBFTTA"
    "5303704540550000"
    "5802VN62290825000.00.14.H56-231226-000163047EB1"
)


# --- CRC ------------------------------------------------------------------------------------------------
def test_crc_check_value_of_the_standard_test_string():
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_crc_agrees_with_the_standard_library_for_random_data():
    rng = random.Random(20261120)
    for _ in range(200):
        data = rng.randbytes(rng.randint(0, 300))
        assert crc16_ccitt_false(data) == binascii.crc_hqx(data, 0xFFFF)


# --- published vectors ----------------------------------------------------------------------------------
def test_reproduces_the_published_example_byte_for_byte():
    payload = build_payload(bin="970415", account="0011001932418", amount=120000, purpose="ung ho lu lut")

    assert payload == PUBLISHED
    assert payload.endswith("6304C15C")


def test_static_qr_without_amount_matches_the_vietnam_qr_pay_vector():
    payload = build_payload(bin="970416", account="257678859", amount=None, purpose=None)

    assert payload == (
        "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F"
    )


def test_dynamic_qr_with_amount_and_purpose_matches_the_vietnam_qr_pay_vector():
    payload = build_payload(bin="970416", account="257678859", amount=10000, purpose="Chuyen tien")

    assert payload == (
        "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA"
        "53037045405100005802VN62150811Chuyen tien630453E6"
    )


def test_long_purpose_vector_needs_strict_purpose_off():
    purpose = "LE PHI HS 000.00.14.H56-231226-0001"  # 35 characters, over the EMVCo limit

    with pytest.raises(ValueError, match="35 characters; EMVCo allows 25"):
        build_payload(bin="970436", account="0011001234567", amount=50000, purpose=purpose)
    payload = build_payload(
        bin="970436", account="0011001234567", amount=50000, purpose=purpose, strict_purpose=False
    )
    assert payload == (
        "00020101021238570010A00000072701270006970436011300110012345670208QRIBFTTA"
        "5303704540550000"
        "5802VN62390835LE PHI HS 000.00.14.H56-231226-00016304B45C"
    )


def test_dossier_code_alone_fits_the_purpose_field():
    payload = build_payload(
        bin="970436", account="0011001234567", amount=50000, purpose=purpose_for("000.00.14.H56-231226-0001")
    )

    assert payload == DOSSIER_CODE_PAYLOAD


def test_initiation_is_dynamic_with_an_amount_and_static_without():
    assert parse_payload(build_payload(bin="970436", account="1", amount=5, purpose=None))["01"] == "12"
    assert parse_payload(build_payload(bin="970436", account="1", amount=None, purpose=None))["01"] == "11"


def test_card_service_is_written_into_template_38():
    payload = build_payload(
        bin="970436", account="9704361234567890", amount=None, purpose=None, service="QRIBFTTC"
    )

    assert parse_payload(payload)["38"]["02"] == "QRIBFTTC"


# --- parsing --------------------------------------------------------------------------------------------
def test_parses_the_published_example_into_nested_fields():
    assert parse_payload(PUBLISHED) == {
        "00": "01",
        "01": "12",
        "38": {"00": "A000000727", "01": {"00": "970415", "01": "0011001932418"}, "02": "QRIBFTTA"},
        "53": "704",
        "54": "120000",
        "58": "VN",
        "62": {"08": "ung ho lu lut"},
        "63": "C15C",
    }


def test_parser_accepts_a_lower_case_crc():
    assert parse_payload(PUBLISHED[:-4] + "c15c")["63"] == "c15c"


def _random_valid_input(rng: random.Random) -> dict:
    alnum = string.ascii_letters + string.digits
    printable = "".join(chr(c) for c in range(0x20, 0x7F))
    return {
        "bin": "".join(rng.choices(string.digits, k=6)),
        "account": "".join(rng.choices(alnum, k=rng.randint(1, 19))),
        "amount": rng.choice([None, rng.randint(1, 10**13 - 1), rng.randint(1, 10_000_000)]),
        "purpose": rng.choice([None, "".join(rng.choices(printable, k=rng.randint(1, 25)))]),
        "service": rng.choice(["QRIBFTTA", "QRIBFTTC"]),
    }


def test_round_trip_build_then_parse_for_many_random_inputs():
    rng = random.Random(704)
    for _ in range(1000):
        given = _random_valid_input(rng)
        payload = build_payload(**given)

        fields = parse_payload(payload)

        assert fields["38"]["01"] == {"00": given["bin"], "01": given["account"]}, payload
        assert fields["38"]["02"] == given["service"]
        assert fields.get("54") == (None if given["amount"] is None else str(given["amount"]))
        assert fields.get("62", {}).get("08") == given["purpose"]
        assert fields["01"] == ("11" if given["amount"] is None else "12")
        assert fields["63"] == f"{binascii.crc_hqx(payload[:-4].encode(), 0xFFFF):04X}"


# --- the rendered QR ------------------------------------------------------------------------------------
@pytest.mark.parametrize("payload", [PUBLISHED, DOSSIER_CODE_PAYLOAD], ids=["published", "dossier-code"])
def test_a_rendered_qr_scans_back_to_the_same_payload(tmp_path, payload):
    image = tmp_path / "qr.png"
    make_qr(payload).save(image, kind="png", scale=6)

    command = [need("zbarimg"), "--raw", "-q", str(image)]  # fails under CI when missing, skips locally
    scanned = subprocess.run(command, capture_output=True, text=True, check=True, timeout=30)  # noqa: S603

    assert scanned.stdout.rstrip("\n") == payload


def test_svg_is_a_standalone_document_usable_in_an_img_tag():
    svg = qr_svg(DOSSIER_CODE_PAYLOAD)

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<?xml" not in svg
    assert 'transform="scale(4)"' in svg


def test_qr_uses_error_correction_m_without_boosting():
    qr = make_qr(DOSSIER_CODE_PAYLOAD)

    assert qr.error == "M"
    assert qr.mode == "alphanumeric"  # upper case, digits, '.', '-' and spaces only: a smaller symbol


# --- purposes -------------------------------------------------------------------------------------------
def test_purpose_folds_vietnamese_to_ascii_upper_case():
    assert purpose_for("Nộp phí mc2611200001") == "NOP PHI MC2611200001"
    assert purpose_for("Đăng ký") == "DANG KY"


def test_purpose_keeps_a_dossier_code_whole():
    assert purpose_for(" 000.20.44.H54-261120-0001 ") == "000.20.44.H54-261120-0001"


def test_purpose_replaces_symbols_and_collapses_spaces():
    assert purpose_for("MC2611200001 / Hường,\tnộp  lệ phí") == "MC2611200001 HUONG NOP LE"


def test_long_purpose_is_cut_at_a_word_boundary_without_a_trailing_separator():
    purpose = purpose_for("MC2611200001 Nguyễn Thị Hường")

    assert purpose == "MC2611200001 NGUYEN THI"
    assert len(purpose) <= 25


def test_a_single_long_word_is_cut_hard_at_25_characters():
    assert purpose_for("A" * 40) == "A" * 25


def test_purpose_never_ends_in_a_separator_after_cutting():
    assert purpose_for("X" * 24 + "-YYYY") == "X" * 24


def test_purpose_with_nothing_usable_is_refused():
    with pytest.raises(ValueError, match="nothing in"):
        purpose_for("!!! ???")


def test_every_folded_purpose_builds_a_valid_payload():
    rng = random.Random(25)
    alphabet = (
        "aăâbcdđeêghiklmnoôơpqrstuưvxy"
        "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
        ".-/ 0123456789"
    )
    for _ in range(300):
        text = "".join(rng.choices(alphabet + alphabet.upper(), k=rng.randint(1, 60)))
        if not any(ch.isalnum() for ch in text):
            continue
        purpose = purpose_for(text)
        assert len(purpose) <= 25 and purpose == purpose.strip()
        assert parse_payload(build_payload(bin="970436", account="1", amount=1, purpose=purpose))["62"] == {
            "08": purpose
        }


# --- refused inputs -------------------------------------------------------------------------------------
VALID = {"bin": "970436", "account": "0011001234567", "amount": 50000, "purpose": "MC2611200001"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bin": "97043"}, "BIN must be 6 digits"),
        ({"bin": "97043A"}, "BIN must be 6 digits"),
        ({"bin": 970436}, "BIN must be 6 digits"),
        ({"account": ""}, "account must be 1 to 19"),
        ({"account": "0011-001234567"}, "account must be 1 to 19"),
        ({"account": "1" * 20}, "account must be 1 to 19"),
        ({"amount": 0}, "amount must be positive"),
        ({"amount": -5}, "amount must be positive"),
        ({"amount": 50000.0}, "whole number of VND"),
        ({"amount": 50000.9}, "whole number of VND"),
        ({"amount": "50000"}, "whole number of VND"),
        ({"amount": True}, "whole number of VND"),
        ({"amount": 10**13}, "more than 13 digits"),
        ({"purpose": "Lệ phí"}, "printable ASCII"),
        ({"purpose": "LE PHI\nHS"}, "printable ASCII"),
        ({"purpose": ""}, "non-empty string"),
        ({"purpose": "X" * 26}, "26 characters; EMVCo allows 25"),
        ({"service": "QRPUSH"}, "service must be one of"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(change, message):
    with pytest.raises(ValueError, match=message):
        build_payload(**{**VALID, **change})


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (PUBLISHED[:-4] + "C15D", "CRC mismatch"),
        (PUBLISHED.replace("5406120000", "5406920000"), "CRC mismatch"),
        (PUBLISHED[:-4] + "XYZW", "not hexadecimal"),
        (PUBLISHED[:-8], "must end with the CRC field"),
        (PUBLISHED + "9902AB", "must end with the CRC field"),
        (PUBLISHED[:-1], "declares 4 characters, has 3"),
        ("", "must start with the payload format indicator"),
        ("000201011", "malformed tag/length"),
        ("000202" + PUBLISHED[6:], "must start with the payload format indicator"),
        ("0A" + PUBLISHED[2:], "malformed tag/length"),
        ("000201" + "0000" + PUBLISHED[6:], "declares 0 characters"),
        ("000201010211010212" + "6304", "appears twice"),
        ("Lệ phí", "ASCII"),
    ],
)
def test_malformed_payloads_are_refused(payload, message):
    with pytest.raises(ValueError, match=message):
        parse_payload(payload)


def test_a_malformed_nested_template_is_refused_even_with_a_good_crc():
    body = "000201010211" + "3805" + "00XX1" + "5802VN" + "6304"
    payload = body + f"{crc16_ccitt_false(body.encode()):04X}"

    with pytest.raises(ValueError, match="template 38: malformed"):
        parse_payload(payload)
