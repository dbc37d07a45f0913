"""Small PDFs built in the tests: one Helvetica font, one content stream per page."""

from __future__ import annotations

import zlib

from pdfminer.fontmetrics import FONT_METRICS


def build_pdf(
    contents: list[bytes], *, compress: bool = False, stream_filter_data: bytes | None = None
) -> bytes:
    """A minimal PDF with one Helvetica font and one content stream per page.

    `stream_filter_data` replaces every page's stream by these FlateDecode bytes (a bomb).
    """
    count = len(contents)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (4 + 2 * index) for index in range(count))
        + b"] /Count %d >>" % count,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for index, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * index)
        )
        if stream_filter_data is not None:
            data, extra = stream_filter_data, b" /Filter /FlateDecode"
        elif compress:
            data, extra = zlib.compress(content), b" /Filter /FlateDecode"
        else:
            data, extra = content, b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_op(x: float, y: float, size: float, text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"BT /F1 %g Tf %g %g Td (%s) Tj ET\n" % (size, x, y, escaped.encode("cp1252"))


def text_width(text: str, size: float) -> float:
    """The width of `text` set in Helvetica at `size`, from the metrics pdfminer measures it by."""
    widths = FONT_METRICS["Helvetica"][1]
    return sum(widths.get(char, 556) for char in text) * size / 1000


def wrap(text: str, width: float, size: float) -> list[str]:
    """`text` broken into lines of at most `width` points in Helvetica at `size`, greedily."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def column_ops(
    x: float, y: float, width: float, paragraphs: list[str], *, size: float = 10, leading: float = 13
) -> tuple[bytes, float]:
    """Paragraphs wrapped in a column `width` wide from (x, y) down, a blank line between them;
    returns the content operators and the baseline below the column's last line."""
    ops = bytearray()
    for paragraph in paragraphs:
        for line in wrap(paragraph, width, size):
            ops += text_op(x, y, size, line)
            y -= leading
        y -= leading
    return bytes(ops), y


def text_pdf(text: str, *, compress: bool = False, lines_per_page: int = 50) -> bytes:
    """Plain text as a PDF in 10 pt Helvetica, a line of text per line of the page (blank ones kept),
    a new page at a form feed or after `lines_per_page` lines."""
    pages: list[list[str]] = []
    for chunk in text.split("\f"):
        lines = chunk.split("\n")
        pages.extend(lines[start : start + lines_per_page] for start in range(0, len(lines), lines_per_page))
    contents = [
        b"".join(
            text_op(72, 780 - 14 * row, 10, line.strip()) for row, line in enumerate(lines) if line.strip()
        )
        for lines in pages
    ]
    return build_pdf(contents, compress=compress)


def scanned(pdf: bytes, *, dpi: int = 200, noise: float = 0.0) -> bytes:
    """The PDF as a scanner would return it: each page an image at `dpi`, no text layer.

    `noise` (0-1) is the share of pixels flipped to a random grey, for a bad scan.
    """
    import io
    import random

    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    images = []
    for page in document:
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        if noise:
            speckled = random.Random(13)
            pixels = image.load()
            for _ in range(int(noise * image.width * image.height)):
                x, y = speckled.randrange(image.width), speckled.randrange(image.height)
                pixels[x, y] = speckled.randrange(256)
        images.append(image)
        page.close()
    document.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def blank_scan() -> bytes:
    """A scanned empty sheet: one white A4 page image at 200 dpi."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (1654, 2339), 255).save(out, "PDF", resolution=200)
    return out.getvalue()


def styled_pdf(lines: list[tuple[bool, str]]) -> bytes:
    """One A4 page of 10 pt Times, a line per (italic, text) and a blank row for an empty text:
    a reply that sets the committee's questions apart by their italics alone."""
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(595, 842))
    for row, (italic, text) in enumerate(lines):
        if text:
            page.setFont("Times-Italic" if italic else "Times-Roman", 10)
            page.drawString(72, 780 - 13 * row, text)
    page.save()
    return out.getvalue()


def typeset_pdf(
    paragraphs: list[tuple[str, str]], *, indent: float = 28, spacing: float = 13, lines_per_page: int = 52
) -> bytes:
    """A4 pages of 10 pt Times, each (style, text) paragraph wrapped to a 451 pt measure from x = 72
    and followed by `spacing` points of space. The style sets a paragraph apart: "italic" in
    Times-Italic, "indent" wrapped `indent` points in on every line, "italic indent" both, "" plain.
    A page holds `lines_per_page` lines; a paragraph runs on over the page break."""
    import io

    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(595, 842))
    top, leading, y = 780.0, 13.0, 780.0
    for style, text in paragraphs:
        font = "Times-Italic" if "italic" in style else "Times-Roman"
        x = 72 + (indent if "indent" in style else 0)
        lines: list[str] = []
        for word in text.split():
            if lines and stringWidth(f"{lines[-1]} {word}", font, 10) <= 523 - x:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        for line in lines:
            if y < top - leading * lines_per_page:
                page.showPage()
                y = top
            page.setFont(font, 10)
            page.drawString(x, y, line)
            y -= leading
        y -= spacing
    page.save()
    return out.getvalue()
