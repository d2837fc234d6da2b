// The page's state (view, year, node, the what-if's `--set` pairs, search and sort), kept in
// the URL fragment, and the what-if computed from it. Views subscribe and redraw.

import { formatFragment, parseFragment } from "./sets.js";
import { recompute } from "./recompute.js";
import { resolve } from "./whatif.js";

/** The views the page has; the first is the default. */
export const VIEWS = ["ranking"];

/** The state a fragment describes, with defaults for what it leaves out or gets wrong. */
export function stateFrom(m, hash) {
  const f = parseFragment(hash);
  const node = m.byCode.get(f.node);
  return {
    view: VIEWS.includes(f.view) ? f.view : VIEWS[0],
    year: m.years.includes(f.year) ? f.year : m.years[m.years.length - 1],
    node: node !== undefined && m.elements[node].kind === "node" ? f.node : m.elements[0].code,
    // No fragment at all: the what-if `gti explore --set` was given; else the fragment's.
    sets: f.sets ?? (hash.replace(/^#/, "") === "" ? [...m.json.command.sets] : []),
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

export class Store {
  constructor(m, readValue, hash) {
    this.m = m;
    this.readValue = readValue;
    this.listeners = [];
    this.state = stateFrom(m, hash);
    this.whatif = evaluate(m, this.state.sets, readValue);
  }

  subscribe(f) {
    this.listeners.push(f);
  }

  /** Merges `patch` into the state, recomputes when the pairs changed, redraws, updates the URL. */
  set(patch) {
    const setsChanged = patch.sets && patch.sets.join("\n") !== this.state.sets.join("\n");
    this.state = { ...this.state, ...patch };
    if (setsChanged) this.whatif = evaluate(this.m, this.state.sets, this.readValue);
    this.emit();
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
