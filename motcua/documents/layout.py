"""A document as format-free blocks: what both writers (DOCX and PDF) draw, and nothing they draw alone.

A `Doc` is a list of blocks: a `Para` (runs of text with bold, italic and a symbol font for ☒/☐, an
alignment, a size, an optional dotted leader to the right margin and an optional rule underneath), a
`Grid` (a table, borderless for layout or ruled for data, whose cells hold paragraphs and pictures) and
a `Picture` (a PNG, the receipt's QR code). Every text is cleaned (`words.clean_text`) when the run is
made, so the writers never see an XML-illegal character or a decomposed letter.
"""

from dataclasses import dataclass, field

from .words import clean_text

# A4 with the Decree 30 margins: top 20, bottom 20, left 30, right 15 mm.
PAGE = (210.0, 297.0)
MARGINS = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
TEXT_WIDTH = PAGE[0] - MARGINS["left"] - MARGINS["right"]  # 165 mm
TEXT_WIDTH_LANDSCAPE = PAGE[1] - MARGINS["left"] - MARGINS["right"]  # 252 mm
CHECKED, UNCHECKED = "☒", "☐"
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
    keep: bool = False  # keep with the next paragraph

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
    padding: float = 1.0  # mm, left and right inside each cell


@dataclass
class Doc:
    kind: str
    filename: str  # without extension
    title: str
    blocks: list[Para | Grid | Picture] = field(default_factory=list)
    landscape: bool = False

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
