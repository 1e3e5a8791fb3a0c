"""PNG images drawn with Pillow: Open Graph share cards and the drawing other images share.

Pillow's basic layout draws characters one by one, left to right, without
joining Arabic letters, so every Persian or Arabic string is first shaped
with arabic-reshaper (contextual letter forms, lam-alef) and put into visual
order with python-bidi (its ``bidi.algorithm`` implementation, which mirrors
brackets; the newer ``bidi.get_display`` leaves "(" and ")" unmirrored).
The basic layout engine is forced so that a Pillow built with libraqm does
not shape the already-shaped text a second time.

Articles, people and events have share cards; the entities app draws its
mention timelines with the fonts and lines of this module.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import arabic_reshaper
from bidi.algorithm import get_display
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from articles.text import has_arabic_script

SHARE_SIZE = (1200, 630)
INK, MUTED, ACCENT, PAPER = "#1d1d24", "#5c5c66", "#1f5fa8", "#ffffff"

# Vazirmatn from `make font` (node_modules, gitignored), else Debian fonts.
_FONT_CANDIDATES = {
    "regular": ["node_modules/vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf",
                "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
                "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
                "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
    "bold": ["node_modules/vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf",
             "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf",
             "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf",
             "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
}


def font_path(weight: str = "regular") -> str | None:
    """The first font file that exists (project-relative paths from BASE_DIR)."""
    for candidate in _FONT_CANDIDATES[weight]:
        path = Path(candidate) if candidate.startswith("/") else Path(settings.BASE_DIR) / candidate
        if path.exists():
            return str(path)
    return None


@lru_cache(maxsize=32)
def load_font(size: int, weight: str = "regular") -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The font of ``size`` pixels and ``weight`` (Pillow's own when no font file exists), kept once loaded."""
    path = font_path(weight)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


def visual(text: str) -> str:
    """Text shaped and reordered for drawing left to right, character by character."""
    if not has_arabic_script(text):
        return text
    return get_display(arabic_reshaper.reshape(text))


def _wrap(draw, text: str, font, width: int, max_lines: int) -> list[str]:
    # wrap in logical order, then shape each line on its own
    lines, line = [], ""
    for word in text.split():
        attempt = f"{line} {word}".strip()
        if line and draw.textlength(visual(attempt), font=font) > width:
            lines.append(line)
            line = word
        else:
            line = attempt
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rsplit(" ", 1)[0] + " …"
    return lines


def draw_lines(draw, lines, font, *, top, left, right, rtl, fill, spacing) -> int:
    """Draw ``lines`` (in logical order) one below the other, right-aligned if ``rtl``; the ``top`` after them."""
    for line in lines:
        shaped = visual(line)
        x = right - draw.textlength(shaped, font=font) if rtl else left
        draw.text((x, top), shaped, font=font, fill=fill)
        top += spacing
    return top


def png(image: Image.Image) -> bytes:
    """``image`` as the bytes of an optimised PNG file."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def share_image(title: str, subtitle: str = "", footer: str = "") -> bytes:
    """A 1200×630 Open Graph card: the title large, a subtitle and the site name."""
    width, height = SHARE_SIZE
    image = Image.new("RGB", SHARE_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 18), fill=ACCENT)
    margin = 70
    rtl = has_arabic_script(title)
    title_font, sub_font, foot_font = load_font(62, "bold"), load_font(36), load_font(30, "bold")
    lines = _wrap(draw, title, title_font, width - 2 * margin, 4)
    top = draw_lines(draw, lines, title_font, top=80, left=margin, right=width - margin, rtl=rtl, fill=INK, spacing=100)
    if subtitle:
        sub_lines = _wrap(draw, subtitle, sub_font, width - 2 * margin, 2)
        draw_lines(draw, sub_lines, sub_font, top=top + 20, left=margin, right=width - margin,
                   rtl=has_arabic_script(subtitle), fill=MUTED, spacing=56)
    draw.line((margin, height - 110, width - margin, height - 110), fill="#d6d6de", width=2)
    if footer:
        draw_lines(draw, [footer], foot_font, top=height - 90, left=margin, right=width - margin,
                   rtl=has_arabic_script(footer), fill=ACCENT, spacing=0)
    return png(image)

