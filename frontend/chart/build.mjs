// Bundle chart.js (2D charts) and chart3d.js (adds 3D) with the exact plotly.js in
// package-lock.json into minified ES modules in static/: gtf_plotly.js, gtf_plotly_3d.js and the
// chunk they share (gtf_plotly_shared.<hash>.js: plotly.js's core, loaded once for both), with
// the licences of every package in them beside them.
//     cd frontend/chart && npm ci && node build.mjs
// The first line of each entry module records a hash of chart.js, chart3d.js, this file and
// package-lock.json: tests/test_charts.py fails when the committed bundle is older than them.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

const STATIC = "../../static";
const hash = createHash("sha256");
for (const file of ["chart.js", "chart3d.js", "build.mjs", "package-lock.json"])
  hash.update(readFileSync(file));
const header = `// gtf_plotly sources sha256 ${hash.digest("hex")} (built by frontend/chart/build.mjs; licences in gtf_plotly.LICENSES.txt)\n`;
const result = await build({
  entryPoints: { gtf_plotly: "chart.js", gtf_plotly_3d: "chart3d.js" },
  bundle: true, splitting: true, format: "esm", minify: true, write: false, outdir: STATIC,
  chunkNames: "gtf_plotly_shared.[hash]", legalComments: "eof", target: "es2020", metafile: true,
  // As plotly.js's own build (its esbuild-config.js): it is written for a browserify world.
  define: { global: "window", "define.amd": "false" },
  // registry.js imports maplibre's stylesheet for map traces, which these bundles leave out.
  loader: { ".css": "empty" },
});
for (const old of readdirSync(STATIC).filter((f) => f.startsWith("gtf_plotly_shared.")))
  rmSync(`${STATIC}/${old}`);
for (const file of result.outputFiles) {
  const name = basename(file.path);
  writeFileSync(`${STATIC}/${name}`, (name.includes("shared") ? "" : header) + file.text);
  console.log(`static/${name}: ${file.text.length / 1024 | 0} KB`);
}
// The licences of the packages whose code is in the bundles (esbuild's metafile names them; a
// stylesheet loaded as empty adds no code).
const packages = new Set();
for (const output of Object.values(result.metafile.outputs)) {
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (!bytesInOutput || input.endsWith(".css")) continue;
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(match[1]);
  }
}
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const notices = [];
for (const name of [...packages].sort()) {
  const path = `node_modules/${name}`;
  const info = lock.packages[path] || {};
  const file = ["LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "license", "license.md"]
    .map((f) => `${path}/${f}`).find(existsSync);
  notices.push(`${name} ${info.version} (${info.license || "see below"})\n` +
               (file ? readFileSync(file, "utf8") : "(no licence file in the package)\n"));
}
writeFileSync(`${STATIC}/gtf_plotly.LICENSES.txt`, notices.join("\n"));
console.log(`${packages.size} packages`);
