/**
 * The Python parser of the Python front: tree-sitter's Python grammar (tree-sitter-python's
 * prebuilt `.wasm`) on web-tree-sitter.
 *
 * Why not @lezer/python (the first candidate): on 4,269 real files from openai-python, ollama-python,
 * instructor and langchain-community, lezer 1.1.19 put error nodes in 17 valid files (a bare
 * `yield` statement, parenthesised `with (a as b, c as d):`, `with x as (a, b):`), which would be
 * reported as false parse errors and hide every finding in those files; tree-sitter-python, the
 * grammar GitHub and editors use, parsed all 4,269 without an error at the same speed (~3.6 s for
 * 22 MB) with a 13 ms one-off start-up. web-tree-sitter is WebAssembly: no native build, any OS.
 *
 * Loading is asynchronous once (`loadPythonParser()`); after that `pythonParser()` is synchronous,
 * so facts for import targets can be built on demand while reach analysis runs.
 */
import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";

let loading: Promise<Parser> | undefined;
let loaded: Parser | undefined;

export function loadPythonParser(): Promise<Parser> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    await Parser.init();
    const language = await Language.load(require.resolve("tree-sitter-python/tree-sitter-python.wasm"));
    const parser = new Parser();
    parser.setLanguage(language);
    loaded = parser;
    return parser;
  })();
  return loading;
}

/** The parser, once `loadPythonParser()` has resolved (undefined before). */
export function pythonParser(): Parser | undefined {
  return loaded;
}

/** Indentation levels past which tree-sitter-python's indent scanner fails (errors from ~550, memory corruption of the shared WebAssembly parser near 2,000). CPython itself allows 100. */
export const MAX_INDENT_LEVELS = 500;

/**
 * The file's indentation depth when it is past what the parser handles (undefined otherwise).
 * Checked before parsing: such a file would come back as an empty tree and break the parser for
 * every later file of the run. A cheap scan: only texts with a line indented 500+ columns are
 * measured (an indent stack over the lines, as Python's tokenizer keeps one).
 */
export function tooDeepForParser(text: string): number | undefined {
  if (!/(?:^|\n)[ \t]{500,}\S/.test(text)) return undefined;
  const stack: number[] = [0];
  let max = 0;
  for (const line of text.split("\n")) {
    const m = /^([ \t]*)(\S)/.exec(line);
    if (!m || m[2] === "#") continue;
    const w = m[1].replace(/\t/g, "        ").length;
    while (stack.length > 1 && w < stack[stack.length - 1]) stack.pop();
    if (w > stack[stack.length - 1]) stack.push(w);
    if (stack.length - 1 > max) max = stack.length - 1;
  }
  return max > MAX_INDENT_LEVELS ? max : undefined;
}
