// Line charts over the years (d3-scale for the axes, d3-shape for the lines), each with a
// data table beside it (in a <details>): the chart is an image for the eye, the table is the
// same numbers for everyone else. Built with DOM APIs only.

import { scaleLinear } from "d3-scale";
import { line } from "d3-shape";
import { h, s } from "../dom.js";
import { DASHES, SERIES } from "../palette.js";

const W = 560, H = 230, M = { top: 12, right: 16, bottom: 28, left: 48 };

/**
 * A chart of `series` ([{label, values (one per year, NaN: missing), strong}]) over `years`,
 * with its legend and data table. `num(v)` formats a value for people; `title` names it.
 */
export function lineChart({ t, title, years, series, num, domain }) {
  const all = series.flatMap((x) => [...x.values]).filter((v) => !Number.isNaN(v));
  const figure = h("figure", { class: "chart" });
  if (all.length === 0) {
    figure.append(h("figcaption", { text: title }), h("p", { class: "none", text: t("chart.empty") }));
    return figure;
  }
  const [lo, hi] = domain ?? [Math.min(...all), Math.max(...all)];
  const pad = hi > lo ? 0 : 1;
  const y = scaleLinear().domain([lo - pad, hi + pad]).nice().range([H - M.bottom, M.top]);
  const x = scaleLinear()
    .domain(years.length > 1 ? [years[0], years[years.length - 1]] : [years[0] - 1, years[0] + 1])
    .range([M.left, W - M.right]);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "lines", role: "img", "aria-label": title });
  for (const tick of y.ticks(5)) {
    svg.append(
      s("line", { x1: M.left, x2: W - M.right, y1: y(tick), y2: y(tick), class: "grid" }),
      s("text", { x: M.left - 6, y: y(tick), dy: "0.32em", "text-anchor": "end", text: num(tick) }),
    );
  }
  for (const yr of xTicks(years)) {
    svg.append(s("text", { x: x(yr), y: H - M.bottom + 16, "text-anchor": "middle", text: String(yr) }));
  }
  const path = line()
    .defined((d) => !Number.isNaN(d[1]))
    .x((d) => x(d[0]))
    .y((d) => y(d[1]));
  series.forEach((ser, i) => {
    const pts = years.map((yr, k) => [yr, ser.values[k]]);
    const colour = ser.colour ?? SERIES[i % SERIES.length];
    const g = s("g", { class: ser.strong ? "series strong" : "series", stroke: colour, fill: colour });
    g.append(s("path", { d: path(pts) ?? "", fill: "none", "stroke-dasharray": (ser.dash ?? DASHES[i % DASHES.length]) || null }));
    for (const [yr, v] of pts) {
      if (!Number.isNaN(v)) g.append(s("circle", { cx: x(yr), cy: y(v), r: ser.strong ? 3.2 : 2.4 }, s("title", { text: `${ser.label}, ${yr}: ${num(v)}` })));
    }
    svg.append(g);
  });
  figure.append(h("figcaption", { text: title }), svg, legend(series), dataTable(t, title, years, series, num));
  return figure;
}

/** At most 8 year labels, the first and the last always. */
function xTicks(years) {
  if (years.length <= 8) return years;
  const step = Math.ceil((years.length - 1) / 7);
  const out = years.filter((_, i) => i % step === 0);
  if (out[out.length - 1] !== years[years.length - 1]) out.push(years[years.length - 1]);
  return out;
}

function legend(series) {
  return h(
    "ul",
    { class: "legend" },
    series.map((ser, i) => {
      const colour = ser.colour ?? SERIES[i % SERIES.length];
      const sample = s(
        "svg",
        { width: 28, height: 10, "aria-hidden": "true" },
        s("line", { x1: 1, x2: 27, y1: 5, y2: 5, stroke: colour, "stroke-width": ser.strong ? 3 : 2, "stroke-dasharray": (ser.dash ?? DASHES[i % DASHES.length]) || null }),
      );
      return h("li", {}, sample, ser.label);
    }),
  );
}

/** The chart's numbers: a row per year, a column per series. */
export function dataTable(t, title, years, series, num) {
  return h(
    "details",
    { class: "data" },
    h("summary", { text: t("chart.table") }),
    h(
      "table",
      {},
      h("caption", { text: title }),
      h(
        "thead",
        {},
        h("tr", {}, h("th", { attrs: { scope: "col" }, text: t("col.year") }), series.map((ser) => h("th", { attrs: { scope: "col" }, text: ser.label }))),
      ),
      h(
        "tbody",
        {},
        years.map((yr, k) =>
          h("tr", {}, h("th", { attrs: { scope: "row" }, text: String(yr) }), series.map((ser) => h("td", { class: "num", text: num(ser.values[k]) }))),
        ),
      ),
    ),
  );
}
