"""What our components (st.components.v2) are given as `data`: plain values only, nested ones as
JSON text.

Streamlit looks at each value of a component's `data` dict that is not a string, number, bool or
None to see whether it is a data frame (to send it as Arrow), and its first look imports NumPy,
pandas and PyArrow: 0.7-0.95 s on 2 cores, paid by a fresh server's first page view (the browser
store's save ends every run once the learner's work is restored). The site sends no data frames
to its components, so a nested value (a list, a dict) goes as JSON text, which the component's
JavaScript parses.
"""

from __future__ import annotations

import json

PLAIN = (str, int, float, bool, type(None))


def as_json(value: object) -> str:
    """A nested value (lists, dicts of plain values) as the JSON text a component parses."""
    return json.dumps(value, separators=(",", ":"))


def plain(data: dict[str, object]) -> dict[str, object]:
    """`data` itself, once checked to hold only plain values (a nested one would make Streamlit
    import pandas: see the module docstring)."""
    nested = sorted(key for key, value in data.items() if not isinstance(value, PLAIN))
    if nested:
        raise TypeError(f"component data {', '.join(nested)} must be plain values: send nested "
                        "ones as JSON text (utils/component_data.as_json)")
    return data
