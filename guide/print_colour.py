"""How dark a PDF colour prints: WCAG 2 relative luminance and contrast against white paper.

A colour comes as the PDF gives it (pdfplumber's components): one number is DeviceGray, three
are RGB, four are CMYK. ICC-based spaces have the same numbers of components and are read as
their device equivalents, which is close enough to judge legibility. A pattern or anything
else unreadable has no luminance (None), and is not judged.
"""

from __future__ import annotations

PAPER = 1.0  # white paper's relative luminance


def _linear(channel: float) -> float:
    """An sRGB channel (0–1) to linear light, as WCAG 2 defines it."""
    channel = min(1.0, max(0.0, channel))
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def rgb(colour: tuple[float, ...] | None) -> tuple[float, float, float] | None:
    if colour is None:
        return None
    if len(colour) == 1:
        return (colour[0],) * 3
    if len(colour) == 3:
        return colour[0], colour[1], colour[2]
    if len(colour) == 4:
        # The naive conversion, without a printer's profile: what a screen shows, and
        # near enough to what toner puts down for judging whether it can be read.
        c, m, y, k = colour
        return (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    return None


def luminance(colour: tuple[float, ...] | None) -> float | None:
    channels = rgb(colour)
    if channels is None:
        return None
    r, g, b = (_linear(c) for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_on_paper(colour: tuple[float, ...] | None) -> float | None:
    """The WCAG contrast ratio of a colour against white paper: 21 for black, 1 for white."""
    value = luminance(colour)
    return None if value is None else (PAPER + 0.05) / (value + 0.05)


def hex_colour(colour: tuple[float, ...] | None) -> str:
    channels = rgb(colour)
    if channels is None:
        return "a pattern"
    return "#" + "".join(f"{round(min(1, max(0, c)) * 255):02x}" for c in channels)


def luminance_of_hex(text: str) -> float:
    """'#737373' → its relative luminance."""
    text = text.lstrip("#")
    value = luminance(tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4)))
    assert value is not None
    return value
