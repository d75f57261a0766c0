"""Normalising what people type or paste: full-width characters, stray spaces."""

import unicodedata


def to_half_width(value: str) -> str:
    """Full-width digits, letters and punctuation (０-９, Ａ, －) become their ASCII forms."""
    return unicodedata.normalize("NFKC", value)


def clean_code(value: str | None) -> str:
    """A code as typed: half-width, upper-case, with all whitespace removed."""
    if not value:
        return ""
    return "".join(to_half_width(value).split()).upper()


def cn_date(day) -> str:
    """``2026年12月5日``: the way Chinese documents write a date, without leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def without_query(url: str) -> str:
    """A web address with its query string cut to ``?…``: a robot's ``?key=`` or ``?access_token=`` is a secret."""
    if "?" not in url:
        return url
    return url.split("?", 1)[0] + "?…"
