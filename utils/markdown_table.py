"""Rows of text as a Markdown table (no Streamlit: usable in notebooks and on pages).

Pages show small tables of text (a chapter's progress, the sandbox's layers) as Markdown rather
than with `st.dataframe`: Streamlit's data grid makes a learner's browser fetch and compile about
1.3 MB more script (the grid and Arrow) before a page that has one can show, and these tables
need neither sorting nor scrolling.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def _cell(value: object) -> str:
    # A "|" would end the cell and a line break the row, and Streamlit reads "$" as the start of
    # LaTeX; a backslash keeps each literal.
    return " ".join(str(value).split()).replace("|", "\\|").replace("$", "\\$")


def markdown_table(rows: Sequence[Mapping[str, object]]) -> str:
    """`rows` (one dict per row, the first row's keys as the columns) as a GitHub-flavoured
    Markdown table; an empty string for no rows."""
    if not rows:
        return ""
    columns = list(rows[0])
    lines = ["| " + " | ".join(_cell(c) for c in columns) + " |",
             "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


__all__ = ["markdown_table"]
