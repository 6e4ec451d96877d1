"""Small tables of text are shown as Markdown (utils/markdown_table.py): each row's cells stay in
their cells, even with a "|" or a line break in them."""

from markdown_it import MarkdownIt

from tests.browser_site import open_page
from utils import registry
from utils.markdown_table import markdown_table


def _parsed(text: str) -> list[list[str]]:
    """The table's cells, row by row (header first), as a GFM renderer reads them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows, row = [], None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    return rows


def test_rows_become_a_table_with_the_first_rows_keys_as_columns():
    rows = [{"": "✅", "exercise": "MLP", "status": "passed"},
            {"": "⬜", "exercise": "train_step", "status": "not started"}]
    assert _parsed(markdown_table(rows)) == [["", "exercise", "status"],
                                              ["✅", "MLP", "passed"],
                                              ["⬜", "train_step", "not started"]]


def test_a_bar_or_a_line_break_in_a_cell_stays_in_its_cell():
    rows = [{"a | b": "x | y", "c": "two\nlines"}]
    assert _parsed(markdown_table(rows)) == [["a | b", "c"], ["x | y", "two lines"]]


def test_a_dollar_in_a_cell_is_text_not_math():
    # Streamlit's Markdown reads $...$ as LaTeX; an escaped dollar is shown as it is.
    text = markdown_table([{"price": "$5 or $6"}])
    assert "\\$5 or \\$6" in text
    assert "<td>$5 or $6</td>" in MarkdownIt("commonmark").enable("table").render(text)


def test_a_missing_cell_is_blank_and_no_rows_is_no_table():
    assert _parsed(markdown_table([{"a": "1", "b": "2"}, {"a": "3"}]))[2] == ["3", ""]
    assert markdown_table([]) == ""


def test_a_chapter_overview_shows_every_exercise_in_its_progress_table():
    app = open_page("pages/micrograd/0_overview.md")
    assert not app.exception, [e.value for e in app.exception]
    (table,) = [m.value for m in app.markdown if m.value.startswith("|  | exercise |")]
    cells = _parsed(table)
    assert [row[1] for row in cells[1:]] == [ex.name for ex in registry.chapter("micrograd").exercises]
    assert cells[0][-1] == "new specification: circles"


def test_home_folds_each_chapters_progress_table_under_its_count():
    app = open_page("pages/home.py")
    assert not app.exception, [e.value for e in app.exception]
    folded = {e.label: e for e in app.expander if e.label.startswith("Chapter ")}
    for ch in registry.CHAPTERS:
        if ch.available:
            label = f"Chapter {ch.number}: {ch.title} · 0 of {len(ch.exercises)} passed"
            (table,) = [m.value for m in folded[label].markdown]
            assert [row[1] for row in _parsed(table)[1:]] == [ex.name for ex in ch.exercises]
