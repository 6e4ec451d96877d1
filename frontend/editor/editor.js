// The page's code editor: CodeMirror 6 with Python, bundled into one ES module
// (static/gtf_editor.js) that utils/code_editor.py's component imports once per page.
// Every editor on a page is drawn in the page itself, not in a frame of its own: a page with 18
// exercises used to load 18 copies of a frame's scripts before it could be read.
// Build: see build.mjs beside this file.
// No automatic closing of brackets and quotes: typed line by line, an auto-closed ")" ends up a
// line below its call and a docstring gains extra quotes, errors a beginner cannot place.

import { Compartment, EditorState, RangeSetBuilder } from "@codemirror/state";
import {
  Decoration, EditorView, ViewPlugin, keymap, lineNumbers, highlightActiveLine,
  highlightActiveLineGutter, drawSelection, placeholder,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  indentOnInput, bracketMatching, syntaxHighlighting, defaultHighlightStyle, indentUnit,
} from "@codemirror/language";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { python } from "@codemirror/lang-python";

const theme = EditorView.theme({
  "&": { fontSize: "14px", border: "1px solid rgba(49, 51, 63, 0.2)", borderRadius: "0.5rem",
         backgroundColor: "#fafafa" },
  "&.cm-focused": { outline: "none", borderColor: "var(--gtf-editor-focus, #d9480f)" },
  ".cm-scroller": { fontFamily: '"Source Code Pro", ui-monospace, monospace', lineHeight: "1.5",
                    overflow: "auto" },
  ".cm-gutters": { backgroundColor: "#f0f2f6", border: "none", color: "#8a8d97" },
  ".cm-content": { paddingBottom: "0.5rem" },
  // The search panel (Ctrl+F), in the page's colours rather than CodeMirror's plain defaults.
  ".cm-panels": { backgroundColor: "#f0f2f6", color: "#31333f", borderRadius: "0 0 0.5rem 0.5rem" },
  ".cm-panels.cm-panels-bottom": { borderTop: "1px solid rgba(49, 51, 63, 0.2)" },
  ".cm-panel.cm-search": { padding: "6px 28px 6px 8px", fontFamily: "var(--st-font, sans-serif)",
                           fontSize: "13px" },
  ".cm-panel.cm-search label": { fontSize: "13px", marginRight: "6px" },
  ".cm-textfield": { fontSize: "14px", padding: "3px 8px", margin: "2px 4px 2px 0",
                     border: "1px solid rgba(49, 51, 63, 0.3)", borderRadius: "0.35rem",
                     backgroundColor: "white" },
  ".cm-button": { backgroundImage: "none", backgroundColor: "white", color: "#31333f",
                  border: "1px solid rgba(49, 51, 63, 0.3)", borderRadius: "0.35rem",
                  padding: "3px 10px", margin: "2px 4px 2px 0", fontSize: "13px",
                  cursor: "pointer" },
  ".cm-button:hover": { borderColor: "var(--gtf-editor-focus, #d9480f)" },
  ".cm-panel.cm-search [name=close]": { fontSize: "18px", right: "8px", top: "4px",
                                         color: "#6b6f7a", cursor: "pointer" },
});

// A long line wraps under its own indentation, not at the left edge: a wrapped docstring line
// stays inside its docstring. Each visible line gets a hanging indent as wide as its leading
// whitespace.
function hangingIndents(view) {
  const builder = new RangeSetBuilder();
  for (const { from, to } of view.visibleRanges) {
    for (let pos = from; pos <= to;) {
      const line = view.state.doc.lineAt(pos);
      const indent = /^[ \t]*/.exec(line.text)[0].length;
      if (indent > 0) {
        builder.add(line.from, line.from, Decoration.line({
          attributes: { style: `text-indent: -${indent}ch; padding-left: calc(${indent}ch + 6px)` },
        }));
      }
      pos = line.to + 1;
    }
  }
  return builder.finish();
}

const wrapUnderIndent = ViewPlugin.fromClass(class {
  constructor(view) { this.decorations = hangingIndents(view); }
  update(update) {
    if (update.docChanged || update.viewportChanged) this.decorations = hangingIndents(update.view);
  }
}, { decorations: (plugin) => plugin.decorations });

/**
 * Draw an editor into `parent`.
 * options: doc (the text), label (its accessible name), placeholder, minLines / maxLines (the
 * editor grows with its text between them, then scrolls), onRun(text) (Ctrl+Enter, and
 * Cmd+Enter on a Mac), onBlur(text) (focus left), onChange(text) (after every edit),
 * editable (default true).
 * Returns { view, getValue(), setValue(text), setEditable(on) }.
 */
export function createEditor(parent, options) {
  const lineHeight = 21; // 14 px * 1.5
  const sizes = EditorView.theme({
    ".cm-content, .cm-gutter": { minHeight: `${options.minLines * lineHeight}px` },
    // + the content's top (4 px) and bottom (0.5rem) padding
    ".cm-scroller": { maxHeight: `${options.maxLines * lineHeight + 12}px` },
  });
  const run = () => { options.onRun(view.state.doc.toString()); return true; };
  const editability = new Compartment();
  const editableAs = (on) => [EditorView.editable.of(on), EditorState.readOnly.of(!on)];
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(),
        history(), indentOnInput(), bracketMatching(),
        highlightSelectionMatches(), indentUnit.of("    "), EditorState.tabSize.of(4),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }), python(),
        EditorView.lineWrapping, wrapUnderIndent, placeholder(options.placeholder || ""),
        EditorView.contentAttributes.of({ "aria-label": options.label || "Code" }),
        keymap.of([
          { key: "Mod-Enter", run, preventDefault: true },
          { key: "Ctrl-Enter", run, preventDefault: true },  // Mod is Cmd on a Mac
          ...defaultKeymap, ...historyKeymap, ...searchKeymap,
          indentWithTab,
        ]),
        EditorView.domEventHandlers({ blur: () => { options.onBlur(view.state.doc.toString()); } }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && options.onChange) options.onChange(update.state.doc.toString());
        }),
        theme, sizes, editability.of(editableAs(options.editable !== false)),
      ],
    }),
  });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    setEditable: (on) => view.dispatch({ effects: editability.reconfigure(editableAs(on)) }),
  };
}
