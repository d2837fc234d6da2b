// The page's state (view, year, node, the what-if's `--set` pairs, search and sort), kept in
// the URL fragment, and the what-if computed from it. Views subscribe and redraw.

import { formatFragment, parseFragment } from "./sets.js";
import { recompute } from "./recompute.js";
import { resolve } from "./whatif.js";

/** The views the page has, in the order of its menu. */
export const VIEWS = ["map", "ranking", "profile", "compare", "regions"];

/** The view a fragment without a (known) view opens. */
export const DEFAULT_VIEW = "ranking";

/** How many units the compare view sets side by side at most. */
export const MAX_COMPARE = 5;

/** How the map colours units. */
export const COLORINGS = ["band", "score"];

/** The state a fragment describes, with defaults for what it leaves out or gets wrong. */
export function stateFrom(m, hash) {
  const f = parseFragment(hash);
  const node = m.byCode.get(f.node);
  return {
    view: VIEWS.includes(f.view) ? f.view : DEFAULT_VIEW,
    year: m.years.includes(f.year) ? f.year : m.years[m.years.length - 1],
    node: node !== undefined && m.elements[node].kind === "node" ? f.node : m.elements[0].code,
    // No fragment at all: the what-if `gti explore --set` was given; else the fragment's.
    sets: f.sets ?? (hash.replace(/^#/, "") === "" ? [...m.json.command.sets] : []),
    // Selected units (profile: the first; compare: up to MAX_COMPARE), known codes only.
    units: [...new Set(f.units ?? [])].filter((c) => m.unitIndex.has(c)).slice(0, MAX_COMPARE),
    // The map's colouring: by band when the node has bands, else by score.
    color: COLORINGS.includes(f.color) ? f.color : null,
    other: f.other,
    search: "",
    sort: { key: "rank", dir: 1 },
  };
}

/** The what-if of `sets`: {resolved, result (null when none), error (null when ok)}. */
export function evaluate(m, sets, readValue) {
  const resolved = resolve(m, sets, readValue);
  if (!resolved.cfg) return { resolved, result: null };
  const result = recompute(m, resolved.cfg);
  return result.error ? { resolved, result: null, failure: result.error } : { resolved, result };
}

const now = () => (typeof performance === "object" ? performance.now() : Date.now());

export class Store {
  constructor(m, readValue, hash) {
    this.m = m;
    this.readValue = readValue;
    this.listeners = [];
    this.state = stateFrom(m, hash);
    const t0 = now();
    this.whatif = evaluate(m, this.state.sets, readValue);
    /** Milliseconds of the last change: recomputation and redrawing (docs/performance.md). */
    this.timings = { recompute: now() - t0, redraw: 0 };
  }

  subscribe(f) {
    this.listeners.push(f);
  }

  /** Merges `patch` into the state, recomputes when the pairs changed, redraws, updates the URL. */
  set(patch) {
    const setsChanged = patch.sets && patch.sets.join("\n") !== this.state.sets.join("\n");
    this.state = { ...this.state, ...patch };
    const t0 = now();
    if (setsChanged) this.whatif = evaluate(this.m, this.state.sets, this.readValue);
    const t1 = now();
    this.emit();
    this.timings = { recompute: setsChanged ? t1 - t0 : 0, redraw: now() - t1 };
  }

  /** Re-reads the whole state from a fragment (the reader edited the URL). */
  load(hash) {
    this.state = stateFrom(this.m, hash);
    this.whatif = evaluate(this.m, this.state.sets, this.readValue);
    this.emit();
  }

  emit() {
    for (const f of this.listeners) f(this.state, this.whatif);
  }

  fragment() {
    return formatFragment(this.state);
  }

  /** Whether the what-if has pairs (the published methodology has none). */
  active() {
    return this.state.sets.length > 0;
  }

  /** The scores shown: the what-if's, or null when it fails. */
  current() {
    return this.whatif.result;
  }
}
