"""GET /api/v1/stats: the public indicators as JSON, the same report as /thong-ke/ (null: suppressed)."""

from django.utils.translation import gettext as _
from ninja import Router

from motcua.dossiers.lifecycle import Invalid

from . import report
from .indicators import INDICATORS, NOW, SUPPRESS_BELOW, citation

router = Router(tags=["stats"])


def _values(cells: dict) -> dict:
    return {key: cell.value for key, cell in cells.items()}


@router.get("")
def stats(request):
    try:
        query = report.parse(request.GET, names=report.API_NAMES)
    except report.BadQuery as error:
        raise Invalid(error.errors) from None
    rep = report.public(query)
    return {
        "agency": {"id": query.agency.agency_id, "name": query.agency.name},
        "procedure": query.procedure_code or None,
        "from": f"{query.start:%Y-%m}",
        "to": f"{query.end:%Y-%m}",
        "period": query.by,
        "suppressed_below": SUPPRESS_BELOW,
        "note": _(
            "null: ít hơn %(n)s hồ sơ, hoặc ẩn để không suy ra được số nhỏ hơn %(n)s từ tổng; không có "
            "dữ liệu cá nhân."
        )
        % {"n": SUPPRESS_BELOW},
        "indicators": [
            {
                "key": i.key,
                "label": str(i.label),
                "kind": i.kind,
                "formula": str(i.formula),
                "source": citation(i),
            }
            for i in (*INDICATORS, *NOW)
        ],
        "periods": [{"period": row.label, "values": _values(row.cells)} for row in rep.rows],
        "total": _values(rep.total.cells),
        "now": _values(rep.now),
    }
