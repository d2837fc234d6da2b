// The map view. Units coded in ISO 3166-1 alpha-3 (when the page carries the world geometry:
// src/geo/) are drawn as a world choropleth, Equal Earth projection (d3-geo, topojson-client);
// small states the 1:110m borders drop are dots, and units with no place on the map are
// listed beside it. Other units (fictional or custom codes, like the GTI example) are a tile
// grid grouped by region. Colour by band or by score; hover or focus shows the value; a click
// (or Enter) opens the unit's profile. The data table below holds the same numbers.

import { geoEqualEarth, geoPath } from "d3-geo";
import { feature } from "topojson-client";
import { h, replace, s, uid } from "../dom.js";
import { fmtF64 } from "../fmt.js";
import { at } from "../model.js";
import { MISSING, bandColours, inkOn, scoreColour } from "../palette.js";
import { applicable } from "../rank.js";
import { COLORINGS } from "../state.js";
import { decimals, elementName, kept, noNumbers, numberText, regionsOf, unitName, viewHeading } from "./common.js";

const WIDTH = 960;

export function mapView({ m, t, store, geo }) {
  const num = numberText(t, decimals(m));
  const colours = bandColours(m.bands, m.index.higher_is);
  const colourId = uid("colour");
  const colouring = h(
    "select",
    { attrs: { id: colourId }, on: { change: (e) => store.set({ color: e.target.value }) } },
    COLORINGS.map((c) => h("option", { attrs: { value: c }, text: t(`map.color.${c}`) })),
  );
  const caption = h("p", { class: "caption" });
  const readout = h("p", { class: "readout", attrs: { "aria-live": "polite" }, text: t("map.hint") });
  const legend = h("div", { class: "map-legend" });
  const canvas = h("div", { class: "map-canvas" });
  const off = h("div", { class: "off-map" });
  const tableBody = h("tbody");
  const el = h(
    "section",
    { class: "view", attrs: { "aria-labelledby": "map-title" } },
    viewHeading(m, t, "map-title", t("view.map")),
    h("div", { class: "controls" }, h("label", { attrs: { for: colourId }, text: t("map.color") }), colouring),
    caption,
    readout,
    canvas,
    legend,
    off,
    h(
      "details",
      { class: "data" },
      h("summary", { text: t("chart.table") }),
      h(
        "table",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["col.unit", "col.region", "col.score", "col.rank", "col.band"].map((k) => h("th", { attrs: { scope: "col" }, text: t(k) })),
          ),
        ),
        tableBody,
      ),
    ),
  );
  const marks = new Map(); // unit index → the element drawn for it (path, circle or tile button)
  let drawn = false;
  let current = null; // {values, bands, ranks} of the shown year and node

  function openProfile(u) {
    const code = m.units[u].code;
    store.set({ view: "profile", units: [code, ...store.state.units.filter((c) => c !== code)] });
  }

  function describe(u) {
    if (!current) return "";
    const v = current.values[u], b = current.bands[u], r = current.ranks[u];
    const parts = [`${unitName(m, u)} (${m.units[u].code})`, Number.isNaN(v) ? t("map.novalue") : num(v)];
    if (r) parts.push(t("map.rank", { rank: r }));
    if (b >= 0) parts.push(m.bands[b].label);
    return parts.join(" · ");
  }

  function show(u) {
    readout.textContent = describe(u);
  }

  function draw() {
    drawn = true;
    if (geo) drawWorld();
    else drawTiles();
  }

  function interactive(mark, u) {
    mark.addEventListener("mouseenter", () => show(u));
    mark.addEventListener("focus", () => show(u));
    mark.addEventListener("click", () => openProfile(u));
    marks.set(u, mark);
  }

  /** The world: one SVG, one tab stop (arrow keys move between units, Enter opens). */
  function drawWorld() {
    const topo = geo.topology;
    const countries = feature(topo, topo.objects.countries).features.filter((f) => f.id !== "ATA");
    const projection = geoEqualEarth().fitWidth(WIDTH, { type: "FeatureCollection", features: countries });
    const path = geoPath(projection);
    const [[, y0], [, y1]] = path.bounds({ type: "FeatureCollection", features: countries });
    const height = Math.ceil(y1 - y0) + 4;
    projection.translate([projection.translate()[0], projection.translate()[1] - y0 + 2]);
    const svg = s("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "world", role: "group", "aria-label": t("map.world") });
    const shapes = s("g", { class: "countries" });
    const dots = s("g", { class: "points" });
    const order = [];
    for (const f of countries) {
      const u = f.id ? m.unitIndex.get(f.id) : undefined;
      const d = path(f);
      if (!d) continue;
      if (u === undefined) {
        shapes.append(s("path", { d, class: "country", fill: MISSING }, s("title", { text: f.properties.name })));
        continue;
      }
      const mark = s("path", { d, class: "country unit", "data-unit": m.units[u].code, tabindex: -1, role: "button" });
      interactive(mark, u);
      shapes.append(mark);
      order.push(u);
    }
    for (const [code, name, lon, lat] of geo.points) {
      const u = m.unitIndex.get(code);
      if (u === undefined) continue;
      const [x, y] = projection([lon, lat]);
      const mark = s("circle", { cx: x, cy: y, r: 3.5, class: "point unit", "data-unit": code, tabindex: -1, role: "button", "data-name": name });
      interactive(mark, u);
      dots.append(mark);
      order.push(u);
    }
    svg.append(shapes, dots);
    order.sort((a, b) => unitName(m, a).localeCompare(unitName(m, b)) || a - b);
    roving(svg, order);
    replace(canvas, svg, h("p", { class: "credit", text: geo.credit }));
  }

  /** Roving focus: one element of the map in the tab order; arrows move it, Enter opens. */
  function roving(svg, order) {
    if (order.length === 0) return;
    let at = 0;
    marks.get(order[0]).setAttribute("tabindex", "0");
    svg.addEventListener("keydown", (e) => {
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -Infinity, End: Infinity }[e.key];
      if (step !== undefined) {
        e.preventDefault();
        marks.get(order[at]).setAttribute("tabindex", "-1");
        at = Number.isFinite(step) ? (at + step + order.length) % order.length : step > 0 ? order.length - 1 : 0;
        const next = marks.get(order[at]);
        next.setAttribute("tabindex", "0");
        next.focus();
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        openProfile(order[at]);
      }
    });
  }

  /** Tiles grouped by region (or one group), each a button. */
  function drawTiles() {
    const regions = regionsOf(m);
    const placed = new Set(regions.flatMap((r) => r.units));
    const rest = m.units.map((_, u) => u).filter((u) => !placed.has(u));
    const groups = [...regions, ...(rest.length ? [{ name: regions.length ? t("map.noregion") : t("map.allunits"), units: rest }] : [])];
    const box = h("div", { class: "tiles" });
    for (const g of groups) {
      const grid = h("div", { class: "tile-grid" });
      for (const u of g.units) {
        const tile = h(
          "button",
          { class: "tile", attrs: { type: "button", "data-unit": m.units[u].code } },
          h("span", { class: "tile-code", text: m.units[u].code }),
          h("span", { class: "tile-name", text: unitName(m, u) }),
          h("span", { class: "tile-value" }),
        );
        interactive(tile, u);
        grid.append(tile);
      }
      box.append(h("section", { class: "tile-region" }, h("h3", { text: g.name }), grid));
    }
    replace(canvas, box);
  }

  function update(state, whatif) {
    const r = whatif.result;
    if (!r) {
      replace(canvas, noNumbers(t));
      drawn = false;
      marks.clear();
      replace(legend);
      replace(off);
      replace(tableBody);
      return;
    }
    if (!drawn) draw();
    const y = m.years.indexOf(state.year), e = m.byCode.get(state.node);
    const bands = applicable(m.bands, state.node);
    const mode = state.color ?? (bands.length ? "band" : "score");
    colouring.value = mode;
    const [lo, hi] = range(r, e);
    const inYear = new Set(kept(m, y));
    current = { values: [], bands: [], ranks: [] };
    for (let u = 0; u < m.nu; u++) {
      const i = at(m, y, e, u);
      const present = inYear.has(u);
      current.values[u] = present ? r.values[i] : NaN;
      current.bands[u] = present ? r.bands[i] : -1;
      current.ranks[u] = present ? r.ranks[i] : 0;
    }
    const colourOf = (u) => {
      const v = current.values[u];
      if (Number.isNaN(v)) return MISSING;
      if (mode === "band") return current.bands[u] >= 0 ? colours[current.bands[u]] : MISSING;
      return scoreColour(v, lo, hi, m.index.higher_is);
    };
    for (const [u, mark] of marks) {
      const fill = colourOf(u);
      const v = current.values[u];
      mark.setAttribute("data-value", Number.isNaN(v) ? "" : fmtF64(v));
      mark.setAttribute("aria-label", describe(u));
      if (mark.tagName === "BUTTON") {
        mark.style.background = fill;
        mark.style.color = inkOn(fill);
        mark.querySelector(".tile-value").textContent = num(v);
      } else {
        mark.setAttribute("fill", fill);
        replace(mark, s("title", { text: describe(u) }));
      }
    }
    caption.textContent = t("map.caption", { node: elementName(m.elements[e]), year: state.year, how: t(`map.color.${mode}`) });
    drawLegend(mode, bands, lo, hi);
    offMap(colourOf);
    tableRows(y, colourOf);
  }

  /** The node's score range over every year (one colour scale for all years). */
  function range(r, e) {
    let lo = Infinity, hi = -Infinity;
    for (let y = 0; y < m.ny; y++) {
      for (const u of kept(m, y)) {
        const v = r.values[at(m, y, e, u)];
        if (!Number.isNaN(v)) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
    }
    return lo <= hi ? [lo, hi] : [0, 1];
  }

  function drawLegend(mode, bands, lo, hi) {
    const swatch = (colour) => {
      const sw = h("span", { class: "swatch", attrs: { "aria-hidden": "true" } });
      sw.style.background = colour;
      return sw;
    };
    const items = [];
    if (mode === "band") {
      for (const b of bands) items.push(h("li", {}, swatch(colours[b.index]), `${b.label} (${edges(b)})`));
    } else {
      const id = uid("ramp");
      const stops = [0, 0.25, 0.5, 0.75, 1].map((k) =>
        s("stop", { offset: k, "stop-color": scoreColour(lo + k * (hi - lo), lo, hi, m.index.higher_is) }),
      );
      const ramp = s(
        "svg",
        { width: 160, height: 14, "aria-hidden": "true" },
        s("defs", {}, s("linearGradient", { id }, stops)),
        s("rect", { width: 160, height: 14, fill: `url(#${id})`, stroke: "#0006" }),
      );
      items.push(h("li", {}, num(lo), ramp, num(hi)));
    }
    items.push(h("li", {}, swatch(MISSING), t("map.novalue")));
    replace(legend, h("ul", { class: "legend" }, items));
  }

  /** A band's edges: "20.00–40.00", "< 0.550", "≥ 0.800". */
  function edges(b) {
    const lo = Number.isFinite(b.min), hi = Number.isFinite(b.max);
    if (lo && hi) return `${num(b.min)}–${num(b.max)}`;
    if (hi) return `< ${num(b.max)}`;
    return lo ? `\u2265 ${num(b.min)}` : "";
  }

  /** Units with no place on the world map (no geometry, or a code the map does not know). */
  function offMap(colourOf) {
    if (!geo) return replace(off);
    const missing = m.units.map((_, u) => u).filter((u) => !marks.has(u));
    if (missing.length === 0) return replace(off);
    replace(
      off,
      h("h3", { text: t("map.offmap") }),
      h(
        "ul",
        { class: "off-list" },
        missing.map((u) => {
          const sw = h("span", { class: "swatch", attrs: { "aria-hidden": "true" } });
          sw.style.background = colourOf(u);
          return h(
            "li",
            { attrs: { "data-unit": m.units[u].code, "data-value": Number.isNaN(current.values[u]) ? "" : fmtF64(current.values[u]) } },
            sw,
            `${describe(u)}`,
          );
        }),
      ),
    );
  }

  function tableRows(y, colourOf) {
    const order = kept(m, y).sort((a, b) => (current.ranks[a] || Infinity) - (current.ranks[b] || Infinity) || a - b);
    replace(
      tableBody,
      order.map((u) => {
        const b = current.bands[u];
        const sw = h("span", { class: "swatch", attrs: { "aria-hidden": "true" } });
        sw.style.background = colourOf(u);
        return h(
          "tr",
          {},
          h("th", { attrs: { scope: "row" } }, h("button", { class: "link", attrs: { type: "button" }, text: unitName(m, u), on: { click: () => openProfile(u) } })),
          h("td", { text: m.units[u].region ?? "" }),
          h("td", { class: "num" }, sw, ` ${num(current.values[u])}`),
          h("td", { class: "num", text: current.ranks[u] ? String(current.ranks[u]) : t("value.missing") }),
          h("td", { text: b >= 0 ? m.bands[b].label : "" }),
        );
      }),
    );
  }

  return { el, update };
}
