"""When each piece of a learner's kept work last changed, so that two tabs' copies merge.

The browser keeps one copy of the learner's work for the whole site (utils/browser_store.py),
and every open tab writes its session's snapshot into it. Each snapshot carries stamps: when
each entry last changed, in ms since the epoch, set by the server when the session's snapshot
shows the change. The browser merges entry by entry, the later stamp winning. The entries:

- per key: an exercise's code, its status, a page's free text, a review card's schedule;
- whole: the chapters chosen for review, and the count of new cards started today (two tabs'
  counts of the same day merge to the larger one).

No Streamlit here: utils/learner_state.py keeps the session's side.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

KEYED = ("code", "status", "inputs", "cards")  # tables merged key by key
SINGLE = ("chapters", "new")  # the review state's other parts, each merged whole
_ABSENT = object()


def entries(tables: Mapping[str, Any]) -> dict[str, Any]:
    """The kept tables ({"code", "status", "inputs", "review"}) as the merge's entries:
    {"code": {...}, "status": {...}, "inputs": {...}, "cards": {...}, "chapters": [...],
    "new": {...}}."""
    review = tables.get("review") or {}
    flat = {name: dict(tables.get(name) or {}) for name in KEYED[:3]}
    flat["cards"] = dict(review.get("cards") or {})
    for name in SINGLE:
        flat[name] = review.get(name, _ABSENT)
    return flat


def no_stamps() -> dict[str, Any]:
    return {**{name: {} for name in KEYED}, **{name: 0 for name in SINGLE}}


def valid_stamps(saved: Any) -> dict[str, Any]:
    """A browser copy's stamps, cleaned; 0 (none) where it has none (written before stamps)."""
    stamps = no_stamps()
    if not isinstance(saved, dict):
        return stamps
    for name in KEYED:
        table = saved.get(name)
        if isinstance(table, dict):
            stamps[name] = {k: v for k, v in table.items()
                            if isinstance(k, str) and isinstance(v, int) and v > 0}
    for name in SINGLE:
        if isinstance(saved.get(name), int) and saved[name] > 0:
            stamps[name] = saved[name]
    return stamps


def latest(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Entry by entry, the later of two sets of stamps."""
    out = no_stamps()
    for name in KEYED:
        out[name] = {k: max(a[name].get(k, 0), b[name].get(k, 0))
                     for k in a[name].keys() | b[name].keys()}
    for name in SINGLE:
        out[name] = max(a[name], b[name])
    return out


def restamp(stamps: dict[str, Any], before: Mapping[str, Any], now: Mapping[str, Any],
            now_ms: int) -> None:
    """Stamp, in place, every entry that differs between two views of the kept tables (added,
    changed or removed). A new stamp is later than the entry's last stamp this session knows
    (restored or its own) even if that one lies ahead of this server's clock (a clock set back):
    else the browser would keep the older value, and the change would be lost."""
    was, is_ = entries(before), entries(now)
    for name in KEYED:
        old, new = was[name], is_[name]
        for key in old.keys() | new.keys():
            if old.get(key, _ABSENT) != new.get(key, _ABSENT):
                stamps[name][key] = max(now_ms, stamps[name].get(key, 0) + 1)
    for name in SINGLE:
        if was[name] != is_[name]:
            stamps[name] = max(now_ms, stamps[name] + 1)


__all__ = ["KEYED", "SINGLE", "entries", "latest", "no_stamps", "restamp", "valid_stamps"]
