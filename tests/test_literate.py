"""The literate chapter format: the links that used to be conventions are checked here.

Each registered exercise appears exactly once, on its own section's page and in its section of the
notebook; a chapter whose files disagree fails with a message that says which file to fix; cell
ids follow content; nothing here knows how many chapters or exercises there are.
"""

import json
import re
import shutil
from pathlib import Path

import pytest

from utils import codegen, literate, registry
from utils.site_config import ROOT

CHAPTERS = [ch for ch in registry.CHAPTERS if ch.available]


def _parse(text: str, name: str = "1_demo.md") -> literate.SectionSource:
    return literate.parse(text, Path(name))


# --- the format ----------------------------------------------------------------------------------

def test_directives_split_the_prose_and_code_fences_stay_prose():
    source = _parse("# Demo\n\nSome $x$.\n\n```python\nx = 1\n```\n\n```{exercise} f\n```\n\n"
                    "```{question}\nWhy?\n\nBecause $a$.\n\nAnd more.\n```\n\nThe end.\n")
    kinds = [type(b).__name__ if isinstance(b, literate.Prose) else b.name for b in source.blocks]
    assert kinds == ["Prose", "exercise", "question", "Prose"]
    assert "```python" in source.blocks[0].text
    assert source.title == "Demo" and source.key == "demo" and source.number == 1
    assert source.blocks[2].question_parts == ("Why?", "Because $a$.\n\nAnd more.")


@pytest.mark.parametrize("text, message", [
    ("No title\n", "starts with its title"),
    ("# T\n\n```{exercize} f\n```\n", "unknown directive {exercize}"),
    ("# T\n\n```{exercise}\n```\n", "needs a name"),
    ("# T\n\n```{question} prompt here\n```\n", "takes nothing after it"),
    ("# T\n\n- item\n\n  ```{exercise} f\n  ```\n", "inside a list"),
    ("# T\n\n> ```{exercise} f\n> ```\n", "inside a list or quote"),
    ("# T\n\n- ```{site-only}\n- b\n", "inside a list or quote"),
])
def test_a_broken_source_names_the_file_line_and_fix(text, message):
    with pytest.raises(literate.SourceError, match=re.escape(message)):
        _parse(text)
    with pytest.raises(literate.SourceError, match=re.escape(message)):
        literate.outline(text, Path("1_demo.md"))


def _outline_of_parse(text: str) -> literate.SectionOutline:
    source = _parse(text)
    return literate.SectionOutline(source.path, source.number, source.key, source.title, tuple(
        block for block in source.blocks if isinstance(block, literate.Directive)))


@pytest.mark.parametrize("text", [
    # A longer fence holds a shorter one; a tilde fence holds backticks; a closing fence may be
    # longer than its opening and indented.
    "# T\n\n````{site-only}\n```python\nx = 1\n```\n````\n\n```{exercise} f\n```\n",
    "# T\n\n~~~{question}\nWhy?\n\n```\ncode\n```\n~~~\n",
    "# T\n\n```{fact}\nCue\n\nFact.\n  `````\nafter\n",
    # Backticks in a backtick fence's info: inline code, not a fence.
    "# T\n\n```{exercise}`f`\n\n```{exercise} g\n```\n",
    # What the scan leaves to the full parse: an indented fence, a fence left open.
    "# T\n\n  ```{exercise} f\n  ```\n",
    "# T\n\n- a list\n\n  ```python\n  x\n  ```\n\n```{exercise} f\n```\n",
    "# T\n\n```{exercise} f\n```\n\n```python\nnever closed\n",
    # Fences in an HTML block are no fences; Python's extra line breaks are text to markdown-it.
    "# T\n\n<!--\n```{exercise} old\n```\n-->\n",
    "# T\n\n<div>\n```python\n</div>\n\n```{exercise} f\n```\n",
    "# T\n\nfoo\u2028```{exercise} f\n```\n",
    "# T\n\n```{site-only}\na\x0cb\n```\n",
])
def test_an_outline_has_the_directives_a_full_parse_finds(text):
    assert literate.outline(text, Path("1_demo.md")) == _outline_of_parse(text)


def test_every_sections_outline_is_its_parse_without_the_prose():
    """The registry reads outlines (a scan of the fences), a page the full parse: they agree on
    every section there is."""
    for toml in sorted((ROOT / "pages").glob("*/chapter.toml")):
        for path in literate.section_files(toml.parent):
            text = path.read_text(encoding="utf-8")
            source = literate.parse(text, path)
            assert literate.outline(text, path) == literate.SectionOutline(
                path, source.number, source.key, source.title,
                tuple(b for b in source.blocks if isinstance(b, literate.Directive))), path


def test_headings_are_demoted_for_the_notebook_but_not_inside_code():
    text = "## Part\n\ntext\n\n```python\n# a comment\n```\n\n### Sub"
    assert literate.demote_headings(text) == "### Part\n\ntext\n\n```python\n# a comment\n```\n\n#### Sub"


# --- registry: a chapter's files must agree ---------------------------------------------------------

def _copy_chapter(tmp_path: Path, monkeypatch, stem: str = "part1_ray_tracing") -> Path:
    pages, solutions = tmp_path / "pages", tmp_path / "solutions"
    shutil.copytree(ROOT / "pages" / stem, pages / stem, ignore=shutil.ignore_patterns("*.py"))
    solutions.mkdir()
    shutil.copy(ROOT / "solutions" / f"{stem}.py", solutions / f"{stem}.py")
    monkeypatch.setattr(registry, "SOLUTIONS_DIR", solutions)
    return pages / stem


def test_a_copied_chapter_reads_the_same(tmp_path, monkeypatch):
    chapter = registry.read_chapter(_copy_chapter(tmp_path, monkeypatch))
    assert chapter.exercises == registry.chapter("part1_ray_tracing").exercises


def test_an_exercise_on_no_page_says_where_to_add_its_directive(tmp_path, monkeypatch):
    folder = _copy_chapter(tmp_path, monkeypatch)
    first = registry.chapter("part1_ray_tracing").exercises[0]
    source = next(folder.glob(f"*_{first.section}.md"))
    source.write_text(source.read_text().replace(f"```{{exercise}} {first.name}\n```\n", ""))
    with pytest.raises(registry.ChapterError, match=f"{first.name}.*is on no page"):
        registry.read_chapter(folder)


def test_a_directive_without_an_exercise_and_a_repeated_one_are_errors(tmp_path, monkeypatch):
    folder = _copy_chapter(tmp_path, monkeypatch)
    overview = folder / "0_overview.md"
    original = overview.read_text()
    overview.write_text(original + "\n```{exercise} no_such_thing\n```\n")
    with pytest.raises(registry.ChapterError, match="no_such_thing"):
        registry.read_chapter(folder)
    first = registry.chapter("part1_ray_tracing").exercises[0].name
    overview.write_text(original + f"\n```{{exercise}} {first}\n```\n")
    with pytest.raises(registry.ChapterError, match="appears once"):
        registry.read_chapter(folder)


def test_exercises_out_of_section_order_are_an_error(tmp_path, monkeypatch):
    folder = _copy_chapter(tmp_path, monkeypatch)
    ch = registry.chapter("part1_ray_tracing")
    first, last = ch.exercises[0], ch.exercises[-1]
    assert first.section != last.section
    # Move the first exercise's directive to the last exercise's section.
    src_first = next(folder.glob(f"*_{first.section}.md"))
    src_last = next(folder.glob(f"*_{last.section}.md"))
    directive = f"```{{exercise}} {first.name}\n```\n"
    src_first.write_text(src_first.read_text().replace(directive, ""))
    src_last.write_text(src_last.read_text() + "\n" + directive)
    with pytest.raises(registry.ChapterError, match="order of their sections"):
        registry.read_chapter(folder)


@pytest.mark.parametrize("line", ["number = 1", 'number = "0"', 'number = "5.1.2"',
                                  'number = "5."', ""])
def test_a_chapter_number_is_its_place_on_the_path(tmp_path, monkeypatch, line):
    folder = _copy_chapter(tmp_path, monkeypatch)
    toml = folder / "chapter.toml"
    toml.write_text(toml.read_text().replace('number = "5.1"', line))
    with pytest.raises(registry.ChapterError, match="place on the path"):
        registry.read_chapter(folder)


def test_chapters_follow_the_path_with_stage_parts_in_numeric_order():
    positions = [registry.path_position(ch.number) for ch in registry.CHAPTERS]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert registry.path_position("5.10") > registry.path_position("5.9")
    assert registry.chapter("plotting_with_plotly").stage == 1
    assert [ch.number for ch in registry.CHAPTERS if ch.stage == 5] == \
        ["5.1", "5.2", "5.3", "5.4", "5.5"]


def test_metadata_must_be_literals(tmp_path, monkeypatch):
    folder = _copy_chapter(tmp_path, monkeypatch)
    path = registry.SOLUTIONS_DIR / "part1_ray_tracing.py"
    path.write_text(path.read_text().replace("difficulty=2,", "difficulty=1 + 1,", 1))
    with pytest.raises(registry.ChapterError, match="difficulty= must be a literal"):
        registry.read_chapter(folder)


# --- every exercise once, on its page and in its notebook -------------------------------------------

@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.stem)
def test_every_exercise_is_once_in_the_notebook_in_its_own_section(ch):
    notebook = json.loads((ROOT / "exercises" / f"{ch.stem}.ipynb").read_text())
    section, seen = None, {}
    titles = {title: key for key, title in ch.sections}
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        heading = re.match(r"## (.+)\n", text)
        if cell["cell_type"] == "markdown" and heading and heading[1] in titles:
            section = titles[heading[1]]
        for name in re.findall(r"^#### Exercise: `(\w+)`", text, re.MULTILINE):
            assert name not in seen, f"{ch.stem}.{name} is twice in the notebook"
            seen[name] = section
    assert seen == {ex.name: ex.section for ex in ch.exercises}


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.stem)
def test_the_notebook_carries_every_sections_prose_and_questions(ch):
    notebook = json.loads((ROOT / "exercises" / f"{ch.stem}.ipynb").read_text())
    markdown = "\n".join("".join(c["source"]) for c in notebook["cells"]
                         if c["cell_type"] == "markdown")
    for source in ch.section_sources():
        for block in source.blocks:
            if isinstance(block, literate.Prose):
                first_line = literate.demote_headings(block.text).splitlines()[0]
                assert first_line in markdown, (source.path.name, first_line)
            elif block.name in ("question", "fact"):
                prompt, answer = block.question_parts
                assert prompt in markdown and answer in markdown, (source.path.name, block.line)


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.stem)
def test_the_solutions_notebook_has_every_solution_where_the_notebook_has_a_stub(ch):
    cells = codegen.notebook_cells(ch.stem)
    solved = codegen.notebook_cells(ch.stem, with_solutions=True)
    assert len(cells) == len(solved)
    from utils import sources
    for ex in ch.exercises:
        stub = sources.stub_source(ex)
        index = next(i for i, c in enumerate(cells) if c.text == stub)
        assert solved[index].text == sources.solution_source(ex)
    assert (ROOT / "exercises" / f"{ch.stem}_solutions.ipynb").exists()


def test_notebook_cell_ids_follow_content_so_an_insert_changes_only_new_cells():
    cells = codegen.notebook_cells(CHAPTERS[0].stem)
    before = json.loads(codegen.render_notebook(cells))["cells"]
    inserted = cells[:8] + [codegen.Cell("markdown", "A new paragraph."),
                            codegen.Cell("code", "x = 1")] + cells[8:]
    after = json.loads(codegen.render_notebook(inserted))["cells"]
    old_ids = [c["id"] for c in before]
    new_ids = [c["id"] for c in after]
    assert new_ids[:8] + new_ids[10:] == old_ids
    assert len(set(new_ids)) == len(new_ids)


def test_the_exercise_decorator_is_left_out_of_everything_a_learner_sees():
    from utils import sources
    for ch in CHAPTERS:
        assert "exercise_meta" not in sources.module_preamble(ch.stem)
        for ex in ch.exercises:
            assert "@exercise" not in sources.stub_source(ex), ex.id
            assert "@exercise" not in sources.solution_source(ex), ex.id


def test_given_code_stands_where_its_directive_puts_it_once():
    # Chapter 5.1 places raytrace_mesh_video with `{given}` in its lighting section.
    from utils import sources

    ch = registry.chapter("part1_ray_tracing")
    directive = next(d for s in ch.section_sources() for d in s.directives("given"))
    code = sources.source_of(ch.stem, directive.argument)
    cells = codegen.notebook_cells(ch.stem)
    at = [i for i, c in enumerate(cells) if c.text == code]
    assert len(at) == 1
    before = "\n".join(c.text for c in cells[max(0, at[0] - 3):at[0]])
    assert f"`{directive.argument}`" in before  # right after the prose that introduces it


def test_a_given_directive_must_name_given_code(tmp_path, monkeypatch):
    folder = _copy_chapter(tmp_path, monkeypatch)
    overview = folder / "0_overview.md"
    first = registry.chapter("part1_ray_tracing").exercises[0].name
    for wrong in ("no_such_function", first):
        overview.write_text(f"# Overview\n\n```{{given}} {wrong}\n```\n")
        with pytest.raises(registry.ChapterError, match="names no given function"):
            registry.read_chapter(folder)


# Imported by one process with Streamlit made unimportable (one process per chapter took 30 s).
# For Streamlit this is the same check: an import that fails is not kept, so a module that
# needs Streamlit fails every chapter that imports it, whichever imported it first. (What it no
# longer checks: that each chapter imports on its own in a fresh interpreter; a notebook runs
# from a fresh one, and tests/test_notebooks.py runs each.)
_IMPORT_EACH_CHAPTER = """
import json, sys, traceback
sys.modules["streamlit"] = None
failed = {}
for stem, names in json.loads(sys.argv[1]).items():
    try:
        for name in names:
            __import__(name)
    except BaseException:  # noqa: BLE001 - reported per chapter
        failed[stem] = traceback.format_exc()[-2000:]
print("\\n" + json.dumps(failed))  # on a line of its own, whatever an import printed
"""


@pytest.fixture(scope="module")
def imports_without_streamlit() -> dict[str, str]:
    """Each chapter's import error (a traceback) when Streamlit cannot be imported."""
    import subprocess
    import sys

    modules = {}
    for ch in CHAPTERS:
        figures = registry.chapter_module_name(ch.stem, "figures")
        modules[ch.stem] = [f"solutions.{ch.stem}", f"utils.checks.{ch.stem}", "utils.local",
                            *([figures] if figures else [])]
    out = subprocess.run([sys.executable, "-c", _IMPORT_EACH_CHAPTER, json.dumps(modules)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.splitlines()[-1])


@pytest.mark.parametrize("ch", CHAPTERS, ids=lambda ch: ch.stem)
def test_what_a_notebook_imports_needs_no_streamlit(ch, imports_without_streamlit):
    # Colab has no Streamlit: the solutions, checks and figures a notebook imports must not need it.
    assert ch.stem not in imports_without_streamlit, imports_without_streamlit[ch.stem]
