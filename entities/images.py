"""A person's mention timeline as a PNG, drawn with the articles app's fonts and shaped lines."""

from __future__ import annotations

from PIL import Image, ImageDraw

from articles.images import ACCENT, INK, PAPER, draw_lines, load_font, png, visual

TIMELINE_SIZE = (900, 260)


def timeline_image(counts: list[tuple[str, int]], *, title: str = "", rtl: bool = True, number=str) -> bytes:
    """Bars of mentions per period; ``counts`` are ``(label, n)`` in time order.

    ``number`` writes a bar's count (in the reader's digits, as the labels are).

    Right to left for Persian and Arabic readers: the earliest period on the
    right, as a reader of the page expects time to run.
    """
    width, height = TIMELINE_SIZE
    image = Image.new("RGB", TIMELINE_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    label_font, title_font = load_font(18), load_font(22, "bold")
    if title:
        draw_lines(draw, [title], title_font, top=8, left=20, right=width - 20, rtl=rtl, fill=INK, spacing=0)
    base, top = height - 50, 60
    draw.line((20, base, width - 20, base), fill="#b9b9c3", width=2)
    if not counts:
        return png(image)
    most = max(n for _, n in counts) or 1
    slot = (width - 40) / len(counts)
    bar = min(60, slot * 0.6)
    for i, (label, n) in enumerate(counts):
        centre = (width - 20 - slot * (i + 0.5)) if rtl else (20 + slot * (i + 0.5))
        h = (base - top) * n / most
        draw.rectangle((centre - bar / 2, base - h, centre + bar / 2, base), fill=ACCENT)
        for text, y, font in ((visual(label), base + 10, label_font), (visual(number(n)), base - h - 24, label_font)):
            draw.text((centre - draw.textlength(text, font=font) / 2, y), text, font=font, fill=INK)
    return png(image)
