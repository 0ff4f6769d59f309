"""Bank statement import: messy real-world CSV and XLSX exports, and finding references in bank memos."""

import datetime as dt
import io
import unicodedata

import pytest

from motcua.payments.statements import (
    StatementError,
    StatementRow,
    find_references,
    fold_memo,
    parse_amount,
    parse_date,
    parse_statement,
)

DOSSIER = "000.20.44.H54-261120-0001"
NOV_20, NOV_21, NOV_22 = dt.date(2026, 11, 20), dt.date(2026, 11, 21), dt.date(2026, 11, 22)

# A Vietcombank-style export: UTF-8 with BOM, semicolons, bank title rows above the header, separate
# debit and credit columns, dot-grouped amounts, a quoted memo with a semicolon, a blank line, totals.
VCB_CSV = """\ufeffNGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM;;;;;
SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT;;;;;
Số tài khoản: 0011001234567 - UBND XA VINH LINH;;;;;
Từ ngày 01/11/2026 đến ngày 30/11/2026;;;;;
STT;Ngày giao dịch;Số tham chiếu;Số tiền ghi nợ;Số tiền ghi có;Nội dung chi tiết
1;20/11/2026 10:15:32;5213 - 40125;;50.000;MBVCB.1234.567.Nộp lệ phí hồ sơ MC2611200001.CT tu 0123 toi 0011
2;20/11/2026 11:02:00;5213 - 40126;120.000;;Thanh toán tiền điện tháng 11
3;21/11/2026;FT26325ABC;;8.000 VND;"NOP PHI HS 0002044 H54; 261120 0001"
4;21/11/2026;FT26325ABD;;năm mươi nghìn;MC2611200003
;;;;;
6;22/11/2026;FT26326XYZ;;1.234.567;Chuyen khoan mc 2611 2000 04
Tổng cộng;;;120.000;1.292.567;
""".replace("\n", "\r\n").encode("utf-8")


VCB_FIRST_MEMO = "MBVCB.1234.567.Nộp lệ phí hồ sơ MC2611200001.CT tu 0123 toi 0011"


def test_semicolon_csv_with_bom_and_title_rows_gives_the_credit_rows():
    rows = parse_statement(VCB_CSV, filename="saoke_112026.csv")

    assert rows == [
        StatementRow(6, NOV_20, 50000, VCB_FIRST_MEMO, "5213 - 40125"),
        StatementRow(8, NOV_21, 8000, "NOP PHI HS 0002044 H54; 261120 0001", "FT26325ABC"),
        StatementRow(
            9,
            NOV_21,
            None,
            "MC2611200003",
            "FT26325ABD",
            "không đọc được số tiền “năm mươi nghìn”",
        ),
        StatementRow(11, NOV_22, 1234567, "Chuyen khoan mc 2611 2000 04", "FT26326XYZ"),
    ]


def test_debit_rows_blank_lines_and_totals_are_not_transactions():
    memos = [row.memo for row in parse_statement(VCB_CSV, filename="saoke.csv")]

    assert "Thanh toán tiền điện tháng 11" not in memos
    assert len(memos) == 4


def test_an_unreadable_amount_is_returned_with_the_reason_not_dropped():
    [bad] = [row for row in parse_statement(VCB_CSV, filename="saoke.csv") if row.error]

    assert (bad.line, bad.amount_vnd, bad.bank_ref) == (9, None, "FT26325ABD")
    assert bad.error == "không đọc được số tiền “năm mươi nghìn”"


def test_references_are_found_in_the_messy_memos_of_an_import():
    candidates = [DOSSIER, "MC2611200001", "MC2611200003", "MC2611200004"]

    found = [find_references(row.memo, candidates) for row in parse_statement(VCB_CSV, filename="s.csv")]

    assert found == [["MC2611200001"], [DOSSIER], ["MC2611200003"], ["MC2611200004"]]


def test_comma_csv_without_bom_with_quoted_comma_grouped_amounts():
    data = (
        "Ngay GD,Ma GD,So tien,Noi dung\n"
        '2026-11-20 09:01,FT1,"50,000",NOP LE PHI MC2611200001\n'
        '2026-11-20 09:05,FT2,"50000.00",Ủng hộ\n'
        '2026-11-21,FT3,"+50 000",mc2611200002\n'
    ).encode()

    rows = parse_statement(data, filename="export.csv")

    assert [(r.line, r.date, r.amount_vnd, r.bank_ref) for r in rows] == [
        (2, NOV_20, 50000, "FT1"),
        (3, NOV_20, 50000, "FT2"),
        (4, NOV_21, 50000, "FT3"),
    ]
    assert all(row.error is None for row in rows)


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Text as Vietnamese Windows writes it: vowels with their shape precomposed, tone marks combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            shape = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in TONE_MARKS))
            out += (shape + "".join(m for m in marks if m in TONE_MARKS)).encode("cp1258")
    return bytes(out)


def test_windows_1258_csv_is_read_and_normalised():
    text = "Ngày;Số tiền;Diễn giải;Mã GD\n20/11/2026;50.000;Nộp lệ phí hồ sơ Đăng ký khai sinh;FT9\n"
    data = to_cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test really exercises the fallback

    [row] = parse_statement(data, filename="sao ke.csv")

    assert row == StatementRow(2, NOV_20, 50000, "Nộp lệ phí hồ sơ Đăng ký khai sinh", "FT9")
    assert unicodedata.is_normalized("NFC", row.memo)


def test_excel_unicode_text_export_with_tabs_is_read():
    data = "Ngày giao dịch\tSố tiền\tNội dung\n20/11/2026\t50.000\tMC2611200001\n".encode("utf-16")

    assert parse_statement(data, filename="statement.txt") == [
        StatementRow(2, NOV_20, 50000, "MC2611200001", "")
    ]


def test_signed_amount_column_keeps_credits_and_leaves_out_debits():
    data = (
        "Ngày;Số tiền;Nội dung\n"
        "20/11/2026;+50.000;MC2611200001\n"
        "20/11/2026;-120.000;Phí SMS\n"
        "21/11/2026;(15.000);Phí quản lý tài khoản\n"
        "21/11/2026;8.000;MC2611200002\n"
    ).encode()

    rows = parse_statement(data, filename="s.csv")

    assert [(row.line, row.amount_vnd) for row in rows] == [(2, 50000), (5, 8000)]


def test_a_debit_credit_column_decides_the_direction():
    data = (
        "Ngày giao dịch;Số tiền;Nợ/Có;Nội dung\n"
        "20/11/2026;50.000;C;MC2611200001\n"
        "20/11/2026;120.000;D;Phí SMS\n"
        "21/11/2026;8.000;Có;MC2611200002\n"
        "21/11/2026;9.000;Nợ;Rút tiền\n"
        "22/11/2026;7.000;?;MC2611200003\n"
    ).encode()

    rows = parse_statement(data, filename="s.csv")

    assert [(row.line, row.amount_vnd, row.error) for row in rows] == [
        (2, 50000, None),
        (4, 8000, None),
        (6, 7000, "không hiểu cột Nợ/Có “?”"),
    ]


def test_english_headers_and_a_repeated_english_header_row():
    data = (
        "Ngày giao dịch / Transaction date,Số tham chiếu / Reference,Ghi nợ (Debit),Ghi có (Credit),"
        "Diễn giải / Description,Số dư / Balance\n"
        "Transaction date,Reference,Debit,Credit,Description,Balance\n"
        '20/11/2026,FT1,,"50,000",MC2611200001,"1,050,000"\n'
        '21/11/2026,FT2,"20,000",,ATM,"1,030,000"\n'
    ).encode()

    assert parse_statement(data, filename="s.csv") == [StatementRow(3, NOV_20, 50000, "MC2611200001", "FT1")]


def test_a_two_row_header_with_debit_and_credit_under_one_title():
    data = (
        "Ngày GD;Số CT;Diễn giải;Phát sinh;;Số dư\n"
        ";;;Nợ;Có;\n"
        "20/11/2026;0001;MC2611200001;;50.000;1.050.000\n"
        "20/11/2026;0002;Phí;11.000;;1.039.000\n"
    ).encode()

    assert parse_statement(data, filename="s.csv") == [StatementRow(3, NOV_20, 50000, "MC2611200001", "0001")]


def test_a_two_row_header_titled_amount_takes_the_columns_from_the_lower_row():
    # "Số tiền" sits over the debit column once merged: reading it as the credit column would turn
    # every payment the commune made into an incoming one.
    data = (
        "Ngày;Nội dung;Số tiền;\n"
        ";;Nợ;Có\n"
        "20/11/2026;Chi tiền văn phòng phẩm;300.000;\n"
        "20/11/2026;MC2611200001;;50.000\n"
    ).encode()

    assert parse_statement(data, filename="s.csv") == [StatementRow(4, NOV_20, 50000, "MC2611200001", "")]


def test_rows_without_a_date_or_amount_are_reported():
    data = (
        "Ngày;Số tiền;Nội dung\n"
        ";50.000;MC2611200001\n"
        "31/02/2026;50.000;MC2611200002\n"
        "21/11/2026;;MC2611200003\n"
        "21/11/2026;0;MC2611200004\n"
        "21/11/2026;50.5;MC2611200005\n"
    ).encode()

    assert [(row.line, row.error) for row in parse_statement(data, filename="s.csv")] == [
        (2, "thiếu ngày giao dịch"),
        (3, "không đọc được ngày “31/02/2026”"),
        (4, "thiếu số tiền"),
        (5, "số tiền bằng 0"),
        (6, "số tiền có phần lẻ dưới một đồng: “50.5”"),
    ]


def test_a_row_with_a_bad_date_keeps_its_readable_amount_for_the_officer():
    data = "Ngày;Số tiền;Nội dung\nhôm qua;50.000;MC2611200001\n".encode()

    [row] = parse_statement(data, filename="s.csv")

    assert (row.amount_vnd, row.error) == (50000, "không đọc được ngày “hôm qua”")


def test_a_memo_over_two_lines_keeps_line_numbers_right():
    data = (
        'Ngày,Số tiền,Nội dung\n20/11/2026,"50.000","MC2611200001\nNGUYEN THI HUONG"\n21/11/2026,8.000,MC2\n'
    ).encode()

    rows = parse_statement(data, filename="s.csv")

    assert [(row.line, row.memo) for row in rows] == [(2, "MC2611200001 NGUYEN THI HUONG"), (4, "MC2")]


def test_a_file_without_a_recognisable_header_is_refused():
    with pytest.raises(StatementError, match="Không tìm thấy dòng tiêu đề"):
        parse_statement(b"a;b;c\n1;2;3\n", filename="s.csv")


def test_an_old_xls_file_is_refused_with_advice():
    with pytest.raises(StatementError, match=r"\.xlsx hoặc \.csv"):
        parse_statement(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, filename="saoke.xls")


def test_a_damaged_xlsx_is_refused():
    with pytest.raises(StatementError, match="Không mở được tệp XLSX"):
        parse_statement(b"PK\x03\x04 not really a zip", filename="saoke.xlsx")


# --- XLSX -----------------------------------------------------------------------------------------------
def xlsx(*sheets: tuple[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FRACTION = "số tiền có phần lẻ dưới một đồng"


def test_xlsx_statement_with_title_rows_typed_cells_and_a_cover_sheet():
    data = xlsx(
        ("Thông tin", [["Sao kê tài khoản 0011001234567"], ["Kỳ: tháng 11/2026"]]),
        (
            "Sao kê",
            [
                ["NGÂN HÀNG TMCP ĐẦU TƯ VÀ PHÁT TRIỂN VIỆT NAM"],
                [],
                ["Ngày giao dịch", "Mã GD", "Phát sinh nợ", "Phát sinh có", "Nội dung", "Số dư"],
                [dt.datetime(2026, 11, 20, 10, 15), "FT26324001", None, 50000, "Nộp phí MC2611200001", 0],
                [dt.datetime(2026, 11, 20, 14, 0), "FT26324002", 120000, None, "Chuyển khoản đi", 930_000],
                ["21/11/2026", 26325003, None, 8000.0, f"NOP PHI HS {DOSSIER}", 938000],
                [dt.date(2026, 11, 22), "FT26326004", None, "abc", "MC2611200003", 938000],
                [dt.datetime(2026, 11, 22), "FT26326005", None, 50000.5, "MC2611200004", 938000],
                ["Tổng cộng", None, 120000, 58000, None, None],
            ],
        ),
    )

    rows = parse_statement(data, filename="SaoKe_BIDV.xlsx")

    assert rows == [
        StatementRow(4, NOV_20, 50000, "Nộp phí MC2611200001", "FT26324001"),
        StatementRow(6, NOV_21, 8000, f"NOP PHI HS {DOSSIER}", "26325003"),
        StatementRow(7, NOV_22, None, "MC2611200003", "FT26326004", "không đọc được số tiền “abc”"),
        StatementRow(8, NOV_22, None, "MC2611200004", "FT26326005", f"{FRACTION}: 50000.5"),
    ]


def test_xlsx_bilingual_headers_written_on_two_lines_in_one_cell():
    header = ["Ngày GD\nTrans. Date", "Số tham chiếu\nReference No.", "Ghi nợ\nDebit", "Ghi có\nCredit"]
    data = xlsx(
        (
            "Sheet1",
            [
                [*header, "Nội dung\nDescription"],
                [dt.datetime(2026, 11, 20), "FT1", None, 50000, "MC2611200001"],
            ],
        )
    )

    assert parse_statement(data, filename="s.xlsx") == [StatementRow(2, NOV_20, 50000, "MC2611200001", "FT1")]


def test_xlsx_is_recognised_by_its_content_whatever_the_name():
    data = xlsx(("Sheet1", [["Ngày", "Số tiền", "Nội dung"], ["20/11/2026", "50.000", "MC2611200001"]]))

    assert parse_statement(data, filename="download") == [StatementRow(2, NOV_20, 50000, "MC2611200001", "")]


def test_xlsx_without_a_statement_table_is_refused():
    with pytest.raises(StatementError, match="Không tìm thấy dòng tiêu đề"):
        parse_statement(xlsx(("Sheet1", [["Xin chào"]])), filename="s.xlsx")


# --- amounts and dates ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("50.000", 50000),
        ("50,000", 50000),
        ("50.000 VND", 50000),
        ("50.000 VNĐ", 50000),
        ("50.000đ", 50000),
        ("VND 50.000", 50000),
        ("+50 000", 50000),
        ("50\u00a0000", 50000),
        ("50000.00", 50000),
        ("50000", 50000),
        ("50.000,00", 50000),
        ("50,000.00", 50000),
        ("1.234.567", 1234567),
        ("-50.000", -50000),
        ("\u221250.000", -50000),
        ("(50.000)", -50000),
        ("50.000-", -50000),
        ("", None),
        ("   ", None),
        (None, None),
        (50000, 50000),
        (50000.0, 50000),
    ],
)
def test_amounts_as_banks_write_them(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("năm mươi nghìn", "không đọc được số tiền"),
        ("50.00.0", "không rõ dấu phân cách"),
        ("5.0000", "không rõ dấu phân cách"),
        ("1,234.56", "phần lẻ dưới một đồng"),
        ("50.000.", "không đọc được số tiền"),
        ("()", "không đọc được số tiền"),
        ("5d000", "không đọc được số tiền"),
        ("50000.5", "phần lẻ dưới một đồng"),
        (True, "không phải số tiền"),
    ],
)
def test_unreadable_amounts_raise_with_the_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_amount(text)


@pytest.mark.parametrize(
    "text",
    [
        "20/11/2026",
        "20-11-2026",
        "20.11.2026",
        "20/11/26",
        "2026-11-20",
        "2026/11/20",
        "20/11/2026 10:15:32",
        "2026-11-20T10:15:32",
        "20-Nov-2026",
        "20 November 2026",
        dt.datetime(2026, 11, 20, 23, 59),
        46346,
    ],
)
def test_dates_as_banks_write_them(text):
    assert parse_date(text) == NOV_20


@pytest.mark.parametrize("text", ["31/02/2026", "20/11/202", "120/11/2026", "hôm qua", "2026", 12.5])
def test_unreadable_dates_raise(text):
    with pytest.raises(ValueError, match="không đọc được ngày"):
        parse_date(text)


# --- references in memos --------------------------------------------------------------------------------
def test_a_reference_split_by_spaces_is_found():
    assert find_references("CT TU 0123 NOP PHI MC 2611 2000 01", ["MC2611200001"]) == ["MC2611200001"]


def test_a_dossier_code_without_its_dots_and_dashes_is_found():
    assert find_references("NOP PHI HS 0002044H54 2611200001", [DOSSIER]) == [DOSSIER]


def test_a_reference_in_lower_case_with_vietnamese_around_it_is_found():
    assert find_references("Nộp lệ phí hồ sơ mc2611200001 cho Đăng", ["MC2611200001"]) == ["MC2611200001"]


def test_several_references_come_back_in_memo_order():
    memo = "MBVCB.99.MC2611200002.MC2611200001.CT tu 0123"

    assert find_references(memo, ["MC2611200001", "MC2611200002", "MC2611200003"]) == [
        "MC2611200002",
        "MC2611200001",
    ]


def test_no_reference_gives_an_empty_list():
    assert find_references("Chuyen tien an trua", ["MC2611200001", DOSSIER]) == []


def test_a_reference_found_only_inside_a_longer_one_is_left_out():
    assert find_references("NOP MC26112000012", ["MC2611200001", "MC26112000012"]) == ["MC26112000012"]


def test_a_reference_too_short_to_match_reliably_is_refused():
    with pytest.raises(ValueError, match="too short"):
        find_references("MC 1", ["MC1"])


def test_memos_fold_to_upper_case_ascii_with_single_spaces():
    assert fold_memo("  Nộp   lệ phí\thồ sơ Đăng ký ") == "NOP LE PHI HO SO DANG KY"
