"""Reading documents back the way a person's software would: python-docx, LibreOffice, poppler, zbar."""

import atexit
import io
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import uuid
from pathlib import Path

from testkit import need

__all__ = ["need"]

ROOT = Path(__file__).resolve().parents[3]
OUTPUT = ROOT / "test-output" / "documents"


def run(*args: str, data: bytes | None = None, timeout: int = 120) -> bytes:
    result = subprocess.run(args, input=data, capture_output=True, timeout=timeout, check=False)  # noqa: S603
    assert result.returncode == 0, f"{args[0]} failed ({result.returncode}): {result.stderr.decode()[-2000:]}"
    return result.stdout


def docx_lines(content: bytes) -> list[str]:
    """Every paragraph of a DOCX in reading order, table cells included, as python-docx sees them."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(content))
    lines: list[str] = []

    def walk(container):
        for item in container.iter_inner_content():
            if isinstance(item, Paragraph):
                lines.append(item.text)
            elif isinstance(item, Table):
                for row in item.rows:
                    for cell in row.cells:
                        walk(cell)

    walk(document)
    return lines


def docx_text(content: bytes) -> str:
    return "\n".join(docx_lines(content))


def visible(text: str) -> str:
    """Text as a PDF shows it: no whitespace, no invisible format characters (bidi marks) and no
    variation selectors (an emoji's U+FE0F has no glyph of its own)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(
        ch
        for ch in text
        if not ch.isspace() and unicodedata.category(ch) != "Cf" and not "\ufe00" <= ch <= "\ufe0f"
    )


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, as drawn (-raw keeps a table cell's lines together), page numbers included."""
    need("pdftotext")
    return run("pdftotext", "-raw", "-enc", "UTF-8", "-", "-", data=pdf).decode("utf-8").split("\f")


def pdf_layout_pages(pdf: bytes) -> list[str]:
    """The text of each page as laid out (-layout: one text line a printed line, columns side by side)."""
    need("pdftotext")
    pages = run("pdftotext", "-layout", "-enc", "UTF-8", "-", "-", data=pdf).decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(pdf: bytes) -> str:
    """The text of the whole document without the page numbers, so a value may run across pages."""
    pages = []
    for number, page in enumerate(pdf_pages(pdf), start=1):
        lines = page.splitlines()
        pages.append("\n".join(line for line in lines if number == 1 or line.strip() != str(number)))
    return "\n".join(pages)


def pdf_fonts(pdf: bytes) -> list[dict]:
    """`pdffonts`: one dict per font with its name and whether it is embedded."""
    need("pdffonts")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = run("pdffonts", handle.name).decode()
    fonts = []
    for line in out.splitlines()[2:]:
        columns = line.split()
        # name, type (one or two words), encoding, emb, sub, uni, object, id
        fonts.append({"name": columns[0], "embedded": columns[-5] == "yes"})
    return fonts


def pdf_page_size_pt(pdf: bytes) -> tuple[float, float]:
    need("pdfinfo")
    out = run("pdfinfo", "-", data=pdf).decode()
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out)
    assert match, out
    return float(match.group(1)), float(match.group(2))


# LibreOffice's profile, one per test process: never shared with another process (a second soffice on a
# profile in use hands its work to the first), and made once, since a fresh profile costs ~0.2 s a start.
LIBREOFFICE_PROFILE = Path(tempfile.gettempdir()) / f"motcua-lo-profile-{os.getpid()}-{uuid.uuid4().hex}"
atexit.register(shutil.rmtree, LIBREOFFICE_PROFILE, ignore_errors=True)


def libreoffice_pdf(docx: bytes, *, suffix: str = "docx") -> bytes:
    """Convert a DOCX (or an XLSX, `suffix`) to PDF with LibreOffice headless, in this process's profile."""
    return libreoffice_pdfs([docx], suffix=suffix)[0]


def libreoffice_pdfs(documents: list[bytes], *, suffix: str = "docx") -> list[bytes]:
    """Convert several documents to PDF in one LibreOffice run: it takes ~0.9 s to start, ~0.2 s a file."""
    soffice = need("soffice")
    work = Path(tempfile.mkdtemp(prefix="motcua-lo-"))
    try:
        sources = []
        for n, content in enumerate(documents):
            sources.append(work / f"document-{n}.{suffix}")
            sources[-1].write_bytes(content)
        run(
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation=file://{LIBREOFFICE_PROFILE}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            *map(str, sources),
            timeout=60 + 30 * len(sources),
        )
        results = [source.with_suffix(".pdf") for source in sources]
        missing = [result.name for result in results if not result.exists()]
        assert not missing, f"LibreOffice produced no PDF for {missing}"
        return [result.read_bytes() for result in results]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def save_png(pdf: bytes, name: str, *, page: int = 1) -> Path:
    """Page `page` of `pdf` as test-output/documents/<name>.png, for a person to look at."""
    need("pdftoppm")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    target = OUTPUT / name
    run(
        "pdftoppm",
        "-r",
        "80",
        "-png",
        "-f",
        str(page),
        "-l",
        str(page),
        "-singlefile",
        "-",
        str(target),
        data=pdf,
    )
    return target.with_suffix(".png")


def decode_qr(png: bytes) -> list[str]:
    zbarimg = need("zbarimg")
    with tempfile.NamedTemporaryFile(suffix=".png") as handle:
        handle.write(png)
        handle.flush()
        out = run(zbarimg, "--quiet", "--raw", handle.name).decode()
    return [line for line in out.splitlines() if line]


def page_png(pdf: bytes, *, page: int = 1, dpi: int = 200) -> bytes:
    need("pdftoppm")
    return run(
        "pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile", "-", data=pdf
    )
