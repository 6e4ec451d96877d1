"""Read a section's literate source: `pages/<chapter>/<n>_<key>.md`.

A section is Markdown with LaTeX (what st.markdown and Jupyter both render) and a few directives,
written as fenced blocks whose info string is `{name} argument` (MyST's spelling):

    ```{exercise} make_rays_1d
    ```

| directive            | on the page                          | in the notebook                      |
|----------------------|--------------------------------------|--------------------------------------|
| `{exercise} name`    | the exercise block (editor, checks)  | task, hints, stub and check cells    |
| `{given} name`       | the given function, class or         | a code cell with its source (else   |
|                      | constant's (`NAME = ...`) source     | given code goes before the next     |
|                      | from solutions/ (read, not pasted);  | exercise defined after it)           |
|                      | an assignment brings the nameless    |                                      |
|                      | statements right after it            |                                      |
| `{figure}`           | the body (a Python expression        | a code cell with the body            |
|                      | giving a Plotly figure), drawn       |                                      |
| `{widget} name`      | `pages/<chapter>/widgets.py: name()` | a code cell with the body (a static  |
|                      | (sliders, buttons, live figures)     | stand-in), or a link to the site     |
| `{question}`         | prompt (the body up to its first     | the prompt, and the answer in a      |
|                      | blank line) and a revealable answer  | collapsed `<details>`                |
| `{fact}`             | a key fact: its cue (the body up to  | the cue and the fact, in the same    |
|                      | its first blank line), then the fact | words, marked as a key fact          |
| `{site-only}`        | the body as Markdown                 | nothing                              |
| `{notebook-only}`    | nothing                              | the body as Markdown                 |
| `{chapter-contents}` | sections, where to work, progress    | nothing (the notebook is the chapter)|

The first line is the section's title (`# Title`). Figure and widget bodies see the chapter's
figures module as `figures`. Markdown parsing is markdown-it-py's (CommonMark), so a directive is
exactly what a CommonMark reader sees as a fenced block, and code fences in prose stay prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt

from utils.site_config import SECTION_FILE

DIRECTIVES = frozenset({"exercise", "given", "figure", "widget", "question", "fact", "site-only",
                        "notebook-only", "chapter-contents"})
# Directives whose argument names something; the others take none.
NAMED = frozenset({"exercise", "given", "widget"})
_INFO = re.compile(r"^\{([a-z-]+)\}\s*(.*)$")


@dataclass(frozen=True)
class Prose:
    text: str  # Markdown, as written

    def pieces(self) -> list[tuple[str, str | None]]:
        """The prose cut at its fenced code blocks, in order: (Markdown, None) for the text
        between them, (code, language) for each block ("text" when the fence names none).
        Cut once per text (a page draws its prose on every run)."""
        return list(_pieces(self.text))


@dataclass(frozen=True)
class Directive:
    name: str  # e.g. "exercise"
    argument: str  # e.g. the exercise's name; "" when the directive takes none
    body: str
    line: int  # 1-based line of the opening fence, for error messages

    @property
    def question_parts(self) -> tuple[str, str]:
        """A question's (prompt, answer), or a fact's (cue, fact): the body up to its first blank
        line, and the rest."""
        prompt, _, answer = self.body.strip().partition("\n\n")
        return prompt.strip(), answer.strip()


Block = Prose | Directive


@dataclass(frozen=True)
class SectionSource:
    path: Path
    number: int  # from the file name: 0 is the chapter's overview
    key: str  # from the file name: the page's URL is /<chapter>_<key>
    title: str  # the first line's `# Title`
    blocks: tuple[Block, ...]

    def directives(self, name: str) -> list[Directive]:
        return [b for b in self.blocks if isinstance(b, Directive) and b.name == name]


class SourceError(ValueError):
    """A section source that breaks the format; the message names the file and line."""


# Only the blocks (fences, headings) are ever read: skipping the inline parse halves the time
# every page's source takes to read (the registry reads them all on a server's first run).
_MARKDOWN = MarkdownIt("commonmark").disable(["inline", "text_join"])


@lru_cache(maxsize=512)
def _pieces(text: str) -> tuple[tuple[str, str | None], ...]:
    # The blocks CommonMark finds (any fence length, ``` or ~~~, an info string after the
    # language), at the top level: a block inside a list item stays in its Markdown.
    lines = text.splitlines(keepends=True)
    pieces: list[tuple[str, str | None]] = []
    start = 0
    for token in _MARKDOWN.parse(text):
        if token.type != "fence" or token.level != 0 or token.map is None:
            continue
        first, end = token.map
        if "".join(lines[start:first]).strip():
            pieces.append(("".join(lines[start:first]), None))
        pieces.append((token.content, token.info.split()[0] if token.info.strip() else "text"))
        start = end
    if "".join(lines[start:]).strip():
        pieces.append(("".join(lines[start:]), None))
    return tuple(pieces)


def _file_and_title(text: str, path: Path) -> tuple[re.Match, str, list[str]]:
    """The file name's match (number, key), the `# Title`, and the lines, or a SourceError."""
    match = SECTION_FILE.match(path.name)
    if not match:
        raise SourceError(f"{path}: a section file is named <number>_<key>.md, e.g. 1_rays.md")
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# "):
        raise SourceError(f"{path}:1: a section starts with its title, `# Title`")
    return match, lines[0][2:].strip(), lines


def _directive(info: re.Match, body: str, line: int, path: Path, nested: bool) -> Directive:
    """The directive a fence with a `{name} argument` info string opens, at 0-based `line`, or a
    SourceError saying what is wrong with it."""
    name, argument = info[1], info[2].strip()
    where = f"{path}:{line + 1}"
    if nested:
        raise SourceError(f"{where}: a directive must not sit inside a list or quote")
    if name not in DIRECTIVES:
        raise SourceError(f"{where}: unknown directive {{{name}}}; known: "
                          f"{', '.join(sorted(DIRECTIVES))}")
    if (name in NAMED) != bool(argument):
        raise SourceError(f"{where}: {{{name}}} " + (
            "needs a name after it" if name in NAMED else "takes nothing after it"))
    return Directive(name, argument, body, line + 1)


def parse(text: str, path: Path) -> SectionSource:
    match, title, lines = _file_and_title(text, path)
    blocks: list[Block] = []
    prose_from = 1  # 0-based line where the current run of prose starts (after the title)
    for token in _MARKDOWN.parse(text):
        info = _INFO.match(token.info.strip()) if token.type == "fence" else None
        if info is None:
            continue
        directive = _directive(info, token.content, token.map[0], path, token.level != 0)
        _add_prose(blocks, lines[prose_from:token.map[0]])
        blocks.append(directive)
        prose_from = token.map[1]
    _add_prose(blocks, lines[prose_from:])
    return SectionSource(path, int(match[1]), match[2], title, tuple(blocks))


@dataclass(frozen=True)
class SectionOutline:
    """What the registry and the review cards read of a section: its place, its title and its
    directives (bodies included), without its prose."""
    path: Path
    number: int
    key: str
    title: str
    directive_blocks: tuple[Directive, ...]

    def directives(self, name: str) -> list[Directive]:
        return [d for d in self.directive_blocks if d.name == name]


# A fence's opening line and its closing line, as CommonMark has them (a backtick fence's info
# string has no backtick); the lines of a text as markdown-it splits them; what, outside a fence,
# the scan leaves to the full parse: an HTML block's first line (a fence inside one is no fence).
_OPENING = re.compile(r"^(`{3,}|~{3,})(.*)$")
_CLOSING = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_HTML_BLOCK = re.compile(r"^ {0,3}<")
# Line breaks to str.splitlines (which `parse` uses for the prose) that markdown-it reads as text,
# and NUL, which it replaces.
_NOT_LINE_BREAKS_TO_MARKDOWN_IT = "\0\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _scanned_directives(text: str) -> list[tuple[re.Match, str, int]] | None:
    """The directives' (info, body, 0-based line), found by following the fences line by line:
    a tenth of the time markdown-it takes to parse the section (a server's first run reads every
    section's directives, 0.15-0.25 s of markdown-it on 2 busy cores). None where the text has
    what the scan leaves to a full parse, which then says what a CommonMark reader sees: outside
    a fence, a fence marker anywhere but at the start of a line (an indented fence, one in a list
    item or a quote, or inline code of three backticks), an HTML block, a fence left open, or a
    character that is not a line break to markdown-it but is to Python, or a NUL. (A test checks
    that every section's outline equals its parse's.)"""
    if any(character in text for character in _NOT_LINE_BREAKS_TO_MARKDOWN_IT):
        return None
    found: list[tuple[re.Match, str, int]] = []
    lines = _NEWLINE.split(text)
    fence = None  # the open fence: (its marker, its info, its 0-based line)
    for number, line in enumerate(lines):
        if fence is None:
            opening = _OPENING.match(line)
            if opening and not (opening[1][0] == "`" and "`" in opening[2]):
                fence = (opening[1], opening[2], number)
            elif "```" in line or "~~~" in line or _HTML_BLOCK.match(line):
                return None
        else:
            closing = _CLOSING.match(line)
            marker = fence[0]
            if closing and closing[1][0] == marker[0] and len(closing[1]) >= len(marker):
                info = _INFO.match(fence[1].strip())
                if info is not None:
                    body = "".join(f"{row}\n" for row in lines[fence[2] + 1:number])
                    found.append((info, body, fence[2]))
                fence = None
    return None if fence is not None else found


def outline(text: str, path: Path) -> SectionOutline:
    """The section's outline, from a scan of its fences (or a full parse, where the scan cannot
    tell); the same SourceErrors as `parse` for its directives and title."""
    scanned = _scanned_directives(text)
    if scanned is None:
        source = parse(text, path)
        return SectionOutline(source.path, source.number, source.key, source.title,
                              tuple(b for b in source.blocks if isinstance(b, Directive)))
    match, title, _ = _file_and_title(text, path)
    return SectionOutline(path, int(match[1]), match[2], title, tuple(
        _directive(info, body, line, path, nested=False) for info, body, line in scanned))


def _add_prose(blocks: list[Block], lines: list[str]) -> None:
    text = "\n".join(lines).strip("\n")
    if text.strip():
        blocks.append(Prose(text))


def read_section(path: Path) -> SectionSource:
    """The parsed source, read again when the file changes (an author editing a section sees it
    on the next rerun)."""
    return _read_section(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=None)
def _read_section(path: Path, _mtime_ns: int) -> SectionSource:
    return parse(path.read_text(encoding="utf-8"), path)


def read_outline(path: Path) -> SectionOutline:
    """The section's outline (`outline`), read again when the file changes."""
    return _read_outline(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=None)
def _read_outline(path: Path, _mtime_ns: int) -> SectionOutline:
    return outline(path.read_text(encoding="utf-8"), path)


def section_files(chapter_dir: Path) -> list[Path]:
    """A chapter's section sources, in their numbered order."""
    found = [p for p in chapter_dir.glob("*.md") if SECTION_FILE.match(p.name)]
    return sorted(found, key=lambda p: int(SECTION_FILE.match(p.name)[1]))


def demote_headings(markdown: str, levels: int = 1) -> str:
    """The same Markdown with every ATX heading `levels` deeper (code fences left alone), for a
    notebook whose chapter title is the only level-1 heading."""
    lines = markdown.splitlines()
    for token in _MARKDOWN.parse(markdown):
        if token.type == "heading_open" and token.markup.startswith("#"):
            row = token.map[0]
            lines[row] = "#" * levels + lines[row]
    return "\n".join(lines)
