"""`layout.Doc` -> PDF bytes with WeasyPrint, from the Django template documents/pdf/document.html.

The page (A4, Decree 30 margins, page numbers from page two) and the typography live in
static/documents/print.css. Column widths differ per table, so they go into a small second
stylesheet made for each document; the HTML itself carries no style. Django's autoescaping is the
only way text reaches the HTML, so a value cannot become markup.
"""

import base64
import functools
import logging
from pathlib import Path

from django.template.loader import render_to_string

from .layout import Doc, Grid, Para, Picture

STYLESHEET = Path(__file__).resolve().parent / "static" / "documents" / "print.css"
# WeasyPrint logs seven INFO lines per document ("Step 1 - Fetching and parsing HTML"...).
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@functools.cache
def _fetcher():
    """Only data: URLs (the QR code): a document never reaches the network or the file system, and one
    fetcher per process spares WeasyPrint building an SSL context for every document."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


@functools.cache
def _base_css():
    from weasyprint import CSS

    return CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=_fetcher())


class _Context:
    """Turns blocks into plain dicts for the template and collects the rules they need."""

    def __init__(self):
        self.css: list[str] = []
        self.spacings: set[int] = set()
        self.count = 0

    def para(self, para: Para) -> dict:
        before, after = round(para.before), round(para.after)
        self.spacings |= {before, after}
        classes = ["p", f"al-{para.align}", f"s{round(para.size)}", f"mt{before}", f"mb{after}"]
        classes += [
            name
            for name, on in (
                ("indent", para.indent),
                ("leader", para.leader),
                ("keep", para.keep),
                ("together", para.together),
            )
            if on
        ]
        return {"is_para": True, "classes": " ".join(classes), "runs": para.runs, "rule": para.rule}

    def item(self, item) -> dict:
        if isinstance(item, Picture):
            self.count += 1
            pid = f"pic{self.count}"
            self.css.append(f"#{pid} {{ width: {item.width_mm:.1f}mm; height: {item.width_mm:.1f}mm }}")
            return {
                "is_picture": True,
                "id": pid,
                "src": "data:image/png;base64," + base64.b64encode(item.png).decode("ascii"),
                "alt": item.alt,
            }
        return self.para(item)

    def grid(self, grid: Grid) -> dict:
        self.count += 1
        gid = f"grid{self.count}"
        self.css.append(f"#{gid} {{ width: {sum(grid.widths):.1f}mm }}")
        self.css += [
            f"#{gid} col:nth-child({c}) {{ width: {mm:.1f}mm }}" for c, mm in enumerate(grid.widths, 1)
        ]
        self.css.append(
            f"#{gid} > * > tr > * {{ padding-left: {grid.padding}mm; padding-right: {grid.padding}mm }}"
        )
        rows = [[[self.item(i) for i in cell] for cell in row] for row in grid.rows]
        return {
            "is_grid": True,
            "id": gid,
            "classes": " ".join(
                name
                for name, on in (
                    ("grid", True),
                    ("ruled", grid.ruled),
                    ("keep", grid.keep),
                    ("together", grid.together),
                    ("after-previous", grid.keep_with_previous),
                )
                if on
            ),
            "cols": range(len(grid.widths)),
            "head": rows[: grid.header_rows],
            "rows": rows[grid.header_rows :],
        }

    def stylesheet(self) -> str:
        spacing = [
            f".mt{n} {{ margin-top: {n}pt }} .mb{n} {{ margin-bottom: {n}pt }}" for n in sorted(self.spacings)
        ]
        return "\n".join(self.css + spacing)


def context(doc: Doc) -> tuple[dict, str]:
    """The template's context and the per-document stylesheet (column widths, spacing)."""
    ctx = _Context()
    blocks = [ctx.grid(block) if isinstance(block, Grid) else ctx.item(block) for block in doc.blocks]
    return {"doc": doc, "blocks": blocks}, ctx.stylesheet()


def html(doc: Doc) -> tuple[str, str]:
    ctx, css = context(doc)
    return render_to_string("documents/pdf/document.html", ctx), css


def write(doc: Doc) -> bytes:
    from weasyprint import CSS, HTML

    markup, css = html(doc)
    fetcher = _fetcher()
    return HTML(string=markup, url_fetcher=fetcher).write_pdf(
        stylesheets=[_base_css(), CSS(string=css, url_fetcher=fetcher)]
    )
