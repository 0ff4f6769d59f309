"""Bank statement import for reconciling VietQR transfers: CSV and XLSX exports from a bank's back office.

Source: there is no common format. Vietnamese banks each export their own layout — title rows above
the table, bilingual or two-row headers, one signed amount column or separate debit/credit columns,
dd/mm/yyyy dates, amounts grouped with dots ("50.000") — and transfer memos that banks rewrite (accents
dropped, dots and dashes stripped, spaces inserted, prefixes added). See issue 5 ("Reconciliation") and
shared/reference/domain.md §5.2 (NAPAS does not notify the payee: a transfer is known only from the bank).

Columns are found by their header names; every credit row comes back as a `StatementRow`, and a row that
cannot be read comes back with `error` saying why, so an officer can see it — nothing is dropped
silently. Debits, blank lines, repeated headers and total/balance lines are not transactions and are
left out. Messages are in Vietnamese because the officers doing the import read them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .vietqr import fold_ascii

__all__ = [
    "StatementError",
    "StatementRow",
    "find_references",
    "fold_memo",
    "parse_amount",
    "parse_date",
    "parse_statement",
]

HEADER_SEARCH_ROWS = 30
MAX_ROWS = 200_000
MIN_REFERENCE = 6  # shorter references would be found by accident inside account numbers and amounts


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split("|"))


# Header names, folded (lower-case ASCII, words separated by one space). A cell matches a role when the
# whole folded cell, or one of its parts separated by '/' or a line break (bilingual headers such as
# "Ngày giao dịch / Transaction date"), equals one of these names.
HEADERS: dict[str, tuple[str, ...]] = {
    "date": _names(
        "ngay giao dich | ngay gd | ngay | ngay hach toan | ngay thuc hien | ngay hieu luc"
        "| ngay gio giao dich | ngay gio | thoi gian giao dich | thoi gian | ngay ghi so | transaction date"
        "| trans date | txn date | date | posting date | value date | effective date | booking date"
        "| date time"
    ),
    "credit": _names(
        "so tien | ghi co | so tien ghi co | phat sinh co | so tien co | co | tien vao | so tien vao | credit"
        "| credit amount | amount | money in | deposit | deposits"
    ),
    "debit": _names(
        "ghi no | so tien ghi no | phat sinh no | so tien no | no | tien ra | so tien ra | debit"
        "| debit amount | money out | withdrawal | withdrawals"
    ),
    "memo": _names(
        "noi dung | noi dung giao dich | noi dung chi tiet | noi dung chuyen khoan | dien giai | mo ta"
        "| chi tiet | chi tiet giao dich | description | transaction description | transaction details"
        "| transactions in detail | details | remark | remarks | narrative | content"
    ),
    "bank_ref": _names(
        "so tham chieu | ma tham chieu | ma gd | ma giao dich | so gd | so giao dich | so but toan | so ct"
        "| so chung tu | reference | reference no | reference number | ref | ref no | transaction no"
        "| transaction id | trans no | txn id"
    ),
    # one column saying whether the amount is a debit or a credit ("Nợ/Có", "D/C")
    "direction": _names("no co | co no | d c | c d | dr cr | cr dr | debit credit | credit debit"),
}
_ROLE_OF = {name: role for role, names in HEADERS.items() for name in names}
_REQUIRED = ("date", "credit", "memo")
_DEBIT_MARKS = {"d", "dr", "no", "ghi no", "debit", "-"}
_CREDIT_MARKS = {"c", "cr", "co", "ghi co", "credit", "+"}
_SUMMARY_LABELS = set(
    _names(
        "tong | tong cong | tong so | tong so tien | tong phat sinh | tong cong phat sinh | cong"
        "| cong phat sinh | so du | so du dau ky | so du cuoi ky | so du dau | so du cuoi | total | totals"
        "| grand total | opening balance | closing balance | beginning balance | ending balance"
    )
)
_UNIT = re.compile(r"\b(vnd|dong)\b")
_AMOUNT_UNIT = re.compile(r"^(vnd|dong|d)(?![a-z])|(?<![a-z])(vnd|dong|d)$")  # before or after the number
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_DMY = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)")
_YMD = re.compile(r"(?<!\d)(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?!\d)")
_D_MON_Y = re.compile(r"(?<!\d)(\d{1,2})[\s/.-]([a-z]{3})[a-z]*[\s/.-](\d{4}|\d{2})(?!\d)")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class StatementError(ValueError):
    """The file as a whole cannot be read: unknown format or encoding, or no recognisable header row."""


@dataclass(frozen=True, slots=True)
class StatementRow:
    """One credit transaction of a statement, or a row that could not be read (`error` set).

    `line` is where the officer finds it: the line of a CSV file or the row number of a worksheet.
    `memo` is the bank's text as written (NFC, whitespace collapsed); match references with
    `find_references`, which folds it.
    """

    line: int
    date: dt.date | None
    amount_vnd: int | None
    memo: str
    bank_ref: str
    error: str | None = None


# --- text -----------------------------------------------------------------------------------------------
def _fold(text: str) -> str:
    """Lower-case ASCII, every run of other characters one space: 'Số tiền (VND)' -> 'so tien vnd'."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold_ascii(text).lower()).split())


def fold_memo(memo: str) -> str:
    """A memo as upper-case ASCII without diacritics, spaces collapsed: 'Nộp  phí' -> 'NOP PHI'."""
    return " ".join(fold_ascii(memo).upper().split())


def _compact(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "", fold_ascii(text).upper())


def find_references(memo: str, candidates: Iterable[str]) -> list[str]:
    """The candidate references written in `memo`, in the order they appear there.

    Both sides are compared without diacritics, case, spaces or punctuation, because banks strip dots
    and dashes, upper-case, and break long memos with spaces: "000.20.44.H54-261120-0001" is found in
    "NOP PHI 0002044 H54 261120 0001". A candidate found only inside a longer candidate's match is left
    out. References must have at least MIN_REFERENCE letters or digits.
    """
    haystack = _compact(memo)
    spans: list[tuple[int, int, str]] = []
    for candidate in dict.fromkeys(candidates):
        needle = _compact(candidate)
        if len(needle) < MIN_REFERENCE:
            raise ValueError(f"reference {candidate!r} is too short to be found reliably in a memo")
        start = haystack.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle), candidate))
            start = haystack.find(needle, start + 1)
    found: dict[str, int] = {}
    for start, end, candidate in spans:
        inside_longer = any(
            other != candidate and s <= start and end <= e and e - s > end - start for s, e, other in spans
        )
        if not inside_longer:
            found.setdefault(candidate, start)  # spans come in memo order for each candidate
    return sorted(found, key=found.__getitem__)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a reference number typed into a numeric cell
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


# --- values ---------------------------------------------------------------------------------------------
def parse_amount(value: Any) -> int | None:
    """A statement amount as signed whole VND; None when the cell is empty. ValueError when unreadable.

    Accepts "50.000", "50,000", "50 000", "+50.000 VND", "50000.00", "50.000,00", "1.234.567", "(50.000)"
    and "50.000-" (negative), and numbers from spreadsheet cells. Grouping must be in threes; a fraction
    of a dong is refused rather than rounded.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"không phải số tiền: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"số tiền có phần lẻ dưới một đồng: {value}")
        return int(value)
    raw = _text(value)
    text = fold_ascii(raw.replace("\u2212", "-")).lower()  # the Unicode minus sign survives folding
    text = _AMOUNT_UNIT.sub("", text.strip()).strip()  # "50.000 VND", "50.000đ", "VND 50.000"
    text = re.sub(r"\s+", "", text)
    if not text:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith(("+", "-")):
        negative, text = text[0] == "-", text[1:]
    elif text.endswith("-"):
        negative, text = True, text[:-1]
    if not re.fullmatch(r"\d[\d.,]*", text) or text.endswith((".", ",")):
        raise ValueError(f"không đọc được số tiền “{raw}”")
    amount = _whole_dong(text, raw)
    return -amount if negative else amount


def _grouped(text: str, separator: str) -> int | None:
    groups = text.split(separator)
    if 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) and all(g.isdigit() for g in groups):
        return int("".join(groups))
    return None


def _whole_dong(text: str, raw: str) -> int:
    separators = set(re.sub(r"\d", "", text))
    if not separators:
        return int(text)
    unclear = ValueError(f"không rõ dấu phân cách hàng nghìn trong số tiền “{raw}”")
    if len(separators) == 2:
        point = max(text.rfind("."), text.rfind(","))  # the last separator is the decimal point
        integer, fraction, group = text[:point], text[point + 1 :], ({".", ","} - {text[point]}).pop()
        amount = _grouped(integer, group)  # the other separator is necessarily somewhere in `integer`
        if amount is None or not fraction.isdigit():
            raise unclear
    else:
        separator = separators.pop()
        amount = _grouped(text, separator)
        if amount is not None and (text.count(separator) > 1 or len(text.rsplit(separator, 1)[1]) == 3):
            return amount
        integer, _, fraction = text.partition(separator)
        if text.count(separator) > 1 or len(fraction) > 3 or not integer.isdigit():
            raise unclear
        amount = int(integer)
    if fraction.strip("0"):
        raise ValueError(f"số tiền có phần lẻ dưới một đồng: “{raw}”")
    return amount


def parse_date(value: Any) -> dt.date | None:
    """A statement date: dd/mm/yyyy (also with '-' or '.', or a 2-digit year), yyyy-mm-dd, 20-Nov-2026,
    each with or without a time, or a spreadsheet date. None when empty; ValueError when unreadable."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 < value < 80_000:  # an Excel serial day number in a cell without a date format
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(f"không đọc được ngày “{value}”")
    raw = _text(value)
    if not raw:
        return None
    text = raw.lower()
    try:
        if match := _YMD.search(text):
            year, month, day = (int(g) for g in match.groups())
        elif match := _DMY.search(text):
            day, month, year = (int(g) for g in match.groups())
        elif (match := _D_MON_Y.search(text)) and match.group(2) in _MONTHS:
            day, month, year = int(match.group(1)), _MONTHS[match.group(2)], int(match.group(3))
        else:
            raise ValueError
        return dt.date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        raise ValueError(f"không đọc được ngày “{raw}”") from None


# --- headers --------------------------------------------------------------------------------------------
def _role(cell: Any) -> str | None:
    raw = "" if cell is None else unicodedata.normalize("NFC", str(cell))
    # A line break inside a header cell separates languages, like '/': "Ngày GD\nTrans. date".
    text = re.sub(r"\([^)]*\)", " ", raw.replace("\r", "").replace("\n", "/"))  # "(VND)", "(dd/mm/yyyy)"
    whole = _UNIT.sub("", _fold(text)).strip()
    for key in (whole, *(_UNIT.sub("", _fold(part)).strip() for part in text.split("/"))):
        key = " ".join(key.split())
        if key in _ROLE_OF:
            return _ROLE_OF[key]
    return None


def _roles(row: Sequence[Any]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for column, cell in enumerate(row):
        if (role := _role(cell)) is not None:
            roles.setdefault(role, column)
    return roles


def _find_header(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int]] | None:
    """(index of the first data row, column of each role), or None when no header row is found."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles = _roles(row)
        if "date" not in roles or "memo" not in roles:
            continue
        below = rows[index + 1] if index + 1 < len(rows) else ()
        if "credit" in _roles(below) and _is_header(below):
            # A two-row header, "Phát sinh" or "Số tiền" merged above "Nợ" | "Có": the lower row says
            # which column is which (the merged title sits over the debit column), or it repeats the
            # header in English.
            amounts = {k: v for k, v in _roles(below).items() if k in ("credit", "debit", "direction")}
            return index + 2, {**roles, **amounts}
        if "credit" in roles:
            return index + 1, roles
    return None


# --- rows -----------------------------------------------------------------------------------------------
def _is_summary(row: Sequence[Any]) -> bool:
    """A totals or balance line: its first filled cell is exactly such a label (never a memo like
    "CONG TY ..." — a row is only left out on an exact label)."""
    first = next((_text(value) for value in row if _text(value)), "")
    return any(_fold(part) in _SUMMARY_LABELS for part in (first, *first.split("/")))


def _is_header(row: Sequence[Any]) -> bool:
    """The header again: on a new page, in English under the Vietnamese one, or the 'Nợ | Có' sub-row."""
    filled = [value for value in row if _text(value)]
    named = [value for value in filled if _role(value)]
    return len(_roles(row)) >= 3 or (len(filled) >= 2 and len(named) == len(filled))


def _read_row(line: int, row: Sequence[Any], header: dict[str, int]) -> StatementRow | None:
    def cell(role: str) -> Any:
        column = header.get(role)
        return row[column] if column is not None and column < len(row) else None

    if not any(_text(value) for value in row) or _is_header(row):
        return None
    memo, bank_ref = _text(cell("memo")), _text(cell("bank_ref"))
    errors: list[str] = []
    try:
        date = parse_date(cell("date"))
    except ValueError as exc:
        date, errors = None, [str(exc)]
    if date is None and _is_summary(row):
        return None
    if date is None and not errors:
        errors.append("thiếu ngày giao dịch")

    direction = " ".join(fold_ascii(_text(cell("direction"))).lower().split())
    if direction in _DEBIT_MARKS:
        return None
    if direction and direction not in _CREDIT_MARKS:
        errors.append(f"không hiểu cột Nợ/Có “{_text(cell('direction'))}”")
    credit = debit = None
    try:
        credit = parse_amount(cell("credit"))
        debit = parse_amount(cell("debit"))
    except ValueError as exc:
        errors.append(str(exc))
    else:
        if credit is not None and credit < 0:
            return None  # a signed amount column: money going out
        if not credit and debit:
            return None  # the debit column is filled, the credit column empty or zero
        if credit and debit:
            errors.append("dòng có cả số tiền ghi nợ và ghi có")
        elif not credit:
            errors.append("thiếu số tiền" if credit is None else "số tiền bằng 0")
    amount = credit if credit is not None and credit > 0 else None
    return StatementRow(line, date, amount, memo, bank_ref, "; ".join(errors) if errors else None)


def _read_rows(numbered: Sequence[tuple[int, Sequence[Any]]], header: dict[str, int]) -> list[StatementRow]:
    rows = (_read_row(line, row, header) for line, row in numbered)
    return [row for row in rows if row is not None]


def _table(numbered_rows: list[tuple[int, Sequence[Any]]]) -> list[StatementRow] | None:
    found = _find_header([row for _, row in numbered_rows])
    if found is None:
        return None
    start, header = found
    return _read_rows(numbered_rows[start:], header)


def _no_header() -> StatementError:
    return StatementError(
        f"Không tìm thấy dòng tiêu đề có cột ngày, số tiền và nội dung trong {HEADER_SEARCH_ROWS} dòng đầu "
        "của sao kê."
    )


# --- CSV ------------------------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)  # Excel's "Unicode text" export
    else:
        # Vietnamese Windows saves CSV in cp1258, which writes tone marks as combining characters.
        encodings = ("utf-8", "cp1258", "cp1252")
    for encoding in encodings:
        try:
            return unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise StatementError("Không đọc được bảng mã của tệp CSV; hãy lưu lại dạng CSV UTF-8.")


def _csv_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1  # a quoted memo may span several lines
            if len(rows) > MAX_ROWS:
                raise StatementError(f"Sao kê có hơn {MAX_ROWS} dòng; hãy tách thành nhiều tệp.")
    except csv.Error as exc:
        raise StatementError(f"Tệp CSV bị lỗi ở dòng {reader.line_num}: {exc}") from None
    return rows


def _parse_csv(data: bytes) -> list[StatementRow]:
    text = _decode(data)
    # The delimiter whose split yields a header row wins: semicolon files often have "50,000" amounts,
    # so guessing from character counts would be wrong.
    for delimiter in (";", ",", "\t"):
        rows = _csv_rows(text, delimiter)
        table = _table(rows)
        if table is not None:
            return table
    raise _no_header()


# --- XLSX -----------------------------------------------------------------------------------------------
def _sheet_rows(sheet: Any) -> list[tuple[int, Sequence[Any]]]:
    sheet.reset_dimensions()  # some bank software writes a wrong used range; read every row
    rows: list[tuple[int, Sequence[Any]]] = []
    for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        if number > MAX_ROWS:
            raise StatementError(f"Sao kê có hơn {MAX_ROWS} dòng; hãy tách thành nhiều tệp.")
        rows.append((number, row))
    return rows


def _parse_xlsx(data: bytes) -> list[StatementRow]:
    from openpyxl import load_workbook  # only the statement import pays for openpyxl

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged upload fails in many ways (zip, XML, missing parts)
        raise StatementError(f"Không mở được tệp XLSX: {exc}") from None
    try:
        for sheet in book.worksheets:
            try:
                rows = _sheet_rows(sheet)
            except StatementError:
                raise
            except Exception as exc:
                raise StatementError(f"Không đọc được trang “{sheet.title}” của tệp XLSX: {exc}") from None
            table = _table(rows)
            if table is not None:
                return table  # the first sheet with a statement table; cover sheets are skipped
    finally:
        book.close()
    raise _no_header()


def parse_statement(data: bytes, *, filename: str) -> list[StatementRow]:
    """The credit rows of a bank statement exported as CSV or XLSX, in file order.

    The format comes from the content (an XLSX file is a ZIP archive) and then the file name. Raises
    StatementError when the file as a whole cannot be read; a single unreadable row comes back with
    `error` set instead.
    """
    name = filename.lower()
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        return _parse_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise StatementError("Tệp Excel 97-2003 (.xls) chưa được hỗ trợ; hãy lưu lại dạng .xlsx hoặc .csv.")
    return _parse_csv(data)
