// require-llm-schema on Python: misses fixed on the dev set (streamed tool-call arguments handed to a
// same-file dispatcher and spread as **kwargs, model text returned by a same-file helper, a fallback
// reassigned in `except`, a guard that protects one branch only). The real front on real text,
// exact findings pinned; each reported case has a clean twin (validated the way the docs allow).
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { lintPythonText } from "../../rules/python/lint.js";
import { loadPythonParser } from "../../rules/python/parser.js";

beforeAll(async () => {
  await loadPythonParser();
});

type Msg = { ruleId: string | null; line: number; column: number; message: string; messageId?: string };
const pick = (m: Msg) => [m.ruleId?.replace("ghostwatch/", ""), m.line, m.column, m.messageId, m.message];
const lint = (text: string) => (lintPythonText(text, "/proj/agent.py", { preset: "strict" })!.messages as Msg[]).filter((m) => m.ruleId === "ghostwatch/require-llm-schema");
const fixture = (name: string) => readFileSync(path.join(__dirname, "fixtures/schema", name), "utf8");
const FIX = "Validate it first, e.g. `Model.model_validate(json.loads(…))` (pydantic), or let the provider enforce one (`client.beta.chat.completions.parse(response_format=Model)`).";
const UNVALIDATED = (what: string, source: string, use: string, line: number) => `json.loads of ${what} (${source}) is ${use} (line ${line}) with no schema check: a malformed or hallucinated field flows straight into the code. ${FIX}`;

describe("require-llm-schema (Python): data followed over statements and functions", () => {
  it("streamed tool-call arguments (`arguments += delta…arguments`) handed to a dispatcher and spread as **kwargs", () => {
    const t = fixture("stream_tool.py");
    expect(lint(t).map(pick)).toEqual([["require-llm-schema", 18, 30, "unvalidated", UNVALIDATED("tool-call arguments", "arguments", "passed to TOOLS[name]()", 18)]]);
    // clean twin: the arguments validated by a pydantic model before the call
    expect(lint(t.replace("return TOOLS[name](**json.loads(arguments))", "return TOOLS[name](**Args.model_validate(json.loads(arguments)).model_dump())"))).toEqual([]);
    // clean twin: a model class built from the spread validates (`Args(**json.loads(…))`)
    expect(lint(t.replace("return TOOLS[name](**json.loads(arguments))", "return Args(**json.loads(arguments))"))).toEqual([]);
  });

  it("model text returned by a same-file helper; a fallback reassigned in `except`; a guard inside one branch", () => {
    const t = fixture("helper_return.py");
    expect(lint(t).map(pick)).toEqual([
      ["require-llm-schema", 17, 20, "unvalidated", UNVALIDATED("model output", "ask(q)", "read (.get)", 20)],
      ["require-llm-schema", 24, 12, "unvalidated", UNVALIDATED("model output", "ask(q)", 'read (["tool"])', 25)],
    ]);
    // clean twins: validated by pydantic; a dominating guard that raises; the one read inside `if "k" in args:`
    const fixed = t
      .replace("decision = json.loads(ask(q))", "decision = Decision.model_validate(json.loads(ask(q))).model_dump()")
      .replace('    args = json.loads(ask(q))\n', '    args = json.loads(ask(q))\n    if not isinstance(args, dict) or "tool" not in args:\n        raise ValueError(args)\n');
    expect(lint(fixed)).toEqual([]);
    const guardedRead = 'import json\nimport anthropic\n\nclient = anthropic.Anthropic()\n\ndef f(q):\n    r = client.messages.create(model="m", max_tokens=9, temperature=0, messages=[])\n    args = json.loads(r.content[0].text)\n    if "path" in args:\n        return args["path"]\n    return None\n';
    expect(lint(guardedRead)).toEqual([]);
    // its twin: a second read outside the guarded branch stays reported
    expect(lint(guardedRead.replace("    return None\n", "    return args['query']\n")).map((m) => [m.line, m.messageId])).toEqual([[8, "unvalidated"]]);
  });

  it("a text without the model on any path stays clean (a helper returning a config file, a parameter nobody passes model output to)", () => {
    const t = 'import json\nimport openai\n\ndef load(p):\n    with open(p) as f:\n        return f.read()\n\ndef run(p, arguments):\n    cfg = json.loads(load(p))\n    return cfg["x"], json.loads(arguments)["y"]\n\nrun("a.json", "{}")\n';
    expect(lint(t)).toEqual([]);
  });

  it("a fallback parse in `except`, returned only when `isinstance` holds, is checked; returned as is, it is not", () => {
    const t = 'import json\nfrom openai import OpenAI\n\nc = OpenAI()\n\ndef ask(q):\n    text = c.chat.completions.create(model="gpt-4o", messages=[], temperature=0, max_tokens=9).choices[0].message.content\n    try:\n        parsed = json.loads(text)\n    except json.JSONDecodeError:\n        parsed = None\n    return cast(dict, parsed) if isinstance(parsed, dict) else None\n';
    expect(lint(t)).toEqual([]);
    expect(lint(t.replace(" if isinstance(parsed, dict) else None", "")).map((m) => [m.line, m.messageId])).toEqual([[9, "unvalidated"]]);
  });
});

describe("require-llm-schema (Python): Chat Completions tool tables that no call in the file receives", () => {
  const table = 'from pydantic import BaseModel\n\nclass Function(BaseModel):\n    cmd: str\n\n    @classmethod\n    def openai_schema(cls):\n        return {\n            "type": "function",\n            "function": {"name": "run_shell", "description": "", "parameters": {"type": "object", "properties": {"cmd": {"type": "string"}}}},\n        }\n';
  it("a raw tool returned by a helper is reported on the dict; with `\"strict\": True` it is clean", () => {
    expect(lint(table).map(pick)).toEqual([["require-llm-schema", 8, 16, "toolTableNotStrict", 'Function tool "run_shell" in openai_schema() is a raw JSON schema without `"strict": True`: the model may send arguments that do not match it. Add `"strict": True` (and `"additionalProperties": False`).']]);
    expect(lint(table.replace('"name": "run_shell",', '"name": "run_shell", "strict": True,'))).toEqual([]);
  });
  it("not in a file that sends tools to Ollama (no `strict` there); a tool passed in `tools=` is decided by the call check", () => {
    expect(lint("import ollama\n" + table + "\nr = ollama.chat(model='llama3', messages=[], tools=[Function.openai_schema()], options={'temperature': 0, 'num_predict': 9})\n")).toEqual([]);
    const passed = 'from openai import OpenAI\nc = OpenAI()\nr = c.chat.completions.create(model="gpt-4o", messages=[], temperature=0, max_tokens=9, tools=[{"type": "function", "function": {"name": "s", "parameters": {"type": "object"}}}])\n';
    expect(lint(passed).map((m) => [m.line, m.messageId])).toEqual([[3, "toolNotStrict"]]);
  });
});
