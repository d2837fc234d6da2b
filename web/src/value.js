// A `--set` VALUE read as the CLI reads it: a TOML value, or, when the text is not one, a
// bare word taken as a string (src/methodology/overrides.rs). TOML is read by smol-toml.
//
// Only the kinds of value the page's paths take are read here: numbers (integers and
// floats, in TOML's syntax) and strings (quoted, or bare words). A value of any other kind
// (array, table, boolean, date, multi-line string) is returned as {kind: "other"}: every path
// the page offers then fails in `gti compute` too, and the page says so.

import { parse } from "smol-toml";

const DEC = "[0-9](?:_?[0-9])*";
const INT = `[+-]?(?:0|[1-9](?:_?[0-9])*)`;
const NUMBER = new RegExp(
  `^(?:${INT}(?:\\.${DEC})?(?:[eE][+-]?${DEC})?|[+-]?(?:inf|nan)|0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*)$`,
);
const STRING = /^(?:"(?:[^"\\\u0000-\u001f\u007f]|\\.)*"|'[^'\u0000-\u0008\u000a-\u001f\u007f]*')$/;
const I64_MIN = -(2n ** 63n), I64_MAX = 2n ** 63n - 1n;

/**
 * Reads `text` (already trimmed). Returns {kind: "integer" | "float", number},
 * {kind: "string", string, quoted}, {kind: "other"}, or {kind: "bad", message} for a
 * number TOML refuses (out of the 64-bit range).
 */
export function readValue(text) {
  let doc;
  try {
    doc = parse(`v = ${text}`, { integersAsBigInt: true });
  } catch {
    doc = null;
  }
  const keys = doc ? Object.keys(doc) : [];
  const v = keys.length === 1 && keys[0] === "v" ? doc.v : undefined;
  if (NUMBER.test(text) && v !== undefined) {
    if (typeof v === "bigint") {
      if (v < I64_MIN || v > I64_MAX) return { kind: "bad", message: `${text} is out of range for a 64-bit integer` };
      return { kind: "integer", number: Number(v) };
    }
    if (typeof v === "number") return { kind: "float", number: v };
  }
  if (STRING.test(text) && typeof v === "string") return { kind: "string", string: v, quoted: true };
  if (doc === null && !/[\r\n]/.test(text)) return { kind: "string", string: text, quoted: false };
  return { kind: "other" };
}
