"""A document as format-free blocks: what both writers (DOCX and PDF) draw, and nothing they draw alone.

A `Doc` is a list of blocks: a `Para` (runs of text with bold, italic and a symbol font for ☒/☐, an
alignment, a size, an optional dotted leader to the right margin and an optional rule underneath), a
`Grid` (a table, borderless for layout or ruled for data, whose cells hold paragraphs and pictures) and
a `Picture` (a PNG, the receipt's QR code). Every text is cleaned (`words.clean_text`) when the run is
made, so the writers never see an XML-illegal character or a decomposed letter.

What the writers would otherwise each decide for themselves is decided here, once: where a name may
break across lines (`fit_lines`, measured with the fonts both writers use) and which blocks stay on one
page with the next (`Doc` applies `keep_with_previous`).
"""

import functools
from dataclasses import dataclass, field
from pathlib import Path

from .words import clean_text

# A4 with the Decree 30 margins: top 20, bottom 20, left 30, right 15 mm.
PAGE = (210.0, 297.0)
MARGINS = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
TEXT_WIDTH = PAGE[0] - MARGINS["left"] - MARGINS["right"]  # 165 mm
TEXT_WIDTH_LANDSCAPE = PAGE[1] - MARGINS["left"] - MARGINS["right"]  # 252 mm
CHECKED, UNCHECKED = "☒", "☐"
CELL_PADDING = 1.0  # mm, left and right inside a table cell unless a grid says otherwise
# Times New Roman's metric twin (fonts-liberation2): what WeasyPrint and LibreOffice draw with, and the
# same advance widths as Word's Times New Roman.
LIBERATION = Path("/usr/share/fonts/truetype/liberation2")
FIT_MARGIN = 0.98  # measured without kerning, a line is a little wider than drawn; keep 2 % in hand
# Bidirectional embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI).
_OPENERS, _CLOSE = "\u202a\u202b\u202d\u202e", "\u202c"
_ISOLATES, _CLOSE_ISOLATE = "\u2066\u2067\u2068", "\u2069"


def contain_bidi(text: str) -> str:
    """`text` with every bidi embedding, override or isolate it opens closed at its end.

    A value such as "\u202eabc" (right-to-left override) is kept as typed, but it must not reverse the
    label or the words printed after it on the same line.
    """
    open_embeddings = max(sum(text.count(c) for c in _OPENERS) - text.count(_CLOSE), 0)
    open_isolates = max(sum(text.count(c) for c in _ISOLATES) - text.count(_CLOSE_ISOLATE), 0)
    return text + _CLOSE_ISOLATE * open_isolates + _CLOSE * open_embeddings


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    symbol: bool = False  # drawn in a font that has ☒ and ☐ (Times New Roman has neither)

    def __post_init__(self):
        object.__setattr__(self, "text", contain_bidi(clean_text(self.text)))


@dataclass
class Para:
    runs: list[Run]
    align: str = "left"  # left, center, right, justify
    size: float = 13.0
    indent: bool = False  # first-line indent of 1 cm (body text)
    leader: bool = False  # dotted fill from the end of the text to the right edge
    rule: str = ""  # a rule under the text: "text" (its full length) or "short" (about 40 % of it)
    before: float = 0.0  # points
    after: float = 3.0  # points
    keep: bool = False  # keep with the next block, on the same page
    together: bool = False  # never split across two pages

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Picture:
    png: bytes
    width_mm: float
    alt: str = ""


Cell = list[Para | Picture]


@dataclass
class Grid:
    widths: list[float]  # mm, one per column
    rows: list[list[Cell]]
    ruled: bool = False  # a data table with borders; otherwise an invisible layout grid
    header_rows: int = 0  # repeated on every page
    padding: float = CELL_PADDING  # mm, left and right inside each cell
    keep: bool = False  # keep with the next block, on the same page
    together: bool = False  # never split across two pages
    # Never the first thing on a page: the block before it is kept whole and with it (a signature block
    # with the paragraph it signs).
    keep_with_previous: bool = False


@dataclass
class Doc:
    kind: str
    filename: str  # without extension
    title: str
    blocks: list[Para | Grid | Picture] = field(default_factory=list)
    landscape: bool = False

    def __post_init__(self):
        for before, block in zip(self.blocks, self.blocks[1:], strict=False):
            if isinstance(block, Grid) and block.keep_with_previous and not isinstance(before, Picture):
                before.keep = before.together = True

    @property
    def text_width(self) -> float:
        return TEXT_WIDTH_LANDSCAPE if self.landscape else TEXT_WIDTH

    def texts(self) -> list[str]:
        """Every paragraph's text in order (for tests and search)."""
        out: list[str] = []

        def walk(items):
            for item in items:
                if isinstance(item, Para):
                    out.append(item.text)
                elif isinstance(item, Grid):
                    for row in item.rows:
                        for cell in row:
                            walk(cell)

        walk(self.blocks)
        return out


def p(*parts, **options) -> Para:
    """A paragraph from strings (plain runs) and `Run`s."""
    return Para([part if isinstance(part, Run) else Run(part) for part in parts if part != ""], **options)


def b(text: str) -> Run:
    return Run(text, bold=True)


def i(text: str) -> Run:
    return Run(text, italic=True)


def box(checked: bool) -> Run:
    return Run(CHECKED if checked else UNCHECKED, symbol=True)


# --- measuring text ----------------------------------------------------------------------------------------


@functools.cache
def _metrics(bold: bool, italic: bool):
    """Advance widths of Liberation Serif; None when the font is absent."""
    style = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic"}.get(
        (bold, italic), "BoldItalic"
    )
    path = LIBERATION / f"LiberationSerif-{style}.ttf"
    if not path.exists():
        return None
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def line_width_mm(text: str, *, size: float, bold: bool = False, italic: bool = False) -> float:
    """The width of one line of `text` at `size` points, in mm (a rough 0.55 em a letter without the font)."""
    metrics = _metrics(bold, italic)
    if metrics is None:
        return len(text) * 0.55 * size * 25.4 / 72
    cmap, hmtx, units = metrics
    points = 0.0
    for ch in text:
        glyph = cmap.get(ord(ch))
        points += (hmtx[glyph][0] if glyph in hmtx else units / 2) / units * size
    return points * 25.4 / 72


def text_width_mm(para: Para) -> float:
    """The length of the paragraph's longest line, in mm (for the rules under the header)."""
    widest = 0.0
    line = 0.0
    for run in para.runs:
        for n, part in enumerate(run.text.split("\n")):
            if n:
                widest, line = max(widest, line), 0.0
            line += line_width_mm(part, size=para.size, bold=run.bold, italic=run.italic)
    return max(widest, line)


def fit_lines(
    text: str,
    width_mm: float,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    keep: tuple[str, ...] | list[str] = (),
) -> str:
    """`text` with a line break wherever the next word would not fit in `width_mm`, never inside one of
    the phrases in `keep` (a name, a date), which are placed like single words.

    The writers then get lines that fit and have nothing left to wrap, so a DOCX and its PDF break at the
    same places. A word or phrase wider than the line keeps a line of its own (and the writer wraps it).
    """
    phrases = sorted((phrase for phrase in keep if phrase), key=len, reverse=True)
    out: list[str] = []
    for given in text.split("\n"):
        lines: list[str] = []
        for group in _groups(given, phrases):
            if lines:
                longer = f"{lines[-1]} {group}"
                if fits(longer, width_mm, size=size, bold=bold, italic=italic):
                    lines[-1] = longer
                    continue
            lines.append(group)
        out.append("\n".join(lines))
    return "\n".join(out)


def fits(text: str, width_mm: float, *, size: float, bold: bool = False, italic: bool = False) -> bool:
    return line_width_mm(text, size=size, bold=bold, italic=italic) <= width_mm * FIT_MARGIN


def _groups(line: str, phrases: list[str]):
    """The words of `line`, a phrase of `phrases` counting as one word with what is glued to its end."""
    i, n = 0, len(line)
    while i < n:
        if line[i] == " ":
            i += 1
            continue
        end = next((i + len(phrase) for phrase in phrases if line.startswith(phrase, i)), i)
        space = line.find(" ", end)
        end = n if space < 0 else space
        yield line[i:end]
        i = end
