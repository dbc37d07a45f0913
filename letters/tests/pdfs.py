"""Small PDFs built in the tests: one Helvetica font, one content stream per page."""

from __future__ import annotations

import zlib


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
