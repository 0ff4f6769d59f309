"""Reading a poster back the way a person's software does: poppler (pdfinfo, pdftotext, pdftoppm), zbar."""

import re
import subprocess
import tempfile
from pathlib import Path

from testkit import need

OUTPUT = Path(__file__).resolve().parents[3] / "test-output" / "outreach"


def run(*args: str, data: bytes | None = None) -> bytes:
    result = subprocess.run(args, input=data, capture_output=True, timeout=120, check=False)  # noqa: S603
    assert result.returncode == 0, f"{args[0]} failed ({result.returncode}): {result.stderr.decode()[-2000:]}"
    return result.stdout


def info(pdf: bytes) -> dict[str, str]:
    """`pdfinfo`: what a PDF reader says of the file (pages, page size, producer...)."""
    out = run(need("pdfinfo"), "-", data=pdf).decode()
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def page_size_mm(pdf: bytes) -> tuple[int, int]:
    match = re.match(r"([\d.]+) x ([\d.]+) pts", info(pdf)["Page size"])
    return round(float(match.group(1)) * 25.4 / 72), round(float(match.group(2)) * 25.4 / 72)


def text(pdf: bytes, *, page: int = 1) -> str:
    """The text of a page in the order it was drawn (-raw): a table's cells one after the other."""
    return run(
        need("pdftotext"), "-f", str(page), "-l", str(page), "-raw", "-enc", "UTF-8", "-", "-", data=pdf
    ).decode()


def page_png(pdf: bytes, *, page: int = 1, dpi: int = 150) -> bytes:
    return run(
        need("pdftoppm"),
        "-r",
        str(dpi),
        "-png",
        "-f",
        str(page),
        "-l",
        str(page),
        "-singlefile",
        "-",
        data=pdf,
    )


def qr_codes(png: bytes) -> list[str]:
    zbarimg = need("zbarimg")
    with tempfile.NamedTemporaryFile(suffix=".png") as handle:
        handle.write(png)
        handle.flush()
        out = run(zbarimg, "--quiet", "--raw", handle.name).decode()
    return [line for line in out.splitlines() if line]


def fonts(pdf: bytes) -> list[tuple[str, bool]]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = run(need("pdffonts"), handle.name).decode()
    return [(line.split()[0], line.split()[-5] == "yes") for line in out.splitlines()[2:]]


def save_png(pdf: bytes, name: str, *, dpi: int = 60) -> Path:
    """The first page as test-output/outreach/<name>.png, for a person to look at."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    target = OUTPUT / f"{name}.png"
    target.write_bytes(page_png(pdf, dpi=dpi))
    return target
