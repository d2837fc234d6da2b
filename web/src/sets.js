// `--set PATH=VALUE` pairs and the URL fragment that carries them (DESIGN: "Where gti
// meets people"): `#view=ranking&year=2024&node=GTI&set=node.P4.weight%3D2,…`, each pair
// percent-encoded, the pairs joined by a literal comma.

/**
 * Splits a pair as the CLI does (src/methodology/overrides.rs `Override::from_str`): at the
 * first `=`, path and value trimmed. Returns {path, value} or {error}.
 */
export function parsePair(text) {
  const eq = text.indexOf("=");
  if (eq < 0) return { error: `'${text}' is not PATH=VALUE` };
  const path = text.slice(0, eq).trim();
  if (path === "" || path.split(".").some((s) => s.trim() === "")) {
    return { error: `'${path}' is not a dotted path such as defaults.normalise.method` };
  }
  const value = text.slice(eq + 1).trim();
  if (value === "") return { error: `--set ${path}= has no value` };
  return { path, value, segments: path.split(".").map((s) => s.trim()) };
}

/**
 * The state a fragment holds: view, year, node, the selected units (`units=XAA,XAB`, each
 * code percent-encoded, joined by a literal comma), the map's colouring (`color=band|score`),
 * the `--set` pairs (as text), and any other keys.
 */
export function parseFragment(hash) {
  const out = { sets: null, units: null, other: {} };
  const text = hash.startsWith("#") ? hash.slice(1) : hash;
  if (text === "") return out;
  for (const part of text.split("&")) {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const raw = eq < 0 ? "" : part.slice(eq + 1);
    if (key === "set") {
      out.sets = raw === "" ? [] : raw.split(",").map(decode);
    } else if (key === "units") {
      out.units = raw === "" ? [] : raw.split(",").map(decode);
    } else if (key === "view" || key === "node" || key === "color") {
      out[key] = decode(raw);
    } else if (key === "year") {
      out.year = Number(decode(raw));
    } else if (key !== "") {
      out.other[key] = decode(raw);
    }
  }
  return out;
}

function decode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The fragment of a state: `#view=…&year=…&node=…&units=…&color=…&set=…` (units, color and
 * set left out when empty or default).
 */
export function formatFragment({ view, year, node, sets, units = [], color = null, other = {} }) {
  const parts = [`view=${encodeURIComponent(view)}`, `year=${year}`, `node=${encodeURIComponent(node)}`];
  if (units.length > 0) parts.push(`units=${units.map(encodeURIComponent).join(",")}`);
  if (color) parts.push(`color=${encodeURIComponent(color)}`);
  for (const [k, v] of Object.entries(other)) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  if (sets.length > 0) parts.push(`set=${sets.map(encodeURIComponent).join(",")}`);
  return `#${parts.join("&")}`;
}

/** The words of a POSIX shell command, each quoted when it needs it. */
export function shellWords(words) {
  return words.map(quote).join(" ");
}

function quote(w) {
  if (/^[A-Za-z0-9_\-.,/:=@%+]+$/.test(w)) return w;
  return `'${w.replaceAll("'", "'\\''")}'`;
}

/** `gti compute -m M -d D… --set PAIR…`: the command that gives the what-if's numbers. */
export function computeCommand(command, sets) {
  const words = ["gti", "compute", "-m", command.methodology];
  for (const d of command.data) words.push("-d", d);
  for (const s of sets) words.push("--set", s);
  return shellWords(words);
}
