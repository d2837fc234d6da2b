// Bundles src/main.js (with its npm parts and the stylesheet) into dist/explorer.js: one
// minified, dependency-free script that `gti explore` inlines into the page; and writes
// dist/world.json, the country geometry that pages of ISO-coded units embed (src/geo/). The
// outputs depend only on the sources and the locked packages, so CI rebuilds them and fails
// when the committed files differ (.ci/run).
//
//   npm ci && npm run build          # writes dist/explorer.js and dist/world.json
//   npm run build -- --check         # exit 1 when either is not what the sources give

import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildWorld } from "./src/geo/build-world.js";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const out = here("dist/explorer.js");
const worldOut = here("dist/world.json");
const json = (p) => JSON.parse(readFileSync(here(p), "utf8"));

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

const world = JSON.stringify(
  buildWorld(
    json("node_modules/world-atlas/countries-110m.json"),
    json("node_modules/world-atlas/countries-50m.json"),
    json("node_modules/i18n-iso-countries/codes.json"),
  ),
);

const outputs = [
  [out, text, "web/dist/explorer.js"],
  [worldOut, world, "web/dist/world.json"],
];
if (process.argv.includes("--check")) {
  let stale = false;
  for (const [path, want, name] of outputs) {
    let committed = "";
    try {
      committed = readFileSync(path, "utf8");
    } catch {
      // missing: differs
    }
    if (committed !== want) {
      console.error(`${name} differs from what web/ gives: run \`npm run build\` in web/ and commit it`);
      stale = true;
    } else {
      console.log(`${name} is up to date (${want.length} bytes)`);
    }
  }
  if (stale) process.exit(1);
} else {
  for (const [path, want, name] of outputs) {
    writeFileSync(path, want);
    console.log(`wrote ${name} (${want.length} bytes)`);
  }
}
