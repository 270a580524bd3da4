// `no-unbounded-loop` on Python: the tree-sitter front (rules/python/loop-facts.ts) builds the same
// facts as the TS front and the one decision (rules/core/loop-decision.ts) decides; each Python
// case next to its TS twin gives the same message ids, worded in each language.
import fs from "node:fs";
import path from "node:path";
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { beforeAll, describe, expect, it } from "vitest";
import rule from "../../rules/no-unbounded-loop.js";
import { lintPythonText } from "../../rules/python/lint.js";
import { loadPythonParser } from "../../rules/python/parser.js";

beforeAll(async () => {
  await loadPythonParser();
});

const RULES = { "ghostwatch/no-unbounded-loop": "warn" };
const CASES = path.join(import.meta.dirname, "fixtures", "loops-dev");

function py(text: string): Array<[number, string]> {
  const r = lintPythonText(text, "/tmp/loops_case.py", { rules: RULES });
  if (!r) throw new Error("parser not loaded");
  return r.messages.map((m) => [m.line, m.messageId ?? m.message]);
}
function pyMessages(text: string): string[] {
  return lintPythonText(text, "/tmp/loops_case.py", { rules: RULES })!.messages.map((m) => m.message);
}

const linter = new Linter({ configType: "flat" });
function ts(code: string): Array<[number, string]> {
  const msgs = linter.verify(code, [{ files: ["**/*.ts"], languageOptions: { parser: tsParser }, plugins: { g: { rules: { r: rule as never } } }, rules: { "g/r": "warn" } }], { filename: "file.ts" });
  const fatal = msgs.find((m) => m.fatal);
  if (fatal) throw new Error(fatal.message);
  return msgs.map((m) => [m.line, m.messageId!]);
}
const ids = (xs: Array<[number, string]>) => xs.map((x) => x[1]).sort();

describe("one decision, two fronts: the same case gives the same message ids", () => {
  it("a catch that retries at once", () => {
    const p = py(`import requests

def fetch_forever(url):
    while True:
        try:
            return requests.get(url, timeout=5).json()
        except Exception:
            continue
`);
    const t = ts(`export async function fetchForever(url: string) {
  while (true) {
    try {
      return await (await fetch(url, { signal: AbortSignal.timeout(5000) })).json();
    } catch {
      continue;
    }
  }
}`);
    expect(p).toEqual([[4, "retryWithoutBackoff"]]);
    expect(ids(t)).toEqual(ids(p));
  });

  it("capped attempts at a constant delay", () => {
    const p = py(`import time, requests

def fetch_capped(url):
    attempts = 0
    while True:
        try:
            return requests.get(url, timeout=5).json()
        except requests.RequestException:
            attempts += 1
            if attempts >= 5:
                raise
            time.sleep(5)
`);
    const t = ts(`declare function sleep(ms: number): Promise<void>;
export async function fetchCapped(url: string) {
  let attempts = 0;
  while (true) {
    try {
      return await (await fetch(url, { signal: AbortSignal.timeout(5000) })).json();
    } catch (e) {
      attempts += 1;
      if (attempts >= 5) throw e;
      await sleep(5000);
    }
  }
}`);
    expect(p).toEqual([[5, "retryConstantDelayCapped"]]);
    expect(ids(t)).toEqual(ids(p));
    expect(pyMessages(`import time, requests

def fetch_capped(url):
    attempts = 0
    while True:
        try:
            return requests.get(url, timeout=5).json()
        except requests.RequestException:
            attempts += 1
            if attempts >= 5:
                raise
            time.sleep(5)
`)).toEqual(["`while True` retries after a constant delay (`5`), capped at `5`: the attempts run out before an outage clears."]);
  });

  it("an agent loop with no iteration cap (and its model call outside try)", () => {
    const p = py(`from openai import OpenAI
client = OpenAI(timeout=30)

def agent(messages, tools):
    while True:
        res = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=tools, temperature=0, max_tokens=500)
        msg = res.choices[0].message
        messages.append(msg)
        if not msg.tool_calls:
            return msg.content
        for call in msg.tool_calls:
            messages.append({"role": "tool", "tool_call_id": call.id, "content": "ok"})
`);
    const t = ts(`import OpenAI from "openai";
const client = new OpenAI({ timeout: 30_000 });
export async function agent(messages: any[], tools: any[]) {
  while (true) {
    const res = await client.chat.completions.create({ model: "gpt-4o-mini", messages, tools, temperature: 0, max_tokens: 500 });
    const msg = res.choices[0].message;
    messages.push(msg);
    if (!msg.tool_calls) return msg.content;
    for (const call of msg.tool_calls) messages.push({ role: "tool", tool_call_id: call.id, content: "ok" });
  }
}`);
    expect(p).toEqual([[5, "agentWithoutCap"], [5, "noTryCatch"]]);
    expect(ids(t)).toEqual(ids(p));
    expect(pyMessages(`from openai import OpenAI
client = OpenAI(timeout=30)

def agent(messages, tools):
    while True:
        res = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=tools)
        if not res.choices[0].message.tool_calls:
            return res
`)[1]).toMatch(/^`while True` runs `client\.chat\.completions\.create\(.*with no try\/except around it: one failure \(a timeout, a 429\) ends the loop\.$/);
  });

  it("a poll with a constant sleep and no deadline", () => {
    const p = py(`import time, requests

def wait_for(job_id):
    while True:
        job = requests.get(f"https://api.example.com/jobs/{job_id}", timeout=5).json()
        if job["status"] == "done":
            return job
        time.sleep(2)
`);
    const t = ts(`declare function sleep(ms: number): Promise<void>;
export async function waitFor(id: string) {
  while (true) {
    const job = await (await fetch(\`https://api.example.com/jobs/\${id}\`, { signal: AbortSignal.timeout(5000) })).json();
    if (job.status === "done") return job;
    await sleep(2000);
  }
}`);
    expect(p).toEqual([[4, "noTryCatch"], [4, "pollWithoutDeadline"]]);
    expect(ids(t)).toEqual(ids(p));
  });

  it("a hot loop that swallows everything and never stops", () => {
    const p = py(`import requests

def hammer(url):
    while True:
        try:
            requests.get(url, timeout=5)
        except:
            pass
`);
    const t = ts(`export async function hammer(url: string) {
  while (true) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch {}
  }
}`);
    expect(p).toEqual([[4, "hotLoop"], [4, "noExit"], [4, "retryWithoutBackoff"]]);
    expect(ids(t)).toEqual(ids(p));
    expect(pyMessages(`import requests

def hammer(url):
    while True:
        try:
            requests.get(url, timeout=5)
        except:
            pass
`)[1]).toBe("`while True` has no exit: no break/return/raise and no stop-flag or abort check, so only a kill ends it.");
  });
});

describe("Python loop recall (issue 13)", () => {
  it("a constant-delay daemon poller whose failures fall through to the same sleep", () => {
    expect(py(`import time, logging, requests

def watch(url):
    while True:
        try:
            requests.post(url, json={"ping": 1}, timeout=5).raise_for_status()
        except Exception:
            logging.exception("ping failed")
        time.sleep(30)
`)).toEqual([[4, "retryWithoutBackoff"]]);
  });

  it("a retry loop with no delay", () => {
    expect(py(`import anthropic
client = anthropic.Anthropic()

def ask(prompt):
    while True:
        try:
            return client.messages.create(model="claude-3-5-haiku-latest", max_tokens=100, messages=[{"role": "user", "content": prompt}])
        except anthropic.APIError as e:
            print("retrying", e)
`)).toEqual([[5, "retryWithoutBackoff"]]);
  });

  it("an agent loop that stops on stop_reason, with a near-miss that counts its turns", () => {
    expect(py(`import anthropic
client = anthropic.Anthropic()

def run(messages):
    while True:
        try:
            r = client.messages.create(model="claude-3-5-haiku-latest", max_tokens=500, messages=messages)
        except anthropic.APIError:
            raise
        if r.stop_reason != "tool_use":
            return r
        messages.append({"role": "user", "content": "tool result"})

def run_capped(messages, max_turns=8):
    turns = 0
    while True:
        turns += 1
        if turns > max_turns:
            raise RuntimeError("agent did not finish")
        try:
            r = client.messages.create(model="claude-3-5-haiku-latest", max_tokens=500, messages=messages)
        except anthropic.APIError:
            raise
        if r.stop_reason != "tool_use":
            return r
`)).toEqual([[5, "agentWithoutCap"]]);
  });

  it("flag loops whose flag never changes inside are long-running; a flag set on success is an exit", () => {
    expect(py(`import requests
running = True

def pump(url):
    while running:
        requests.get(url, timeout=5)

def heartbeat(url, stop_event):
    while not stop_event.is_set():
        requests.get(url, timeout=5)
        stop_event.wait(10)

def fetch_once(url):
    import time
    retrying = True
    while retrying:
        try:
            data = requests.get(url, timeout=5).json()
            retrying = False
        except requests.RequestException:
            time.sleep(3)
    return data
`)).toEqual([[5, "noTryCatch"], [5, "hotLoop"], [9, "noTryCatch"], [16, "retryWithoutBackoff"]]);
  });

  it("user-paced loops (input, websocket receive, microphone read) and data loops are not reported", () => {
    expect(py(`import requests
from openai import OpenAI
client = OpenAI(timeout=30)

def repl():
    while True:
        q = input("> ")
        print(client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": q}], temperature=0, max_tokens=100))

async def ws_chat(websocket):
    while True:
        data = await websocket.receive_json()
        reply = client.chat.completions.create(model="gpt-4o-mini", messages=data["messages"], temperature=0, max_tokens=100)
        await websocket.send_json({"reply": reply.choices[0].message.content})

def dictate(stream, CHUNK):
    while True:
        audio = stream.read(CHUNK)
        client.audio.transcriptions.create(model="whisper-1", file=audio)

def crawl(todo):
    while todo:
        url = todo.pop()
        requests.get(url, timeout=5)
`)).toEqual([]);
  });
});

describe("dev-set classes (last session's held-out set): Python recall and precision", () => {
  const read = (f: string) => fs.readFileSync(path.join(CASES, f), "utf8");

  it("an agent loop that leaves only on the model's text, in both fronts", () => {
    const p = py(read("model-text-exit.py"));
    const t = ts(read("model-text-exit.ts"));
    expect(p).toEqual([[11, "agentWithoutCap"], [11, "noTryCatch"]]);
    expect(ids(t)).toEqual(ids(p));
  });

  it("an agent framework's turn guarded only by `except KeyboardInterrupt` has no error handling (keep)", () => {
    expect(py(read("agent-interrupt-only.py"))).toEqual([[6, "noTryCatch"]]);
  });

  it("with an `except Exception` handler the work is guarded; its constant pause is a retry without backoff", () => {
    expect(py(read("agent-interrupt-only.py").replace("        except KeyboardInterrupt:\n            sys.exit(0)\n", "        except KeyboardInterrupt:\n            sys.exit(0)\n        except Exception as e:\n            print(e)\n            time.sleep(interval * 2 ** 3)\n"))).toEqual([[6, "retryWithoutBackoff"]]);
  });

  it("a chat-platform client made before the loop is network work: a constant 1 s retry forever", () => {
    expect(py(read("client-constant-retry.py"))).toEqual([[7, "retryWithoutBackoff"]]);
  });

  it("a paginator whose handler advances the offset the request is built from is no retry (FP)", () => {
    expect(py(read("paginator-skip-page.py"))).toEqual([]);
  });

  it("keep: the same handler that does not advance retries the same page at a constant pace", () => {
    expect(py(read("paginator-skip-page.py").replace("            offset += size\n", '            print("page failed")\n'))).toEqual([[13, "retryConstantDelayCapped"]]);
  });
});
