/**
 * Text edits for the Python front's fixes and suggestions, in the shape ESLint uses
 * (`{ range, text }`, UTF-16 indices into the file's text, which is what web-tree-sitter's
 * `startIndex`/`endIndex` are): a keyword argument added to a call (`temperature=0`,
 * `timeout=30`), an entry added to a dict literal, keeping the call's layout (one line, or one
 * argument per line with a trailing comma).
 */
import type { Node as TsNode } from "web-tree-sitter";
import { kwarg, namedChildren } from "./facts.js";
import type { PyLlmCall, PyValues } from "./llm-facts.js";

export interface PyEdit {
  range: [number, number];
  text: string;
}

/** `, temperature=0` into the call's argument list; `"temperature": 0` into an inline `options={…}` dict. */
export function addKwargEdit(call: TsNode, path: string[], value: string, text: string, values?: PyValues): PyEdit | undefined {
  const args = call.childForFieldName("arguments");
  if (!args || args.type !== "argument_list") return undefined;
  if (path.length > 1) {
    const container = kwarg(call, path[0]) ?? (path[0] === "generation_config" ? undefined : undefined);
    if (container) {
      if (container.type === "dictionary") return addToBrackets(container, `"${path.slice(1).join(".")}": ${value}`, text);
      if (container.type === "call" && values?.value(container).kind === "object") {
        const inner = container.childForFieldName("arguments");
        return inner ? addToBrackets(inner, `${path.slice(1).join("_")}=${value}`, text) : undefined;
      }
      return undefined;
    }
    return addToBrackets(args, `${path[0]}={"${path.slice(1).join(".")}": ${value}}`, text);
  }
  return addToBrackets(args, `${path[0]}=${value}`, text);
}

/** The suggestion's edit for a call: keyword arguments, or for raw HTTP the JSON body's dict literal. */
export function settingEdit(call: PyLlmCall, path: string[], value: string, text: string, values: PyValues): PyEdit | undefined {
  if (call.url === undefined) return addKwargEdit(call.node, path, value, text, values);
  const body = call.request.kind === "object" ? call.request.node : undefined;
  if (body?.type !== "dictionary") return undefined;
  if (path.length > 1) {
    const pair = namedChildren(body).find((p) => p.type === "pair" && /^["']/.test(p.childForFieldName("key")?.text ?? "") && p.childForFieldName("key")!.text.slice(1, -1) === path[0]);
    const inner = pair?.childForFieldName("value");
    if (inner?.type === "dictionary") return addToBrackets(inner, `"${path.slice(1).join(".")}": ${value}`, text);
    if (pair) return undefined;
    return addToBrackets(body, `"${path[0]}": {"${path.slice(1).join(".")}": ${value}}`, text);
  }
  return addToBrackets(body, `"${path[0]}": ${value}`, text);
}

/** Inserts `item` before the closing bracket of `(…)`/`{…}`, keeping a trailing comma and the layout. */
export function addToBrackets(node: TsNode, item: string, text: string): PyEdit | undefined {
  const close = node.endIndex - 1;
  if (text[close] !== ")" && text[close] !== "}") return undefined;
  const items = namedChildren(node).filter((c) => c.type !== "comment");
  if (!items.length) return { range: [node.startIndex + 1, close], text: item };
  const last = items[items.length - 1];
  let i = last.endIndex;
  while (i < close && /[ \t]/.test(text[i])) i++;
  if (text[i] === ",") {
    // `(a, b,\n)`: a new line in the same style after the comma
    const nl = text.slice(i + 1, close).match(/^[ \t]*\n([ \t]*)/);
    if (nl) {
      const indent = text.slice(text.lastIndexOf("\n", last.startIndex) + 1, last.startIndex).match(/^[ \t]*/)?.[0] ?? "";
      return { range: [i + 1, i + 1], text: `\n${indent}${item},` };
    }
    return { range: [i + 1, i + 1], text: ` ${item},` };
  }
  return { range: [last.endIndex, last.endIndex], text: `, ${item}` };
}


/** `timeout=30` added to an HTTP call (`requests.get(url)` → `requests.get(url, timeout=30)`), for require-request-timeout's fix. */
export function timeoutEdit(call: TsNode, text: string, seconds = 30): PyEdit | undefined {
  return kwarg(call, "timeout") ? undefined : addKwargEdit(call, ["timeout"], String(seconds), text);
}
