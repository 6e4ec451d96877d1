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
so a reload keeps it) and when they run it (trigger `run`: the Run button or Ctrl/Cmd+Enter).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import streamlit as st

MODULE = "gtf_editor.js"
BUNDLE = Path(__file__).resolve().parents[1] / "static" / MODULE
# Where static/ is served, relative to Streamlit's entry module (<base>/static/js/index.<hash>.js),
# which a site served under a path prefix (Community Cloud's) has too.
MODULE_FROM_ENTRY = "../../app/static/"
MIN_LINES, MAX_LINES = 12, 40  # the editor grows with its text between these, then scrolls

_HTML = """
<div class="gtf-editor">
  <div class="gtf-editor-host"><pre class="gtf-editor-waiting"></pre></div>
  <div class="gtf-editor-bar">
    <button type="button" class="gtf-editor-run" title="Run the checks (Ctrl+Enter)">▶ Run</button>
  </div>
</div>
"""

_CSS = """
.gtf-editor-waiting, .gtf-editor-fallback {
  margin: 0; padding: 4px 8px 8px 34px; min-height: 252px; max-height: 848px; overflow: auto;
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

_JS = """
export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  const root = parentElement.querySelector(".gtf-editor");
  if (!root || root.dataset.mounted) return;  // mounted: the text is the learner's now
  root.dataset.mounted = "1";
  const host = root.querySelector(".gtf-editor-host");
  const runButton = root.querySelector(".gtf-editor-run");
  host.querySelector(".gtf-editor-waiting").textContent = data.code;
  let lastSent = data.code;
  const sendText = (text) => {
    if (text !== lastSent) { lastSent = text; setStateValue("code", text); }
  };
  const run = (text) => { lastSent = text; setTriggerValue("run", text); };
  let editor = null;
  runButton.addEventListener("click", () => { if (editor) run(editor.getValue()); });

  const plainTextBox = (why) => {
    const box = document.createElement("textarea");
    box.className = "gtf-editor-fallback";
    box.value = data.code;
    box.spellcheck = false;
    box.addEventListener("blur", () => sendText(box.value));
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
    editor = { getValue: () => box.value, setValue: (text) => { box.value = text; } };
    root.gtfEditor = editor;
  };

  // From Streamlit's own entry module, as utils/preload.py asks for it: one address, one module.
  const entry = document.querySelector('script[type="module"][src*="/static/js/index."]');
  const url = entry ? new URL(data.moduleFromEntry + data.module, entry.src)
                    : new URL("app/static/" + data.module, document.baseURI);
  import(url.href).then(({ createEditor }) => {
    host.replaceChildren();
    editor = createEditor(host, {
      doc: data.code, placeholder: data.placeholder, minLines: data.minLines,
      maxLines: data.maxLines, onRun: run, onBlur: sendText,
    });
    root.gtfEditor = editor;
  }).catch((err) => plainTextBox(String((err && err.message) || err)));
}
"""

_component = st.components.v2.component("gtf_code_editor", html=_HTML, css=_CSS, js=_JS,
                                        isolate_styles=False)


@cache
def module_url_name() -> str:
    """The bundle's name with its content's hash as a query, so a browser never runs a stale
    copy of it after an update."""
    digest = hashlib.sha256(BUNDLE.read_bytes()).hexdigest()[:12] if BUNDLE.exists() else "none"
    return f"{MODULE}?v={digest}"


@dataclass(frozen=True)
class EditorEvent:
    """What the learner did in the editor since the last run: left it with new text, or ran it."""
    text: str
    run: bool


def _nothing() -> None:
    """A callback, so that Streamlit keeps the editor's state and reruns when it changes."""


def code_editor(code: str, *, key: str, placeholder: str = "Write your answer here"
                ) -> EditorEvent | None:
    """Draw an editor holding `code` (read when it mounts). Returns the learner's run (Run or
    Ctrl+Enter) on the rerun it causes, else the text they left it with if that is new, else
    None."""
    result = _component(
        key=key, default={"code": None}, on_code_change=_nothing, on_run_change=_nothing,
        data={"code": code, "module": module_url_name(), "moduleFromEntry": MODULE_FROM_ENTRY, "placeholder": placeholder,
              "minLines": MIN_LINES, "maxLines": MAX_LINES})
    ran = getattr(result, "run", None)
    if ran is not None:
        return EditorEvent(text=ran, run=True)
    left = getattr(result, "code", None)
    if left is not None and left != code:
        return EditorEvent(text=left, run=False)
    return None
