"""One report, four forms: the page, the CSV, the XLSX and the API read the same `Report`, built from the
same checked query, so that they show the same figures with the same cells suppressed."""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.agencies.services import default_agency
from motcua.catalog.models import Procedure

from . import services
from .indicators import INDICATORS, NOW, SUPPRESS_BELOW
from .services import Cell

MAX_MONTHS = 36  # a bounded range: three years at most in one answer
MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
PERIODS = ("month", "quarter")


class BadQuery(ValueError):
    """Query parameters that do not make a report: {parameter: message in Vietnamese}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Query:
    agency: Agency
    start: dt.date  # first day of the first month
    end: dt.date  # first day of the last month
    procedure_code: str = ""
    by: str = "month"


def _month(text: str, name: str, errors: dict) -> dt.date | None:
    match = MONTH.match(text.strip())
    if match is None:
        errors[name] = _("Tháng phải viết dạng NNNN-TT, ví dụ 2026-03.")
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        errors[name] = _("Không có tháng này.")
        return None
    if match.group(3):
        try:
            dt.date(year, month, int(match.group(3)))
        except ValueError:
            errors[name] = _("Không có ngày này.")
            return None
    return dt.date(year, month, 1)


def parse(params, *, names: dict[str, str]) -> Query:
    """Check the query: `names` maps from, to, agency, procedure, period to the parameters' names here."""
    errors: dict[str, str] = {}
    this_month = timezone.localdate().replace(day=1)
    raw = {key: (params.get(name) or "").strip() for key, name in names.items()}
    end = _month(raw["to"], names["to"], errors) if raw["to"] else this_month
    if raw["from"]:
        start = _month(raw["from"], names["from"], errors)
    else:
        base = end or this_month
        start = dt.date(base.year - (1 if base.month < 12 else 0), base.month % 12 + 1, 1)
    if start and end:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months < 1:
            errors[names["to"]] = _("Tháng cuối phải sau hoặc trùng tháng đầu.")
        elif months > MAX_MONTHS:
            errors[names["to"]] = _("Mỗi lần xem không quá %(n)s tháng.") % {"n": MAX_MONTHS}
    agency = None
    if raw["agency"]:
        agency = Agency.objects.filter(agency_id=raw["agency"], is_active=True).first()
        if agency is None:
            errors[names["agency"]] = _("Không có cơ quan có mã này.")
    else:
        agency = default_agency()
        if agency is None:
            errors[names["agency"]] = _("Chưa có cơ quan nào.")
    code = raw["procedure"]
    if code and not Procedure.objects.filter(code=code).exists():
        errors[names["procedure"]] = _("Không có thủ tục có mã này.")
    by = raw["period"] or "month"
    if by not in PERIODS:
        errors[names["period"]] = _("Kỳ phải là month (tháng) hoặc quarter (quý).")
    if errors:
        raise BadQuery(errors)
    return Query(agency=agency, start=start, end=end, procedure_code=code, by=by)


API_NAMES = {"from": "from", "to": "to", "agency": "agency", "procedure": "procedure", "period": "period"}
PAGE_NAMES = {"from": "tu", "to": "den", "agency": "co-quan", "procedure": "thu-tuc", "period": "ky"}


@dataclass
class Row:
    label: str
    cells: dict[str, Cell]


@dataclass
class Report:
    query: Query
    rows: list[Row]  # one per month or quarter
    total: Row  # the whole range
    now: dict[str, Cell]  # still open, overdue: states now

    @property
    def indicators(self):
        return INDICATORS

    @property
    def now_indicators(self):
        return NOW


def now_cell(n: int, suppress: bool = True) -> Cell:
    return Cell(None, "<3") if suppress and 0 < n < SUPPRESS_BELOW else Cell(n)


def public(query: Query) -> Report:
    """The suppressed report of `query` as everyone reads it: built at most every STATS_PUBLIC_LAG seconds
    per worker (the figures of /thong-ke/, its exports and the API may lag that long, never more)."""
    lag = getattr(settings, "STATS_PUBLIC_LAG", 60)
    if lag <= 0:
        return build(query)
    key = ":".join(
        ["stats", get_language() or "", str(query.agency.pk), f"{query.start}", f"{query.end}"]
        + [query.procedure_code, query.by]
    )
    return cache.get_or_set(key, lambda: build(query), lag)


def build(query: Query, *, suppress: bool = True) -> Report:
    """The report of `query`; `suppress` False only for the officers of the agency itself."""
    periods = services.figures(
        agency_ids=[query.agency.pk],
        start=query.start,
        end=query.end,
        procedure_code=query.procedure_code,
        by=query.by,
    )
    whole = services.total(periods)
    states = services.now_states([query.agency.pk], procedure_code=query.procedure_code)[query.agency.pk]
    return Report(
        query=query,
        rows=[Row(p.label, services.present(p.values, suppress=suppress)) for p in periods],
        total=Row(_("Cả kỳ"), services.present(whole.values, suppress=suppress)),
        now={key: now_cell(n, suppress) for key, n in states.items()},
    )
