// Accuracy classes from real code (../shared/accuracy: false-positives.md, misses.md), one case
// per reproduction: a false positive stays clean, its `keep-*` twin and each miss stay reported
// at the exact place.
import { RuleTester } from "@typescript-eslint/rule-tester";
import rule from "../../rules/no-unbounded-loop.js";

const ruleTester = new RuleTester();

ruleTester.run("no-unbounded-loop", rule, {
  valid: [
    // FP L1: a nested loop's try/catch (skip this item) is no retry of the outer loop
    { code: `// class: L1 — a try/catch of a nested inner loop (skip this item, \`continue\`) is taken for the outer loop's retry path
// rule: no-unbounded-loop
// expected: none
interface Page { items: string[]; more: boolean }
declare const index: { page(offset: number, size: number): Promise<Page> };
declare function readDoc(id: string): Promise<string>;
declare function write(text: string): Promise<void>;

export async function exportAll() {
  let offset = 0;
  while (true) {
    const page = await index.page(offset, 100);
    for (const id of page.items) {
      let text: string;
      try {
        text = await readDoc(id);
      } catch {
        continue; // skip this document
      }
      await write(text);
    }
    if (!page.more) break;
    offset += 100;
  }
}
`, filename: "file.ts" },
    // FP L2: a fresh item each iteration; the catch skips a bad one
    { code: `// class: L2 — a loop that takes a fresh item every iteration and skips bad ones in its catch is called a retry storm
// rule: no-unbounded-loop
// expected: none
declare const buffer: { readLine(): string | null };
declare function decode(line: string): Promise<unknown>;
declare function emit(msg: unknown): void;

export async function drainBuffer() {
  while (true) {
    const line = buffer.readLine();
    if (line === null) break;
    try {
      emit(await decode(line));
    } catch (error) {
      console.error("bad frame", error);
    }
  }
}
`, filename: "file.ts" },
    // FP L3: a catch that leaves on every branch is no retry
    { code: `// class: L3 — a catch that leaves the loop on every branch (\`if (…) break; else throw\`) is taken for a retry path
// rule: no-unbounded-loop
// expected: none
declare const api: { list(cursor?: string): Promise<{ items: string[]; next?: string }> };
declare function sleep(ms: number): Promise<void>;

export async function listAll() {
  const items: string[] = [];
  let cursor: string | undefined;
  do {
    try {
      const page = await api.list(cursor);
      items.push(...page.items);
      if (!page.next) break;
      cursor = page.next;
    } catch (err) {
      if (items.length > 0) {
        break; // keep what we have
      } else {
        throw err;
      }
    }
    await sleep(2000); // pacing between pages
  } while (true);
  return items;
}
`, filename: "file.ts" },
    // FP L4: deadline-bounded polls (pending status; a filtered not-ready error)
    { code: `// class: L4 — a deadline-bounded poll is reported as a retry: a "pending" status that \`continue\`s to a loop
// whose first statement sleeps ("retries immediately"), or a "not ready yet" error that the catch swallows
// while every other error is rethrown ("constant delay")
// rule: no-unbounded-loop
// expected: none
declare const jobs: { status(id: string): Promise<{ status: string; url?: string }>; result(id: string): Promise<string> };
declare function sleep(ms: number, opts?: { signal?: AbortSignal }): Promise<void>;
class NotReadyError extends Error {}

export async function waitForJob(id: string, signal?: AbortSignal) {
  const start = Date.now();
  while (true) {
    await sleep(1000, { signal });
    if (Date.now() - start > 60_000) throw new Error("job timed out");
    const job = await jobs.status(id);
    if (job.status === "pending") continue;
    return job;
  }
}

export async function waitForResult(id: string) {
  const start = Date.now();
  while (true) {
    try {
      return await jobs.result(id);
    } catch (e) {
      if (!(e instanceof NotReadyError)) throw e;
    }
    if (Date.now() - start > 60_000) throw new Error("result timed out");
    await sleep(1000);
  }
}
`, filename: "file.ts" },
    // FP L5: a long-poll (since: version) is no hot loop; a response's closed flag is no stop flag
    { code: `// class: L5 — a long-poll request (the server holds it open until something changes) is called a hot loop
// rule: no-unbounded-loop
// expected: none
declare function post(path: string, body: unknown): Promise<{ closed?: boolean; version: number; settings?: object }>;
declare function reload(settings: object | undefined): Promise<void>;

export async function followSettings(start: number) {
  let version = start;
  for (;;) {
    try {
      const change = await post("/settings/changes", { since: version }); // answered only when the settings change
      if (change.closed) return; // the server shut the channel
      if (change.version === version) continue;
      await reload(change.settings);
      version = change.version;
    } catch (e) {
      console.error("settings watch failed; the supervisor restarts us", e);
      return;
    }
  }
}
`, filename: "file.ts" },
    // FP L6: setInterval awaiting no network work needs no overlap guard
    { code: `// class: L6 — setInterval whose callback awaits no network work (a stored promise, in-memory state) is told to add an overlap guard
// rule: no-unbounded-loop
// expected: none
declare function loadQuotaOnce(): Promise<{ used: number }>;

export class QuotaBadge {
  used = 0;
  private readonly quota = loadQuotaOnce();
  private timer = setInterval(() => this.refresh(), 1000);

  private async refresh() {
    const q = await this.quota;
    this.used = q.used;
  }

  dispose() {
    clearInterval(this.timer);
  }
}
`, filename: "file.ts" },
    // FP L7: an agent loop whose next turn forbids tools is capped
    { code: `// class: L7 — an agent loop whose follow-up turn forbids tool calls (tool_choice "none") is reported as uncapped
// rule: no-unbounded-loop
// expected: none
import OpenAI from "openai";
declare function runTool(name: string, args: string): Promise<string>;

const client = new OpenAI({ timeout: 30_000 });

export async function answerWithOneToolRound(messages: OpenAI.Chat.ChatCompletionMessageParam[], tools: OpenAI.Chat.ChatCompletionTool[]) {
  let toolChoice: "required" | "none" = "required";
  while (true) {
    const res = await client.chat.completions.create({ model: "gpt-4o-mini", messages, tools, tool_choice: toolChoice, temperature: 0, max_tokens: 512 });
    const msg = res.choices[0].message;
    messages.push(msg);
    if (!msg.tool_calls?.length) break;
    for (const call of msg.tool_calls) {
      if (call.type !== "function") continue;
      messages.push({ role: "tool", tool_call_id: call.id, content: await runTool(call.function.name, call.function.arguments) });
    }
    toolChoice = "none"; // the next turn cannot call tools: at most two iterations
  }
  return messages;
}
`, filename: "file.ts" },
  ],
  invalid: [
    // keep L1: the outer loop's own catch that retries at once
    {
      code: `// twin of L1: the outer loop's own catch that retries at once is still a retry storm
// rule: no-unbounded-loop
// expected: report
declare const queue: { receive(): Promise<string> };
declare function handle(msg: string): Promise<void>;

export async function worker() {
  while (true) {
    try {
      await handle(await queue.receive());
    } catch (e) {
      console.error(e);
      continue;
    }
  }
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "noExit", line: 8, column: 3 },
        { messageId: "retryWithoutBackoff", line: 8, column: 3 },
      ],
    },
    // keep L4: a constant-sleep poll with no deadline
    {
      code: `// twin of L4: a constant-sleep poll with no deadline is still reported
// rule: no-unbounded-loop
// expected: report
declare const jobs: { status(id: string): Promise<{ status: string }> };
declare function sleep(ms: number): Promise<void>;

export async function waitForever(id: string) {
  while (true) {
    const job = await jobs.status(id);
    if (job.status !== "pending") return job;
    await sleep(5000);
  }
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "pollWithoutDeadline", line: 8, column: 3 },
      ],
    },
    // M2: no cap quoted from a response flag (keysExpired) or a countdown's floor
    {
      code: `// message problem M2 — the "capped at …" part names something that is no cap: a flag whose name contains
// "expired", or the floor of a countdown (\`left <= 0\` → "capped at \`0\`"); the finding itself is right
// rule: no-unbounded-loop
// expected: report
// message-must-not-match: capped at \`(0|session\\.keysExpired)\`
declare function runOnce(): Promise<{ keysExpired: boolean }>;
declare function delay(ms: number): Promise<void>;

export async function botLoop() {
  do {
    try {
      const session = await runOnce();
      if (session.keysExpired) throw new Error("all keys expired");
      await delay(15_000);
    } catch (err) {
      console.error(err);
      await delay(5000); // constant, and retried forever
    }
  } while (true);
}

export async function withRetry(fn: () => Promise<void>, attempts: number, delayMs: number) {
  let left = attempts;
  while (true) {
    try {
      return await fn();
    } catch (err) {
      if (left <= 0) throw err;
      left -= 1;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "noExit", line: 10, column: 3 },
        { messageId: "retryWithoutBackoff", line: 10, column: 3, data: { loop: "`do … while (true)`", retry: "after a constant delay (`5000`)", leads: "" } },
        { messageId: "retryConstantDelayCapped", line: 24, column: 3, data: { loop: "`while (true)`", delay: "`delayMs`", cap: "`attempts`", leads: "" } },
      ],
    },
    // miss L1: a crawl loop with exits whose network work has no try/catch (8:3); near-misses clean
    {
      code: `import { setTimeout as sleep } from "node:timers/promises";
import { readFile } from "node:fs/promises";

// L1: a bounded task loop (it has exits) whose network work has no try/catch.
export async function mirrorPages(seed: string, signal: AbortSignal): Promise<string[]> {
  const todo = [seed];
  const seen: string[] = [];
  while (true) {
    if (signal.aborted) break;
    const next = todo.pop();
    if (!next) break;
    const res = await fetch(next, { signal: AbortSignal.timeout(5_000) });
    seen.push(await res.text());
    await sleep(250);
  }
  return seen;
}

// near-miss: same loop, the work is wrapped and failures back off
export async function mirrorPagesSafely(seed: string, signal: AbortSignal): Promise<string[]> {
  const todo = [seed];
  const seen: string[] = [];
  let failures = 0;
  while (true) {
    if (signal.aborted) break;
    const next = todo.pop();
    if (!next) break;
    try {
      const res = await fetch(next, { signal: AbortSignal.timeout(5_000) });
      seen.push(await res.text());
      failures = 0;
    } catch {
      failures++;
      await sleep(Math.min(500 * 2 ** failures, 30_000));
      continue;
    }
    await sleep(250);
  }
  return seen;
}

// near-miss: a paging loop over local storage only (no network, no model)
export async function readChunks(files: string[]): Promise<string[]> {
  const out: string[] = [];
  let i = 0;
  while (true) {
    const f = files[i++];
    if (!f) break;
    out.push(await readFile(f, "utf8"));
  }
  return out;
}

// near-miss: a deadline-bounded wait on local state whose errors propagate by design
declare const box: { readText(p: string): Promise<string | null> };
export async function waitForMarker(path: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await box.readText(path);
    if (text?.includes("ready")) return;
    if (Date.now() >= deadline) throw new Error("marker not written in time");
    await sleep(250);
  }
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "noTryCatch", line: 8, column: 3 },
      ],
    },
    // miss L2: camelCase tool-call flags are model exits; tool_calls.length > 0 is no cap
    {
      code: `import OpenAI from "openai";
const llm = new OpenAI({ timeout: 20_000 });

// L2: an agent loop whose only exit is a flag set from the model's tool calls.
// (a) the flag's camelCase spelling hides the tool-call word from the model-exit test;
export async function agent(messages: OpenAI.ChatCompletionMessageParam[]): Promise<void> {
  while (true) {
    let sawToolCall = false;
    const res = await llm.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 500, messages });
    const msg = res.choices[0].message;
    messages.push(msg);
    for (const call of msg.tool_calls ?? []) {
      sawToolCall = true;
      messages.push({ role: "tool", tool_call_id: call.id, content: "ok" });
    }
    if (!sawToolCall) break;
  }
}

// (b) a size test on the model's answer (\`tool_calls.length > 0\`) is taken for an iteration cap.
export async function agentB(messages: OpenAI.ChatCompletionMessageParam[]): Promise<void> {
  while (true) {
    let toolCallsSeen = false;
    const res = await llm.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 500, messages });
    const msg = res.choices[0].message;
    messages.push(msg);
    if (msg.tool_calls && msg.tool_calls.length > 0) {
      toolCallsSeen = true;
      for (const call of msg.tool_calls) messages.push({ role: "tool", tool_call_id: call.id, content: "ok" });
    }
    if (!toolCallsSeen) break;
  }
}

// reported today: neither (a) nor (b)
export async function agentC(messages: OpenAI.ChatCompletionMessageParam[]): Promise<void> {
  while (true) {
    let toolCallsSeen = false;
    const res = await llm.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 500, messages });
    const msg = res.choices[0].message;
    messages.push(msg);
    for (const call of msg.tool_calls ?? []) {
      toolCallsSeen = true;
      messages.push({ role: "tool", tool_call_id: call.id, content: "ok" });
    }
    if (!toolCallsSeen) break;
  }
}

// near-miss: a real iteration cap
export async function agentCapped(messages: OpenAI.ChatCompletionMessageParam[]): Promise<void> {
  for (let turn = 0; ; turn++) {
    if (turn >= 8) throw new Error("agent did not finish in 8 turns");
    let sawToolCall = false;
    const res = await llm.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 500, messages });
    const msg = res.choices[0].message;
    messages.push(msg);
    for (const call of msg.tool_calls ?? []) {
      sawToolCall = true;
      messages.push({ role: "tool", tool_call_id: call.id, content: "ok" });
    }
    if (!sawToolCall) break;
  }
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "agentWithoutCap", line: 7, column: 3 },
        { messageId: "noTryCatch", line: 7, column: 3 },
        { messageId: "agentWithoutCap", line: 22, column: 3 },
        { messageId: "noTryCatch", line: 22, column: 3 },
        { messageId: "agentWithoutCap", line: 37, column: 3 },
        { messageId: "noTryCatch", line: 37, column: 3 },
        { messageId: "noTryCatch", line: 52, column: 3 },
      ],
    },
    // miss L3: job 
    {
      code: `import OpenAI from "openai";
const api = new OpenAI({ timeout: 20_000 });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// L3: polls one job by id until it is ready; the job variable is refreshed from each answer.
export async function waitForIndex(id: string) {
  let job = await api.vectorStores.retrieve(id);
  while (true) {
    job = await api.vectorStores.retrieve(job.id);
    if (job.status === "completed") break;
    await pause(2_000);
  }
  return job;
}

// same poll with a separate result variable: reported today (pollWithoutDeadline)
export async function waitForIndex2(id: string) {
  while (true) {
    const job = await api.vectorStores.retrieve(id);
    if (job.status === "completed") return job;
    await pause(2_000);
  }
}

// near-miss: real pagination, the cursor advances from each page
export async function listAll(): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  while (true) {
    const page = await api.files.list({ after, limit: 100 });
    ids.push(...page.data.map((f) => f.id));
    if (!page.has_more) break;
    after = page.data[page.data.length - 1].id;
    await pause(200);
  }
  return ids;
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "noTryCatch", line: 8, column: 3 },
        { messageId: "pollWithoutDeadline", line: 8, column: 3 },
        { messageId: "noTryCatch", line: 18, column: 3 },
        { messageId: "pollWithoutDeadline", line: 18, column: 3 },
      ],
    },
    // miss L4: a change on a branch that then throws is no progress
    {
      code: `import { setTimeout as sleep } from "node:timers/promises";
import OpenAI from "openai";
const api = new OpenAI({ timeout: 20_000 });
const cooling = new Map<string, boolean>();

// L4: the failure path retries after a constant 10 s; a branch that then throws marks the key
// with map.set(key, …), and because the finally reads \`key\`, the whole catch counts as "progress".
export async function complete(prompt: string, key: string) {
  let tries = 0;
  do {
    try {
      const r = await api.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 100, messages: [{ role: "user", content: prompt }] });
      return r.choices[0].message.content;
    } catch (err: any) {
      if (err.status === 504) {
        if (++tries <= 2) {
          await sleep(10_000);
          continue;
        }
      }
      cooling.set(key, true);
      throw err;
    } finally {
      if (key) console.debug("done", key);
    }
  } while (true);
}

// the same loop without \`cooling.set(key, true)\`: reported today (retryConstantDelayCapped)
export async function complete2(prompt: string, key: string) {
  let tries = 0;
  do {
    try {
      const r = await api.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 100, messages: [{ role: "user", content: prompt }] });
      return r.choices[0].message.content;
    } catch (err: any) {
      if (err.status === 504) {
        if (++tries <= 2) {
          await sleep(10_000);
          continue;
        }
      }
      throw err;
    } finally {
      if (key) console.debug("done", key);
    }
  } while (true);
}

// near-miss: the failure path really changes the next attempt's input (next model in a list)
const MODELS = ["gpt-4o-mini", "gpt-4o"];
export async function completeWithFallback(prompt: string) {
  let m = 0;
  while (true) {
    try {
      const r = await api.chat.completions.create({ model: MODELS[m], temperature: 0, max_tokens: 100, messages: [{ role: "user", content: prompt }] });
      return r.choices[0].message.content;
    } catch (err) {
      if (++m >= MODELS.length) throw err;
    }
  }
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "retryConstantDelayCapped", line: 10, column: 3 },
        { messageId: "retryConstantDelayCapped", line: 32, column: 3 },
      ],
    },
    // miss L5: 10 * 1000 is a constant delay
    {
      code: `import { setTimeout as sleep } from "node:timers/promises";
import OpenAI from "openai";
const api = new OpenAI({ timeout: 20_000 });

// L5: \`10 * 1000\` is a constant written as a product (a unit conversion), not a growing delay.
export async function complete(prompt: string) {
  let tries = 0;
  while (true) {
    try {
      const r = await api.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 100, messages: [{ role: "user", content: prompt }] });
      return r.choices[0].message.content;
    } catch (err) {
      if (++tries > 3) throw err;
      await sleep(10 * 1000);
    }
  }
}

// reported today: the same delay written as 10_000
export async function complete2(prompt: string) {
  let tries = 0;
  while (true) {
    try {
      const r = await api.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 100, messages: [{ role: "user", content: prompt }] });
      return r.choices[0].message.content;
    } catch (err) {
      if (++tries > 3) throw err;
      await sleep(10_000);
    }
  }
}

// near-miss: a real exponential delay (grows with the attempt count, capped)
export async function complete3(prompt: string) {
  let tries = 0;
  while (true) {
    try {
      const r = await api.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 100, messages: [{ role: "user", content: prompt }] });
      return r.choices[0].message.content;
    } catch (err) {
      if (++tries > 3) throw err;
      await sleep(Math.min(1000 * 2 ** tries, 30_000));
    }
  }
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "retryConstantDelayCapped", line: 8, column: 3 },
        { messageId: "retryConstantDelayCapped", line: 22, column: 3 },
      ],
    },
    // FP L6 (misses.md): an inner for…of continue is no retry; the outer one is
    {
      code: `import OpenAI from "openai";
const api = new OpenAI({ timeout: 20_000 });

// L6 (FP today): the try/catch + \`continue\` belongs to the inner for…of (skip one item),
// not to the outer while (true); the outer loop pages on and breaks when done.
export async function embedAll(pages: () => Promise<{ items: string[]; more: boolean }>) {
  const out: number[][] = [];
  while (true) {
    const { items, more } = await pages();
    for (const text of items) {
      let vec: number[];
      try {
        const r = await api.embeddings.create({ model: "text-embedding-3-small", input: text });
        vec = r.data[0].embedding;
      } catch (err) {
        console.warn("skip", err);
        continue;
      }
      out.push(vec);
    }
    if (!more) break;
  }
  return out;
}

// true positive kept: the same catch + continue directly in the while (true) retries the same page at once
export async function embedAllRetrying(pages: () => Promise<{ items: string[]; more: boolean }>) {
  const out: number[][] = [];
  while (true) {
    let batch;
    try {
      batch = await pages();
    } catch (err) {
      console.warn("retry", err);
      continue;
    }
    out.push(...batch.items.map(() => [0]));
    if (!batch.more) break;
  }
  return out;
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "retryWithoutBackoff", line: 29, column: 3 },
      ],
    },
    // FP L7 (misses.md): catch branches that all leave; the fall-through twin is reported
    {
      code: `import { setTimeout as sleep } from "node:timers/promises";
import OpenAI from "openai";
const api = new OpenAI({ timeout: 20_000 });

// L7 (FP today): every branch of the catch leaves the loop (break or throw): no retry at all.
export async function collect(prompts: string[]) {
  const answers: string[] = [];
  let i = 0;
  do {
    try {
      const r = await api.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 50, messages: [{ role: "user", content: prompts[i] }] });
      answers.push(r.choices[0].message.content ?? "");
      if (++i >= prompts.length) break;
    } catch (err) {
      console.error("stopping", err);
      if (answers.length) {
        break;
      } else {
        throw err;
      }
    }
    await sleep(1_000);
  } while (true);
  return answers;
}

// true positive kept: one branch of the catch falls through to the next iteration after a constant sleep
export async function collect2(prompts: string[]) {
  const answers: string[] = [];
  let i = 0;
  do {
    try {
      const r = await api.chat.completions.create({ model: "gpt-4o-mini", temperature: 0, max_tokens: 50, messages: [{ role: "user", content: prompts[i] }] });
      answers.push(r.choices[0].message.content ?? "");
      if (++i >= prompts.length) break;
    } catch (err) {
      console.error("retrying", err);
      if (answers.length > 100) {
        throw err;
      }
    }
    await sleep(1_000);
  } while (true);
  return answers;
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "retryConstantDelayCapped", line: 31, column: 3 },
      ],
    },
  ],
});
