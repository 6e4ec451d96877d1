// Bundle editor.js and the exact CodeMirror versions in package-lock.json into
// static/gtf_editor.js, one minified ES module, with their licence notices kept.
//     cd frontend/editor && npm ci && node build.mjs
// The first line of the output records a hash of editor.js, this file and package-lock.json:
// tests/test_code_editor.py fails when the committed bundle is older than its sources.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const hash = createHash("sha256");
for (const file of ["editor.js", "build.mjs", "package-lock.json"]) hash.update(readFileSync(file));
const out = "../../static/gtf_editor.js";
const result = await build({
  entryPoints: ["editor.js"], bundle: true, format: "esm", minify: true, write: false,
  legalComments: "eof", target: "es2020",
});
const header = `// gtf_editor sources sha256 ${hash.digest("hex")} (built by frontend/editor/build.mjs; licences in gtf_editor.LICENSES.txt)\n`;
writeFileSync(out, header + result.outputFiles[0].text);
// The bundled packages' licences (all MIT), beside the bundle.
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const notices = [];
for (const [path, info] of Object.entries(lock.packages)) {
  if (!path || info.dev || path.includes("esbuild")) continue;
  const file = ["LICENSE", "LICENSE.md", "LICENSE.txt"].map((f) => `${path}/${f}`).find(existsSync);
  notices.push(`${path.replace("node_modules/", "")} ${info.version} (${info.license || "see below"})\n` +
               (file ? readFileSync(file, "utf8") : "(no licence file in the package)\n"));
}
writeFileSync("../../static/gtf_editor.LICENSES.txt", notices.join("\n"));
console.log(`${out}: ${(header.length + result.outputFiles[0].text.length) / 1024 | 0} KB`);
