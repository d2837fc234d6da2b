// The what-if panel: a weight control for every node and indicator, the aggregation method
// of every node, the default method and the penalty k; the pairs as `--set` text, the
// command that reproduces them, the scores as CSV, effective weights before and after.
//
// Every control writes `--set` pairs into the state; the state's pairs are the what-if (the
// URL carries them). Controls show the values the pairs resolve to.

import { h, replace, uid } from "../dom.js";
import { fmtF64 } from "../fmt.js";
import { at } from "../model.js";
import { scoreRows, toCsv } from "../scores.js";
import { computeCommand, parsePair } from "../sets.js";
import {
  OFFERED_METHODS,
  defaultMethod,
  effectiveWeights,
  methodOf,
  publishedValue,
  resolve,
} from "../whatif.js";

/** The pairs with `path`'s replaced by `path=text` (in place), or removed when text is null. */
export function withPair(sets, path, text) {
  const pathOf = (s) => parsePair(s).path;
  const out = [];
  let placed = false;
  for (const s of sets) {
    if (pathOf(s) !== path) out.push(s);
    else if (!placed && text != null) {
      out.push(`${path}=${text}`);
      placed = true;
    }
  }
  if (!placed && text != null) out.push(`${path}=${text}`);
  return out;
}

export function whatifView({ m, t, store, readValue }) {
  const controls = []; // {sync(st)} for each control
  const status = h("p", { class: "status", attrs: { role: "status" } });
  const problems = h("div", { class: "problems", attrs: { role: "alert" } });
  const pairs = h("ul", { class: "pairs" });
  const summary = h("p", { class: "summary" });
  const command = h("textarea", { attrs: { readonly: true, rows: 3, spellcheck: "false", "aria-label": t("whatif.command") } });
  const copied = h("span", { class: "copied", attrs: { "aria-live": "polite" } });
  const effective = h("tbody");
  const example = h("code");
  const methodsExample = h("code");

  const el = h(
    "aside",
    { class: "whatif", attrs: { "aria-labelledby": "whatif-title" } },
    h("h2", { attrs: { id: "whatif-title" }, text: t("whatif.title") }),
    h("p", { class: "intro", text: t("whatif.intro") }),
    status,
    problems,
    summary,
    h("button", { attrs: { type: "button" }, text: t("whatif.reset"), on: { click: () => store.set({ sets: [] }) } }),
    h("h3", { text: t("whatif.pairs") }),
    pairs,
    addPair(),
    h("h3", { text: t("whatif.command") }),
    command,
    h(
      "div",
      { class: "actions" },
      h("button", { attrs: { type: "button" }, text: t("whatif.copy"), on: { click: copy } }),
      h("button", { attrs: { type: "button" }, text: t("whatif.download"), on: { click: download } }),
      copied,
    ),
    h("h3", { text: t("whatif.weights") }),
    defaultsControls(),
    h("ul", { class: "tree" }, nodeItem(0)),
    h(
      "details",
      { class: "effective", on: { toggle: (e) => e.target.open && effectiveRows(store.whatif.resolved.st) } },
      h("summary", { text: t("whatif.effective") }),
      h(
        "table",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { attrs: { scope: "col" }, text: t("whatif.effective.element") }),
            h("th", { attrs: { scope: "col" }, text: t("whatif.effective.before") }),
            h("th", { attrs: { scope: "col" }, text: t("whatif.effective.after") }),
          ),
        ),
        effective,
      ),
    ),
    h("p", { class: "not-offered", text: t("whatif.not_offered") }),
    h("pre", {}, example),
    h("p", { class: "not-offered", text: t("whatif.not_offered_methods") }),
    h("pre", {}, methodsExample),
  );

  function set(path, text) {
    store.set({ sets: withPair(store.state.sets, path, text) });
  }

  /** A weight (or k): the pair is dropped when the value is the published one. */
  function setNumber(path, v) {
    if (!Number.isFinite(v)) return;
    set(path, v === publishedValue(m, path) ? null : fmtF64(v));
  }

  function addPair() {
    const id = uid("pair");
    const input = h("input", { attrs: { id, type: "text", spellcheck: "false", placeholder: t("whatif.add.hint") } });
    const add = () => {
      const text = input.value.trim();
      if (text === "") return;
      store.set({ sets: [...store.state.sets, text] });
      input.value = "";
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") add();
    });
    return h(
      "div",
      { class: "add" },
      h("label", { attrs: { for: id }, text: t("whatif.add") }),
      input,
      h("button", { attrs: { type: "button" }, text: t("whatif.add.button"), on: { click: add } }),
    );
  }

  function numberInput(label, path, { min = 0 } = {}) {
    const id = uid("num");
    const input = h("input", {
      attrs: { id, type: "number", min, step: "any", inputmode: "decimal", "data-path": path },
      on: { change: (e) => e.target.value !== "" && setNumber(path, Number(e.target.value)) },
    });
    return { input, label: h("label", { attrs: { for: id }, text: label }) };
  }

  /** A weight: a slider and a number field, kept in step. */
  function weightControl(e, path) {
    const name = e.name || e.code;
    const { input, label } = numberInput(t("whatif.weight", { name }), path);
    const max = Math.max(4, 2 * e.weight);
    const slider = h("input", {
      attrs: { type: "range", min: 0, max, step: max / 80, "aria-label": t("whatif.weight", { name }), "data-path": path },
      on: { input: (ev) => setNumber(path, Number(ev.target.value)) },
    });
    controls.push({
      sync: (st) => {
        const w = st.weights[e.id];
        if (document.activeElement !== input) input.value = Number.isFinite(w) ? String(w) : "";
        if (document.activeElement !== slider) slider.value = String(Math.min(w, max));
      },
    });
    const fitted = e.weight_why ? h("span", { class: "fitted", text: t("whatif.fitted") }) : null;
    return h("span", { class: "weight" }, label, slider, input, fitted);
  }

  /** A method menu (and p, for the generalised mean) writing `prefix.method` / `prefix.p`. */
  function methodControl(label, prefix, current, published, { plain = false, fixed = null } = {}) {
    const id = uid("method");
    const offered = OFFERED_METHODS.includes(published.method) ? OFFERED_METHODS : [published.method, ...OFFERED_METHODS];
    const select = h(
      "select",
      { attrs: { id, "data-path": `${prefix}.method` } },
      offered.map((k) =>
        h("option", { attrs: { value: k }, text: OFFERED_METHODS.includes(k) ? t(`method.${k}`) : t("method.fixed", { method: k }) }),
      ),
    );
    const p = numberInput(t("whatif.p", { name: label }), `${prefix}.p`, { min: null });
    const pBox = h("span", { class: "p" }, p.label, p.input);
    select.addEventListener("change", () => {
      let sets = withPair(withPair(store.state.sets, `${prefix}.method`, null), `${prefix}.p`, null);
      const chosen = select.value;
      const now = current(resolve(m, sets, readValue).st);
      if (!now || now.method !== chosen || (chosen === "generalised" && now.p === undefined)) {
        sets = withPair(sets, `${prefix}.method`, chosen);
        if (chosen === "generalised") sets = withPair(sets, `${prefix}.p`, p.input.value || "2");
      }
      store.set({ sets });
    });
    p.input.addEventListener("change", () => {
      if (p.input.value !== "") set(`${prefix}.p`, fmtF64(Number(p.input.value)));
    });
    controls.push({
      sync: (st) => {
        const now = current(st);
        if (document.activeElement !== select) select.value = now ? now.method : published.method;
        pBox.hidden = select.value !== "generalised";
        if (document.activeElement !== p.input && now && now.p !== undefined) p.input.value = String(now.p);
      },
    });
    return h(
      "span",
      { class: "method" },
      h("label", { attrs: { for: id }, text: plain ? label : t("whatif.method", { name: label }) }),
      select,
      pBox,
      fixed,
    );
  }

  /** Why node `e` is not recomputed, and the command to add a what-if's pairs to. */
  function fixedNote(e) {
    if (e.live !== false) return null;
    return h(
      "span",
      { class: "fixed", attrs: { "data-code": e.code } },
      t("whatif.fixed", { why: e.why }),
      h("code", { text: computeCommand(m.json.command, []) }),
    );
  }

  function defaultsControls() {
    const box = h("div", { class: "defaults" });
    const d = m.json.defaults_aggregate;
    const published = { method: d && typeof d.method === "string" ? d.method : "arithmetic" };
    box.append(
      methodControl(t("whatif.defaults_method"), "defaults.aggregate", (st) => {
        const name = defaultMethod(st);
        const p = st.defaults?.get("p");
        return name ? { method: name, p: p && p.number } : null;
      }, published, { plain: true }),
    );
    if (m.hasExpert) {
      const k = numberInput(t("whatif.penalty"), "expert.penalty.k");
      controls.push({
        sync: (st) => {
          if (document.activeElement !== k.input) k.input.value = String(st.k);
        },
      });
      box.append(h("span", { class: "penalty" }, k.label, k.input));
    }
    return box;
  }

  function nodeItem(id) {
    const e = m.elements[id];
    const name = e.name || e.code;
    const kids = e.children.map((c) => m.elements[c]);
    const nodes = kids.filter((k) => k.kind === "node");
    const indicators = kids.filter((k) => k.kind === "indicator");
    return h(
      "li",
      {},
      h("span", { class: "name" }, name, h("span", { class: "code", text: ` ${e.code}` })),
      e.parent != null ? weightControl(e, `node.${e.code}.weight`) : null,
      methodControl(name, `node.${e.code}.aggregate`, (st) => methodOf(m, st, id), e.aggregate, { fixed: fixedNote(e) }),
      nodes.length ? h("ul", {}, nodes.map((k) => nodeItem(k.id))) : null,
      indicators.length
        ? h(
            "details",
            {},
            h("summary", { text: t("whatif.indicators", { name, count: indicators.length }) }),
            h(
              "ul",
              {},
              indicators.map((k) =>
                h(
                  "li",
                  {},
                  h("span", { class: "name" }, k.name || k.code, h("span", { class: "code", text: ` ${k.code}` })),
                  weightControl(k, `indicator.${k.code}.weight`),
                ),
              ),
            ),
          )
        : null,
    );
  }

  async function copy() {
    command.select();
    try {
      await navigator.clipboard.writeText(command.value);
      copied.textContent = t("whatif.copied");
    } catch {
      copied.textContent = document.execCommand && document.execCommand("copy") ? t("whatif.copied") : t("whatif.copy_failed");
    }
  }

  function download() {
    const r = store.current();
    if (!r) return;
    const blob = new Blob([toCsv(scoreRows(m, r))], { type: "text/csv" });
    const a = h("a", { attrs: { href: URL.createObjectURL(blob), download: "scores.csv" } });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 0);
  }

  function update(state, whatif) {
    const { resolved, result, failure } = whatif;
    for (const c of controls) c.sync(resolved.st);
    const active = state.sets.length > 0;
    status.textContent = active ? t("whatif.active", { count: state.sets.length }) : t("whatif.published");
    const msgs = [];
    if (resolved.errors.length || failure) {
      msgs.push(h("p", { text: t("whatif.error") }));
      const list = resolved.errors.map((e) => h("li", { text: e }));
      if (failure) list.push(h("li", { text: `${failure.unit} ${failure.year} ${failure.code}: ${failure.message}` }));
      msgs.push(h("ul", {}, list));
    }
    for (const u of resolved.unsupported) msgs.push(h("p", { text: t("whatif.unsupported", { path: u.path }) }));
    for (const r of resolved.refused) {
      const what = r.beneath ? r.beneath : t("whatif.refused.self");
      msgs.push(h("p", { class: "refused", text: t("whatif.refused", { code: r.code, why: r.why, what }) }));
    }
    replace(problems, msgs);
    problems.hidden = msgs.length === 0;
    replace(
      pairs,
      state.sets.map((s) =>
        h(
          "li",
          {},
          h("code", { text: s }),
          h("button", {
            attrs: { type: "button", "aria-label": t("whatif.remove", { pair: s }) },
            text: "×",
            on: { click: () => store.set({ sets: state.sets.filter((x) => x !== s) }) },
          }),
        ),
      ),
    );
    command.value = computeCommand(m.json.command, state.sets);
    example.textContent = computeCommand(m.json.command, withPair(state.sets, "defaults.normalise.method", "zscore"));
    const top = m.elements[0].code;
    methodsExample.textContent = computeCommand(m.json.command, withPair(state.sets, `node.${top}.aggregate.method`, "mpi"));
    summary.textContent = result && active ? changes(state, result) : "";
    // Drawn when shown: a closed table costs nothing on each slider move.
    if (effective.closest("details").open) effectiveRows(resolved.st);
  }

  function changes(state, r) {
    const y = m.years.indexOf(state.year), e = m.byCode.get(state.node);
    let moved = 0, crossed = 0;
    for (let u = 0; u < m.nu; u++) {
      if (m.screened[y * m.nu + u]) continue;
      const i = at(m, y, e, u);
      if (r.ranks[i] !== m.baseline.ranks[i]) moved += 1;
      if (r.bands[i] !== m.baseline.bands[i]) crossed += 1;
    }
    return t("whatif.summary", { moved, crossed, node: state.node, year: state.year });
  }

  function effectiveRows(st) {
    const before = effectiveWeights(m, Float64Array.from(m.elements, (e) => e.weight));
    const after = effectiveWeights(m, st.weights);
    const pct = (v) => (Number.isFinite(v) ? `${t.number(100 * v, 1)} %` : t("value.missing"));
    // Beneath fitted weights the declared ones say nothing: weights.csv has the fitted ones.
    const fitted = new Uint8Array(m.ne);
    for (const e of m.elements.slice(1)) fitted[e.id] = e.weight_why || fitted[e.parent] ? 1 : 0;
    replace(
      effective,
      m.elements.slice(1).map((e) =>
        h(
          "tr",
          { class: e.kind },
          h("th", { attrs: { scope: "row" } }, e.name || e.code, h("span", { class: "code", text: ` ${e.code}` })),
          h("td", { class: "num", text: fitted[e.id] ? t("whatif.effective.fitted") : pct(before[e.id]) }),
          h("td", { class: "num", text: fitted[e.id] ? t("whatif.effective.fitted") : pct(after[e.id]) }),
        ),
      ),
    );
  }

  return { el, update };
}
