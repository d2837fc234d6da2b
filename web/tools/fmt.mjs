// Reads doubles as 16-digit hex bit patterns, one a line, on standard input; writes each as
// fmt.js formats it. The Rust test tests/explore/js.rs compares the lines with fmt_f64.
import { readFileSync } from "node:fs";
import { fmtF64 } from "../src/fmt.js";

const view = new DataView(new ArrayBuffer(8));
const out = [];
for (const line of readFileSync(0, "utf8").split("\n")) {
  if (!line) continue;
  view.setBigUint64(0, BigInt(`0x${line}`));
  out.push(fmtF64(view.getFloat64(0)));
}
process.stdout.write(out.join("\n") + "\n");
