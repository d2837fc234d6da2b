// The page's entry point: reads the embedded model, builds the header, the views and the
// what-if panel, restores the state from the URL fragment, and exposes window.gti for
// scripts (docs/explore.md: "Scripting the page").

import css from "./style.css";
import { h, replace } from "./dom.js";
import { translator } from "./i18n/index.js";
import { decode } from "./model.js";
import { scoreRows, toCsv } from "./scores.js";
import { Store, VIEWS } from "./state.js";
import { readValue } from "./value.js";
import { compareView } from "./views/compare.js";
import { mapView } from "./views/map.js";
import { profileView } from "./views/profile.js";
import { rankingView } from "./views/ranking.js";
import { regionsView } from "./views/regions.js";
import { whatifView } from "./views/whatif.js";

const VIEW_BUILDERS = { map: mapView, ranking: rankingView, profile: profileView, compare: compareView, regions: regionsView };

/** The world geometry, when the page carries it (units coded in ISO 3166-1 alpha-3). */
function geometry() {
  const el = document.getElementById("gti-geo");
  return el ? JSON.parse(el.textContent) : null;
}

function start() {
  document.head.append(h("style", { text: css }));
  const root = document.getElementById("app");
  const t = translator(document.documentElement.lang);
  document.documentElement.lang = t.lang;
  let m;
  try {
    m = decode(JSON.parse(document.getElementById("gti-model").textContent));
  } catch (e) {
    replace(root, h("p", { class: "notice", text: t("app.error", { message: e.message }) }));
    return;
  }
  const store = new Store(m, readValue, location.hash);
  const ctx = { m, t, store, readValue, geo: geometry() };
  // Views are built when first shown: a page opened on the ranking never lays out the map.
  const views = {};
  const viewOf = (v) => (views[v] ??= VIEW_BUILDERS[v](ctx));
  const panel = whatifView(ctx);
  const main = h("main", { attrs: { id: "main" } });
  replace(root, header(ctx), h("div", { class: "layout" }, main, panel.el), footer(ctx));
  document.title = m.index.name;

  store.subscribe((state, whatif) => {
    const view = viewOf(state.view);
    if (main.firstChild !== view.el) replace(main, view.el);
    view.update(state, whatif);
    panel.update(state, whatif);
    const fragment = store.fragment();
    if (location.hash !== fragment) history.replaceState(null, "", fragment);
  });
  window.addEventListener("hashchange", () => {
    if (location.hash !== store.fragment()) store.load(location.hash);
  });
  window.gti = {
    /** Milliseconds: the last change's recomputation and redrawing, and the first render (docs/performance.md). */
    timings: () => ({ ...store.timings, firstRender }),
    /** The current rows as scores.csv has them (every cell a string), or null when the what-if fails. */
    scores: () => (store.current() ? scoreRows(m, store.current()) : null),
    /** scores.csv's text of the current what-if, or null. */
    csv: () => (store.current() ? toCsv(scoreRows(m, store.current())) : null),
    /** The state: view, year, node, the --set pairs, errors, unsupported pairs and the nodes a what-if would change but the page does not recompute. */
    state: () => ({
      ...store.state,
      errors: [...store.whatif.resolved.errors, ...(store.whatif.failure ? [store.whatif.failure.message] : [])],
      unsupported: store.whatif.resolved.unsupported.map((u) => u.path),
      refused: store.whatif.resolved.refused.map((r) => r.code),
    }),
  };
  store.emit();
  const firstRender = performance.now();
}

function header({ m, t, store }) {
  const json = m.json;
  const year = h(
    "select",
    { attrs: { id: "year" }, on: { change: (e) => store.set({ year: Number(e.target.value) }) } },
    m.years.map((y) => h("option", { attrs: { value: y }, text: String(y) })),
  );
  const node = h(
    "select",
    { attrs: { id: "node" }, on: { change: (e) => store.set({ node: e.target.value }) } },
    m.elements
      .filter((e) => e.kind === "node")
      .map((e) => h("option", { attrs: { value: e.code }, text: `${"\u00a0\u00a0".repeat(e.depth)}${e.name || e.code} (${e.code})` })),
  );
  const nav = h(
    "nav",
    { attrs: { "aria-label": t("nav.label") } },
    VIEWS.map((v) =>
      h("button", { attrs: { type: "button", "data-view": v }, text: t(`view.${v}`), on: { click: () => store.set({ view: v }) } }),
    ),
  );
  store.subscribe((state) => {
    year.value = String(state.year);
    node.value = state.node;
    for (const b of nav.querySelectorAll("button")) b.setAttribute("aria-current", b.dataset.view === state.view ? "page" : "false");
  });
  return h(
    "header",
    {},
    json.fictional ? h("p", { class: "notice", attrs: { role: "note" }, text: t.lang === "en" ? json.fictional : t("app.fictional") }) : null,
    h("h1", { text: json.index.name }),
    h("p", { class: "version", text: `${json.index.code} ${json.index.version}` }),
    h(
      "div",
      { class: "selectors" },
      h("label", { attrs: { for: "year" }, text: t("select.year") }),
      year,
      h("label", { attrs: { for: "node" }, text: t("select.node") }),
      node,
    ),
    nav,
  );
}

function footer({ m, t, geo }) {
  return h(
    "footer",
    {},
    h("p", { text: t("app.generator", { generator: m.json.generator }) }),
    h("p", { text: t("app.credits") }),
    geo ? h("p", { text: geo.credit }) : null,
  );
}

start();
