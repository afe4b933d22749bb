"""Reading pages: rotated pages, sideways text, spans of merged cells."""

from __future__ import annotations

from pathlib import Path

from tasks.extract.pdf import read_pages


def rotated_pdf(cells: list[list[str]], rotate: int) -> bytes:
    """A one-page PDF stored portrait (595 x 842) with `/Rotate rotate`, holding a ruled
    two-column table whose text is drawn turned by 90°: upright once the page is turned
    (rotate=90), sideways when it is not (rotate=0). Helvetica, ASCII text."""
    xs, ys = [100, 300, 500], [100, 160, 220]  # the table in the turned page's coordinates

    def user(x: float, y_top: float) -> tuple[float, float]:
        return y_top, x  # turned page (x, distance from top) -> stored page space

    ops = []
    for y in ys:
        ops.append("{} {} m {} {} l S".format(*user(xs[0], y), *user(xs[-1], y)))
    for x in xs:
        ops.append("{} {} m {} {} l S".format(*user(x, ys[0]), *user(x, ys[-1])))
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            ux, uy = user(xs[c] + 10, ys[r] + 35)
            ops.append(f"BT /F1 12 Tf 0 1 -1 0 {ux} {uy} Tm ({text}) Tj ET")
    content = "\n".join(ops).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate {rotate} "
         "/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>").encode(),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def test_rotated_landscape_page_is_read_in_its_display_orientation(tmp_path: Path):
    path = tmp_path / "rotated.pdf"
    path.write_bytes(rotated_pdf([["Total", "1,234.56"], ["Item", "7.00"]], rotate=90))
    (page,) = read_pages([path])
    assert (page.width, page.height, page.sideways) == (842, 595, False)
    (grid,) = page.grids
    texts = [[c.text if c else "" for c in row] for row in grid.matrix()]
    assert texts == [["Total", "1,234.56"], ["Item", "7.00"]]


def test_text_drawn_sideways_without_rotate_is_flagged(tmp_path: Path):
    path = tmp_path / "sideways.pdf"
    path.write_bytes(rotated_pdf([["Total", "1,234.56"], ["Item", "7.00"]], rotate=0))
    (page,) = read_pages([path])
    assert page.sideways is True


def test_a_label_merged_over_columns_spans_them(extracted):
    """xj 表10: the header cell 资金来源 spans three columns; each keeps it in its path."""
    doc = extracted("xj-hrss-2025")
    columns = {i.column_name for i in doc.line_items if i.table_kind == "sangong"}
    assert columns == {"合计", "资金来源/一般公共预算"}
