// Building the page with DOM APIs only: text from data goes in through text nodes and
// attribute values, never through HTML parsing, so a unit named `<img src=x onerror=…>`
// shows as those characters.

/**
 * An element: h("tr", {class: "x", attrs: {"data-unit": code}, on: {click: f}}, child…).
 * Children are nodes, strings (text nodes) or null (skipped); arrays are flattened.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.text != null) el.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) {
    if (v === false || v == null) continue;
    el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const [k, v] of Object.entries(props.props ?? {})) el[k] = v;
  for (const [ev, f] of Object.entries(props.on ?? {})) el.addEventListener(ev, f);
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
}

const SVG = "http://www.w3.org/2000/svg";

/** An SVG element: s("path", {d: "M0 0", class: "x"}, child…); attributes as strings, text via {text}. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === "text") el.textContent = String(v);
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

/** Replaces every child of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

let ids = 0;

/** A fresh id for label/control pairs. */
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}
