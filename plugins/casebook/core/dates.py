"""Dates as readers write them: 2023-06-27 becomes 2023年6月27日."""

from __future__ import annotations


def chinese_date(iso: str) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (as the entry checker
    normalises them) in Chinese; anything else is returned unchanged."""
    parts = str(iso or "").split("-")
    if not parts[0].isdigit() or len(parts) > 3 or not all(p.isdigit() for p in parts):
        return str(iso or "")
    text = f"{parts[0]}年"
    for value, unit in zip(parts[1:], "月日"):
        text += f"{int(value)}{unit}"
    return text
