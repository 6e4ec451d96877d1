"""The exercises' code editor: CodeMirror 6, drawn in the page itself.

It used to be streamlit-code-editor's Ace, which draws every editor in a frame of its own: each
frame loads and runs a copy of its scripts (React and Ace), so a page with 18 exercises did that
18 times, about 3 s of a 4.5 s view in Chromium on 2 cores. Here one module
(`static/gtf_editor.js`, built from `frontend/editor/` and served by Streamlit's static file
serving) is imported once per page, and each editor is a few DOM nodes.

Until the module has loaded, an editor shows its text as plain code; if it cannot load at all,
a plain text box takes its place, with the same Run button, so a learner can always work.

The editor reads its text when it mounts (a new key mounts it again: see
learner_state.replace_code). It tells Python the text when the learner leaves it (state `code`,
committed by its change callback, so a reload keeps it) and when they run it (trigger `run`: the
Run button, Ctrl+Enter, or Cmd+Enter on a Mac). In between, every edit is kept as a draft in the
browser's storage, so a reload before either still finds what was typed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import streamlit as st

from utils import component_data, static_modules
from utils.browser_store import DRAFT_PREFIX, STORAGE_KEY

MODULE = "gtf_editor.js"
BUNDLE = static_modules.STATIC / MODULE
# The editor grows with its text between these, then scrolls. Half the stubs are 5 lines or
# fewer: a taller empty box pushes the task's hints and verdict out of view for nothing.
MIN_LINES, MAX_LINES = 8, 40
LINE_PX = 21  # 14 px text, line height 1.5 (as in frontend/editor/editor.js)

_HTML = """
<div class="gtf-editor">
  <div class="gtf-editor-host"><pre class="gtf-editor-waiting"></pre></div>
  <div class="gtf-editor-bar">
    <button type="button" class="gtf-editor-run" disabled
            title="Run the checks (Ctrl+Enter)"><span aria-hidden="true">▶</span> Run</button>
  </div>
</div>
"""

_CSS = """
.gtf-editor-waiting, .gtf-editor-fallback {
  margin: 0; padding: 4px 8px 8px 34px; min-height: MIN_PXpx; max-height: MAX_PXpx; overflow: auto;
  font: 14px/1.5 "Source Code Pro", ui-monospace, monospace; white-space: pre-wrap;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; background: #fafafa;
  box-sizing: border-box; width: 100%;
}
.gtf-editor-fallback { padding-left: 8px; resize: vertical; }
.gtf-editor-bar { display: flex; justify-content: flex-end; margin-top: 0.4rem; }
.gtf-editor-run {
  background: var(--st-primary-color, #d9480f); color: white; border: none; cursor: pointer;
  border-radius: var(--st-button-radius, 0.5rem); padding: 0.3rem 0.9rem;
  font: inherit; font-family: var(--st-font, sans-serif);
}
.gtf-editor-run:hover { opacity: 0.85; }
.gtf-editor-run:disabled { opacity: 0.5; cursor: wait; }
.gtf-editor-note { color: #9c3a00; font-size: 0.85rem; margin: 0.2rem 0; }
"""

# The plain code shown until the editor has loaded takes the editor's height, so nothing moves.
# (+ its 1 px borders; at most, + the content's padding too: 4 px above, 8 below)
_CSS = (_CSS.replace("MIN_PX", str(MIN_LINES * LINE_PX + 2))
        .replace("MAX_PX", str(MAX_LINES * LINE_PX + 14)))

_JS = static_modules.RESOLVE_JS + static_modules.NEAR_SCREEN_JS + """
// A draft of what the learner typed, kept in the browser's storage at every edit, so that a
// reload, a closed tab or a lost connection loses nothing: the text the server was sent (on
// leaving the editor, or Run) is only safe once the browser store (utils/browser_store.py) has
// saved it, at the end of the server's run, which can be a minute later when runs queue.
//   { text, bases }: `bases` are the texts the server had or was sent while it was typed. When
//   an editor mounts after the session restored the learner's work, holding one of them (the
//   store's copy came back, or an older one because the store never got the newer), the draft
//   comes back over it and is sent. A draft is dropped once the store holds its text, and when
//   the editor mounts with text the learner chose instead (a reset, an upload, an undo).
const MAX_BASES = 6;

function drafts(key, storeKey, exerciseId) {
  const get = (k) => {
    try { return JSON.parse(window.localStorage.getItem(k) || "null"); }
    catch (err) { return null; }
  };
  return {
    read: () => {
      const kept = get(key);
      return kept && typeof kept.text === "string" && Array.isArray(kept.bases) ? kept : null;
    },
    write: (bases, text) => {
      try { window.localStorage.setItem(key, JSON.stringify({ bases, text })); }
      catch (err) { /* storage full or disabled: leaving the editor and Run still send it */ }
    },
    drop: () => { try { window.localStorage.removeItem(key); } catch (err) { /* as above */ } },
    stored: () => {  // what the browser store last saved for this exercise
      const saved = get(storeKey);
      return saved && saved.code ? saved.code[exerciseId] : undefined;
    },
  };
}

function mount(root, data, setStateValue, setTriggerValue) {
  const draft = drafts(data.draftKey, data.storeKey, data.exerciseId);
  let editor = null, disposed = false, editable = false, settled = false, nearScreen = null;
  let start = data.code, leftWith = data.code, leaves = 0, sent = [data.code];
  // Streamlit calls the cleanup a call returned when the editor goes (a new key, a toggle,
  // another page): CodeMirror's listeners on the window go with it. It also calls it when newer
  // data (a rerun's: the restore's, on a busy page) came before that call had run: the editor
  // stays then. So the cleanup looks, after the page has settled, whether the editor is still
  // in the page. (Disposing of it then left a dead editor: the plain stub, read-only, forever.)
  root.gtfCleanup = () => setTimeout(() => {
    if (disposed || root.isConnected) return;
    disposed = true;
    if (nearScreen) nearScreen.disconnect();
    if (editor && editor.view) editor.view.destroy();
  }, 0);
  const host = root.querySelector(".gtf-editor-host");
  const runButton = root.querySelector(".gtf-editor-run");
  runButton.setAttribute("aria-label", data.runLabel);
  const waiting = host.querySelector(".gtf-editor-waiting");
  waiting.textContent = start;
  const current = () => (editor ? editor.getValue() : start);
  const mark = (text) => {
    sent = sent.filter((t) => t !== text).concat([text]).slice(-MAX_BASES);
  };
  // Each time the learner leaves the editor with other text than it last sent, a new state
  // value (numbered, so that going back to an earlier text is a change too).
  const leave = (text) => {
    if (text === leftWith) return;
    leftWith = text;
    mark(text);
    leaves += 1;
    setStateValue("code", { text, n: leaves });
  };
  const run = (text) => {
    if (!editable) return;
    leftWith = text;
    mark(text);
    setTriggerValue("run", text);
  };
  const edited = (text) => { if (editable) draft.write(sent, text); };
  const updateRun = () => { runButton.disabled = !(editor && editable); };
  const makeEditable = () => {
    editable = true;
    if (editor) editor.setEditable(true);
    updateRun();
  };
  let focusWhenMade = false;
  const ready = (made) => {
    editor = made; root.gtfEditor = made; made.setEditable(editable); updateRun();
    if (focusWhenMade && made.view) made.view.focus();
  };
  runButton.addEventListener("click", () => { if (editor) run(editor.getValue()); });

  // Until the session has restored the learner's work from the browser (its first second or
  // so), the editor holds the stub and is read-only: text typed there would be swapped out by
  // the restore, or, sent first, would win over the restored code.
  // So too in a session that took the browser's word that it keeps no work (utils/store_code.py)
  // when the browser keeps other code for this exercise after all, until its check
  // (utils/browser_store.py) has run: that code is on its way back.
  const comingBack = (latest) => Boolean(latest.checkToken) &&
    window.__gtfStoreChecked !== latest.checkToken &&
    draft.stored() !== undefined && draft.stored() !== latest.code;
  let lastData = data;
  const settle = (latest) => {
    if (disposed) return;
    const kept = draft.read();
    if (kept && draft.stored() === kept.text) draft.drop();  // the store has it: nothing to keep
    lastData = latest;
    if (settled || !latest.restored || comingBack(latest)) return;
    settled = true;
    makeEditable();
    if (latest.draftsVoid) { draft.drop(); return; }
    const again = draft.read();
    if (again && again.text !== latest.code && again.bases.includes(latest.code) &&
        current() === latest.code) {
      // Sent at once, so that the server (and the browser store, and an exported answers
      // file) has it even if the learner never comes back to this editor.
      sent = again.bases.slice(-MAX_BASES);
      if (editor) editor.setValue(again.text);
      else { start = again.text; waiting.textContent = start; }
      leave(again.text);
    }
  };
  root.gtfSettle = settle;
  // Should the browser store never answer, the learner can still work after a while (a draft
  // is left for a later visit).
  // Not while kept code is on its way back: the stub, typed over, would win over it.
  setTimeout(() => { if (!settled && !disposed && !comingBack(lastData)) makeEditable(); },
             15000);

  const plainTextBox = (why) => {
    const box = document.createElement("textarea");
    box.className = "gtf-editor-fallback";
    box.value = start;
    box.rows = start.split("\\n").length + 1;  // as tall as the text, within the editor's bounds
    box.spellcheck = false;
    box.setAttribute("aria-label", data.label);
    box.addEventListener("blur", () => leave(box.value));
    box.addEventListener("input", () => edited(box.value));
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault(); run(box.value);
      }
    });
    const note = document.createElement("p");
    note.className = "gtf-editor-note";
    note.textContent = "The code editor could not load (" + why + "): this plain box works " +
      "the same, without highlighting. Reloading the page may bring the editor back.";
    host.replaceChildren(note, box);
    ready({ getValue: () => box.value, setValue: (text) => { box.value = text; },
            setEditable: (on) => { box.readOnly = !on; } });
  };

  // Made when it comes near the screen: a page's first view makes only the editors on its first
  // screen, then those near it once the page is at rest (each costs the browser tens of ms; a
  // chapter page has up to 12). Until then the
  // placeholder shows the code, at the editor's height. The module comes from Streamlit's own
  // entry module, as utils/preload.py asks for it: one address, one module.
  let making = false;
  const make = () => {
    if (making) return;
    making = true;
    if (nearScreen) nearScreen.disconnect();
    import(gtfModuleUrl(data)).then(({ createEditor }) => {
      if (disposed) return;
      host.replaceChildren();
      ready(createEditor(host, {
        doc: start, label: data.label, placeholder: data.placeholder,
        minLines: data.minLines, maxLines: data.maxLines, onRun: run, onBlur: leave,
        onChange: edited,
      }));
    }).catch((err) => { if (!disposed) plainTextBox(String((err && err.message) || err)); });
  };
  nearScreen = whenNearScreen(root, make);
  // Tabbing through the page reaches an editor not made yet too: it is made then, and focused.
  waiting.tabIndex = 0;
  waiting.setAttribute("aria-label", data.label);
  waiting.addEventListener("focus", () => { focusWhenMade = true; make(); }, { once: true });
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  const root = parentElement.querySelector(".gtf-editor");
  if (!root) return undefined;
  // Called again whenever `data` changes (every rerun after an edit, the restore): the editor
  // is mounted once, and its text is the learner's from then on.
  if (!root.gtfCleanup) mount(root, data, setStateValue, setTriggerValue);
  root.gtfSettle(data);
  return root.gtfCleanup;
}
"""

_component = st.components.v2.component("gtf_code_editor", html=_HTML, css=_CSS, js=_JS,
                                        isolate_styles=False)


def _css_string(text: str) -> str:
    """`text` as the content of a CSS string in a <style> element: quotes, backslashes, line
    ends and angle brackets escaped (so that no `</style>` can end the element)."""
    escapes = {"\\": "\\5c ", '"': "\\22 ", "\n": "\\a ", "\t": "\\9 ", "<": "\\3c ",
               ">": "\\3e ", "\r": ""}
    return "".join(escapes.get(char, char) for char in text)


def waiting_text_style(key: str, code: str) -> str:
    """A style that shows `code` in the editor's placeholder from the moment the page draws it.

    The placeholder's text is set by the component's JavaScript, which on a page's first view
    runs a fraction of a second after its HTML is drawn: until then it stood at its smallest
    height, then grew to the code's (170 px to 539 px for a 22-line stub), and everything below
    it moved. As a style (Streamlit puts a style-only st.html aside, taking no place) the text is
    there, wrapped as the placeholder wraps it, before any script runs; `:empty` drops it once
    the script has put the text in."""
    place = static_modules.key_class(key)
    return (f'<style>.{place} .gtf-editor-waiting:empty::before '
            f'{{ content: "{_css_string(code)}"; }}</style>')


def code_editor(code: str, *, key: str, label: str, on_leave: Callable[[str], None],
                draft_key: str, restored: bool, check_token: str = "",
                drafts_void: bool = False,
                run_label: str = "Run the checks",
                placeholder: str = "Write your answer here") -> str | None:
    """Draw an editor holding `code` (read when it mounts), named `label` for screen readers
    (its Run button `run_label`).

    What the learner types is kept in the browser as a draft, under `draft_key` (the exercise's
    id, which is also its key in the browser store's snapshot), until the browser store holds
    it. The editor is read-only until the session has `restored` the learner's work (and, in a
    session that took the browser's word that it keeps none, whose `check_token` is given, until
    the browser's check when it keeps other code for this exercise); a draft comes back then
    (see the JavaScript), unless `drafts_void` (the text is a reset's, an upload's or an
    undo's).

    Returns the text the learner ran (Run, or Ctrl+Enter) on the rerun that causes, else None.
    Calls `on_leave(text)` when they leave the editor with new text, before the rerun that
    causes: also when that rerun no longer draws this editor (a toggle swapped it, they went to
    another page), so what they typed is kept either way.
    """
    def left() -> None:
        sent = (st.session_state.get(key) or {}).get("code")
        if isinstance(sent, dict) and isinstance(sent.get("text"), str):
            on_leave(sent["text"])

    st.html(waiting_text_style(key, code))
    result = _component(
        key=key, default={"code": None}, on_code_change=left, on_run_change=_nothing,
        data=component_data.plain({
            "code": code, "label": label, "runLabel": run_label,
            **static_modules.address_data(MODULE),
            "placeholder": placeholder, "draftKey": DRAFT_PREFIX + draft_key,
            "storeKey": STORAGE_KEY, "exerciseId": draft_key, "restored": restored,
            "checkToken": check_token,
            "draftsVoid": drafts_void, "minLines": MIN_LINES, "maxLines": MAX_LINES}))
    ran = getattr(result, "run", None)
    return ran if isinstance(ran, str) else None


def _nothing() -> None:
    """A callback, so that Streamlit reruns when the learner runs their code."""


# For browser automation (tests/test_browser.py, benchmarks/server_memory.py): each editor is a
# `.gtf-editor` element holding a handle `gtfEditor` with getValue() and setValue(text).
_FIND_JS = """(name) => [...document.querySelectorAll('.gtf-editor')].findIndex((e) => {
    if (e.offsetParent === null) return false;
    const waiting = e.querySelector('.gtf-editor-waiting');
    const text = e.gtfEditor ? e.gtfEditor.getValue() : (waiting ? waiting.textContent : '');
    return [`def ${name}(`, `class ${name}(`].some((s) => text.includes(s));
})"""


def find_in_browser(page, name: str, timeout_s: float = 30):
    """The Playwright locator of the visible editor holding `def <name>(` or `class <name>(`,
    scrolled to and made (an editor is made when it comes near the screen), waiting for it up
    to `timeout_s`."""
    from playwright.sync_api import Error as PlaywrightError  # (tests only: not a site need)

    deadline = time.time() + timeout_s
    last_error = None
    while time.time() < deadline:
        index = page.evaluate(_FIND_JS, name)
        if index >= 0:
            editor = page.locator(".gtf-editor").nth(index)
            try:
                editor.scroll_into_view_if_needed(timeout=5000)
                # Still the one (a rerun may have added or removed an editor above it), made.
                if editor.evaluate(f"(e) => ({_FIND_JS})({json.dumps(name)}) === "
                                   "[...document.querySelectorAll('.gtf-editor')].indexOf(e) "
                                   "&& Boolean(e.gtfEditor)"):
                    return editor
            except PlaywrightError as err:  # a rerun replaced it meanwhile: look again
                last_error = err
        page.wait_for_timeout(300)
    raise AssertionError(f"no editor for {name} on the page") from last_error
