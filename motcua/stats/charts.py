"""Bar and line charts drawn on the server as inline SVG: no JavaScript, no inline style (CSP), a title and a
description for screen readers, and the page puts the same figures in a table beside each chart.

A suppressed figure (None) draws nothing: no bar, a gap in the line, and "<3" or "x" where its label goes.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 360, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 6, 10, 44
INK, GRID = "#1f2937", "#9ca3af"
COLOURS = ("#1d4ed8", "#b45309")  # blue and amber: 3:1 against white and against each other's shape


def _frame(title: str, description: str, uid: str, body: list[str]) -> str:
    head = format_html(
        '<svg viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{}-t {}-d" class="chart">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
        WIDTH,
        HEIGHT,
        uid,
        uid,
        uid,
        title,
        uid,
        description,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text above is escaped


def _axis(top_value: float, unit: str) -> list[str]:
    parts = []
    inner = HEIGHT - TOP - BOTTOM
    for step in range(5):
        value = top_value * step / 4
        y = TOP + inner - inner * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.0f}" y2="{y:.0f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.0f}" text-anchor="end" font-size="12" fill="{INK}">'
            f"{value:.0f}{escape(unit)}</text>"
        )
    return parts


def _nice(top: float) -> float:
    for nice in (4, 8, 10, 20, 40, 80, 100, 200, 400, 800, 1000, 2000, 4000, 8000, 10000):
        if top <= nice:
            return nice
    return float(top)


def _label_x(i: int, n: int) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * (i + 0.5) / max(n, 1)


def _month_labels(labels: list[str]) -> list[str]:
    step = 1 if len(labels) <= 6 else 2 if len(labels) <= 12 else 3
    n = len(labels)
    return [
        f'<text x="{_label_x(i, n):.0f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="12" '
        f'fill="{INK}">{escape(label[2:] if len(label) > 5 else label)}</text>'
        for i, label in enumerate(labels)
        if i % step == 0
    ]


def bars(*, title: str, description: str, uid: str, labels: list[str], values: list, marks: list[str]) -> str:
    """One bar per period; `values[i]` None is suppressed and drawn as its mark."""
    shown = [v for v in values if v is not None]
    top = _nice(max(shown, default=0) or 4)
    inner = HEIGHT - TOP - BOTTOM
    n = len(labels)
    slot = (WIDTH - LEFT - RIGHT) / max(n, 1)
    body = _axis(top, "")
    for i, (value, mark) in enumerate(zip(values, marks, strict=True)):
        x = _label_x(i, n)
        if value is None:
            if mark:
                body.append(
                    f'<text x="{x:.0f}" y="{TOP + inner - 4}" text-anchor="middle" font-size="12" '
                    f'fill="{INK}">{escape(mark)}</text>'
                )
            continue
        h = inner * value / top
        body.append(
            f'<rect x="{x - slot * 0.35:.1f}" y="{TOP + inner - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{COLOURS[0]}"/>'
        )
    body += _month_labels(labels)
    return _frame(title, description, uid, body)


def lines(
    *, title: str, description: str, uid: str, labels: list[str], series: list[tuple[str, list]]
) -> str:
    """Percentages (0-100) per period, one line per series, a gap where a value is suppressed; a legend."""
    inner = HEIGHT - TOP - BOTTOM
    n = len(labels)
    body = _axis(100, "%")
    for k, (name, values) in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        dash = "" if k == 0 else ' stroke-dasharray="6 4"'
        run: list[str] = []
        runs: list[list[str]] = []
        for i, value in enumerate(values):
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            point = f"{_label_x(i, n):.0f},{TOP + inner - inner * value / 100:.1f}"
            run.append(point)
            body.append(
                f'<circle cx="{point.split(",")[0]}" cy="{point.split(",")[1]}" r="3" fill="{colour}"/>'
            )
        if run:
            runs.append(run)
        body += [
            f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
            for r in runs
            if len(r) > 1
        ]
        lx = 8 + k * 170
        body.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{HEIGHT - 8}" y2="{HEIGHT - 8}" stroke="{colour}" '
            f'stroke-width="2"{dash}/><text x="{lx + 30}" y="{HEIGHT - 4}" font-size="12" fill="{INK}">'
            f"{escape(name)}</text>"
        )
    body += _month_labels(labels)
    return _frame(title, description, uid, body)
