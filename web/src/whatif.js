// A what-if: `--set` pairs applied to the published methodology as `gti compute` applies
// them (overrides.rs, then validation: params.rs `Bag::merge`, `aggregate`, `finish`, and
// the weight checks of validate.rs), giving the configuration recompute.js reads.
//
// The page offers only the paths whose effect it can recompute exactly:
//   node.<CODE>.weight, indicator.<CODE>.weight,
//   node.<CODE>.aggregate.method, node.<CODE>.aggregate.p,
//   defaults.aggregate.method, defaults.aggregate.p, expert.penalty.k.
// Any other path is `unsupported` (the page gives the command instead); a pair that would
// make `gti compute` stop is an `error`, and the page shows no numbers for it.
//
// A node the page does not recompute (`live: false` in the model: a non-compensatory method,
// or children's weights fitted from the data) keeps its published scores, which is exact
// only while nothing beneath it changes: a what-if that changes it or anything beneath it
// is `refused` (with the reason; the page gives the command instead).
//
// `readValue` (value.js) is passed in, so that this module's tests need no npm package.

import { parsePair } from "./sets.js";

/** Method names and COINr aliases `gti` accepts for aggregation (params.rs `aggregate`). */
const METHODS = {
  arithmetic: "arithmetic",
  a_amean: "arithmetic",
  mean: "arithmetic",
  geometric: "geometric",
  a_gmean: "geometric",
  harmonic: "harmonic",
  a_hmean: "harmonic",
  generalised: "generalised",
  generalized: "generalised",
  a_genmean: "generalised",
  median: "median",
  min: "min",
  minimum: "min",
  sum: "sum",
};

/**
 * gti's methods that the page does not recompute (`explore::model::live`): each unit's score
 * depends on the other units' children. Names and aliases → the name.
 */
const NOT_RECOMPUTED = {
  mpi: "mpi",
  ci_mpi: "mpi",
  ampi: "ampi",
  ci_ampi: "ampi",
  bod: "bod",
  ci_bod: "bod",
  copeland: "copeland",
  a_copeland: "copeland",
};

/** The aggregation methods the page offers, in the order of its menus. */
export const OFFERED_METHODS = ["arithmetic", "geometric", "harmonic", "generalised", "median", "min", "sum"];

/** params.rs `canonical` for aggregation names: aliases to one name, for "same method?". */
const CANONICAL = {
  a_amean: "arithmetic",
  mean: "arithmetic",
  a_gmean: "geometric",
  a_hmean: "harmonic",
  a_genmean: "generalised",
  generalized: "generalised",
  ci_mpi: "mpi",
  ci_ampi: "ampi",
  ci_bod: "bod",
  a_copeland: "copeland",
};

const CARRY_OVER = ["range", "bounds", "reference_year", "by"];

/** A TOML value as the model carries it (JSON): {kind, …} as value.js returns. */
function fromJson(v) {
  if (typeof v === "string") return { kind: "string", string: v, quoted: true };
  if (typeof v === "number") return { kind: Number.isInteger(v) ? "integer" : "float", number: v };
  return { kind: "other" };
}

function tableFromJson(t) {
  if (t == null) return null;
  return new Map(Object.entries(t).map(([k, v]) => [k, fromJson(v)]));
}

/**
 * Applies `pairs` (texts `PATH=VALUE`, in order) to the published methodology of model `m`.
 * Returns {cfg, unsupported: [{pair, path}], errors: [message]}; `cfg` is null when there are
 * errors or unsupported pairs.
 */
export function resolve(m, pairs, readValue) {
  const st = {
    weights: Float64Array.from(m.elements, (e) => e.weight),
    weightValues: new Map(),
    defaults: tableFromJson(m.json.defaults_aggregate),
    own: m.elements.map((e) => (e.kind === "node" ? tableFromJson(e.own_aggregate) : null)),
    k: m.json.penalty ? m.json.penalty.k : 0,
    kValue: null,
  };
  const unsupported = [], errors = [], refused = [];
  for (const text of pairs) {
    const p = parsePair(text);
    if (p.error) {
      errors.push(p.error);
      continue;
    }
    const problem = apply(m, st, p, readValue);
    if (problem === UNSUPPORTED) unsupported.push({ pair: text, path: p.path });
    else if (problem) errors.push(problem);
  }
  if (errors.length === 0) validate(m, st, errors);
  const fixed = errors.length === 0 ? keepFixed(m, st, refused) : null;
  if (errors.length > 0 || unsupported.length > 0 || refused.length > 0) {
    return { cfg: null, unsupported, errors, refused, st };
  }
  const cfg = {
    weights: st.weights,
    aggregate: st.aggregate,
    minCoverage: Float64Array.from(m.elements, (e) => e.min_coverage ?? 0),
    k: st.k,
    fixed,
  };
  return { cfg, unsupported, errors, refused, st };
}

/** The {method, p} node `id` resolves to in a what-if's state `st`, or null when it cannot. */
export function methodOf(m, st, id) {
  return nodeMethod(`node.${m.elements[id].code}.aggregate`, st.defaults, st.own[id], []);
}

/** The default method (for nodes without their own) in state `st`: its name, or null. */
export function defaultMethod(st) {
  const v = st.defaults?.get("method");
  if (!v) return "arithmetic";
  return v.kind === "string" ? (METHODS[v.string.toLowerCase()] ?? null) : null;
}

/** The published value of a weight or of k, for telling whether a control changed it. */
export function publishedValue(m, path) {
  const seg = path.split(".");
  if (seg[2] === "weight") return m.elements[m.byCode.get(seg[1])].weight;
  if (path === "expert.penalty.k") return m.json.penalty ? m.json.penalty.k : 0;
  return undefined;
}

const UNSUPPORTED = Symbol("unsupported");

/** One pair: UNSUPPORTED, an error message, or null when applied. */
function apply(m, st, p, readValue) {
  const [kind, code, ...rest] = p.segments;
  const value = readValue(p.value);
  if (kind === "node" || kind === "indicator") {
    const id = m.byCode.get(code);
    if (id === undefined || m.elements[id].kind !== kind) {
      return `--set ${p.path}: there is no [${kind}.${code}]`;
    }
    const key = rest.join(".");
    if (key === "weight") {
      st.weightValues.set(id, value);
      st.weights[id] = value.kind === "integer" || value.kind === "float" ? value.number : NaN;
      return null;
    }
    if (kind === "node" && rest.length === 2 && rest[0] === "aggregate" && (rest[1] === "method" || rest[1] === "p")) {
      if (!st.own[id]) st.own[id] = new Map();
      return setKey(st.own[id], rest[1], value, p.value);
    }
    return UNSUPPORTED;
  }
  if (kind === "defaults" && p.segments.length === 3 && code === "aggregate" && (rest[0] === "method" || rest[0] === "p")) {
    if (!st.defaults) st.defaults = new Map();
    return setKey(st.defaults, rest[0], value, p.value);
  }
  if (p.segments.join(".") === "expert.penalty.k") {
    st.kValue = value;
    return null;
  }
  return UNSUPPORTED;
}

/** Sets a key of a method table; a key that held a string keeps being one (overrides.rs). */
function setKey(table, key, value, text) {
  if (value.kind === "bad") return value.message;
  const was = table.get(key);
  const wasString = was && was.kind === "string";
  table.set(key, wasString && value.kind !== "string" ? { kind: "string", string: text, quoted: false } : value);
  return null;
}

/** The checks of validation that a what-if can fail; fills `st.aggregate` and `st.k`. */
function validate(m, st, errors) {
  for (const [id, v] of st.weightValues) {
    const code = m.elements[id].code;
    if (v.kind === "bad") errors.push(v.message);
    else if (v.kind !== "integer" && v.kind !== "float") errors.push(`${m.elements[id].kind}.${code}.weight: ${describe(v)} is not a number`);
    else if (!Number.isFinite(v.number) || v.number < 0) {
      errors.push(`weight of '${code}' is ${v.number}; weights must be finite and >= 0`);
    }
  }
  for (const e of m.elements) {
    if (e.kind !== "node") continue;
    let total = -0;
    for (const c of e.children) total += st.weights[c];
    if (e.children.every((c) => st.weights[c] === 0)) errors.push(`every child of node '${e.code}' has weight 0`);
    else if (!Number.isFinite(total) && !Number.isNaN(total)) {
      errors.push(`the weights of the children of node '${e.code}' add up to more than f64 holds`);
    }
  }
  st.aggregate = m.elements.map((e) => (e.kind === "node" ? nodeMethod(`node.${e.code}.aggregate`, st.defaults, st.own[e.id], errors) : null));
  if (st.kValue) {
    const v = st.kValue;
    if (v.kind === "bad") errors.push(v.message);
    else if (v.kind !== "integer" && v.kind !== "float") errors.push(`expert.penalty.k: ${describe(v)} is not a number`);
    else if (!(Number.isFinite(v.number) && v.number >= 0)) errors.push(`expert.penalty.k is ${v.number}; it must be a number >= 0`);
    else st.k = v.number;
  }
}

function describe(v) {
  return v.kind === "string" ? `"${v.string}"` : "the value";
}

function canonical(v) {
  const name = v && v.kind === "string" ? v.string.toLowerCase() : "";
  return CANONICAL[name] ?? name;
}

/** `Bag::merge` then `params::aggregate` and `finish`: the node's {method, p}, or null. */
export function nodeMethod(what, defaults, own, errors) {
  const items = new Map();
  for (const [k, v] of defaults ?? []) items.set(k, { v, fromDefault: true, carried: false });
  if (own) {
    const o = own.get("method"), d = items.get("method");
    const changes = o !== undefined && (d === undefined || canonical(o) !== canonical(d.v));
    if (changes) {
      for (const k of [...items.keys()]) {
        if (CARRY_OVER.includes(k)) items.get(k).carried = true;
        else items.delete(k);
      }
    }
    for (const [k, v] of own) items.set(k, { v, fromDefault: false, carried: false });
  }
  const method = items.get("method");
  items.delete("method");
  let name = "arithmetic";
  if (method) {
    const s = method.v.kind === "string" ? method.v.string : "";
    if (s === "") {
      errors.push(`${what}.method must be a string`);
    } else {
      name = s.toLowerCase();
    }
  }
  const fixed = NOT_RECOMPUTED[name];
  if (fixed) {
    // Its own keys are gti's to check (the page shows the published scores); `p` is not one.
    const p = items.get("p");
    if (p && !p.fromDefault) errors.push(`${what}: unknown key \`p\``);
    return p && !p.fromDefault ? null : { method: fixed, fixed: true };
  }
  const resolved = METHODS[name];
  let out = { method: resolved ?? "arithmetic" };
  const before = errors.length;
  if (!resolved) {
    errors.push(`${what}: unknown method '${name}'`);
  } else if (resolved === "generalised") {
    const p = items.get("p");
    items.delete("p");
    if (!p) errors.push(`${what} needs \`p\``);
    else if ((p.v.kind !== "integer" && p.v.kind !== "float") || !Number.isFinite(p.v.number)) {
      errors.push(`${what}.p must be a finite number`);
    } else out = { method: "generalised", p: p.v.number };
  }
  for (const [k, item] of items) {
    if (item.carried) continue;
    if (!(item.fromDefault && k === "p")) errors.push(`${what}: unknown key \`${k}\``);
  }
  return errors.length === before ? out : null;
}

/**
 * Each element's effective weight in the index (`Framework::effective_weights`): its weight
 * and its ancestors', each renormalised among its siblings.
 */
export function effectiveWeights(m, weights) {
  const eff = new Float64Array(m.ne);
  eff[0] = 1;
  for (let id = 1; id < m.ne; id++) {
    const p = m.elements[id].parent;
    let total = -0;
    for (const c of m.elements[p].children) total += weights[c];
    eff[id] = (eff[p] * weights[id]) / total;
  }
  return eff;
}

/** Whether `a` and `b` ({method, p}) are the same aggregation. */
function sameMethod(a, b) {
  return a != null && b != null && a.method === b.method && (a.p ?? null) === (b.p ?? null);
}

/** Whether node `id`'s children's weights are fitted from the data (the model marks them). */
export function fittedWeights(m, id) {
  return m.elements[id].children.some((c) => m.elements[c].weight_why);
}

/**
 * The nodes the page does not recompute in this what-if (1: keep the published scores), and
 * in `refused` every change that would alter such a node's scores: its method, anything
 * beneath it, or the penalty k where an expert indicator lies beneath it. Exact by
 * construction: a node kept is one whose published scores the what-if cannot change.
 */
function keepFixed(m, st, refused) {
  const fixed = new Uint8Array(m.ne);
  const k0 = m.json.penalty ? m.json.penalty.k : 0;
  for (const e of m.elements) {
    if (e.kind !== "node") continue;
    const now = st.aggregate[e.id];
    if (!now.fixed && !fittedWeights(m, e.id)) continue;
    const code = e.code;
    if (e.live !== false) {
      refused.push({ code, why: `the page does not recompute ${now.method}: it compares the units with each other` });
      continue;
    }
    fixed[e.id] = 1;
    if (!sameMethod(now, e.aggregate)) {
      refused.push({ code, why: e.why });
      continue;
    }
    const changed = beneath(m, e.id).find((d) => {
      const el = m.elements[d];
      return st.weights[d] !== el.weight || (el.kind === "node" && !sameMethod(st.aggregate[d], el.aggregate));
    });
    if (changed !== undefined) {
      refused.push({ code, why: e.why, beneath: m.elements[changed].code });
    } else if (st.k !== k0 && [e.id, ...beneath(m, e.id)].some((d) => m.elements[d].source === "expert")) {
      refused.push({ code, why: e.why, beneath: "expert.penalty.k" });
    }
  }
  return fixed;
}

/** Every element beneath node `id`. */
function beneath(m, id) {
  const out = [];
  const walk = (n) => {
    for (const c of m.elements[n].children) {
      out.push(c);
      walk(c);
    }
  };
  walk(id);
  return out;
}
