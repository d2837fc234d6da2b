// Bundles src/main.js (with smol-toml and the stylesheet) into dist/explorer.js: one
// minified, dependency-free script that `gti explore` inlines into the page. The output
// depends only on the sources and the locked esbuild version, so CI rebuilds it and fails
// when the committed file differs (.ci/run).
//
//   npm ci && npm run build          # writes dist/explorer.js
//   npm run build -- --check         # exit 1 when dist/explorer.js is not what the sources give

import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const out = here("dist/explorer.js");

const result = await build({
  entryPoints: [here("src/main.js")],
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  minify: true,
  // Licence headers (smol-toml's BSD-3-Clause notice) stay in the bundle.
  legalComments: "eof",
  charset: "utf8",
  loader: { ".css": "text" },
  write: false,
  logLevel: "warning",
});
const text = result.outputFiles[0].text;

// The bundle is inlined in a <script> element: it must not close it, nor open a comment
// that would change how the browser finds its end.
for (const bad of ["</script", "<!--", "<script"]) {
  if (text.toLowerCase().includes(bad)) {
    console.error(`dist/explorer.js would contain ${bad}: the page could not inline it`);
    process.exit(1);
  }
}

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(out, "utf8");
  } catch {
    // missing: differs
  }
  if (committed !== text) {
    console.error("web/dist/explorer.js differs from what web/src gives: run `npm run build` in web/ and commit it");
    process.exit(1);
  }
  console.log(`web/dist/explorer.js is up to date (${text.length} bytes)`);
} else {
  writeFileSync(out, text);
  console.log(`wrote dist/explorer.js (${text.length} bytes)`);
}
