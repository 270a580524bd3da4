import { RuleTester } from "@typescript-eslint/rule-tester";
import rule from "../../rules/no-unbounded-loop.js";

const ruleTester = new RuleTester();

// The incident's loop (examples/zombie-agent/src/runner.ts), reduced.
const incident = `
async function runNextExperiment(queue: string[]): Promise<void> {
  const res = await fetch("http://localhost:11434/api/generate", { method: "POST", body: queue.shift() });
  console.log(await res.text());
}
export async function main(queue: string[]): Promise<void> {
  while (true) {
    await runNextExperiment(queue);
    await new Promise((r) => setTimeout(r, 300_000));
  }
}
`;

const incidentFixed = `
async function runNextExperiment(queue: string[]): Promise<void> {
  const res = await fetch("http://localhost:11434/api/generate", { method: "POST", body: queue.shift() });
  console.log(await res.text());
}
export async function main(queue: string[]): Promise<void> {
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  process.once("SIGTERM", () => stop.abort());
  let errorCount = 0;
  let result: unknown;
  while (!stop.signal.aborted) {
    try {
      result = await runNextExperiment(queue);
      errorCount = 0;
    } catch (error) {
      errorCount += 1;
      const backoffMs = Math.min(60_000 * 2 ** errorCount, 900_000);
      console.error(\`loop failed (\${errorCount} in a row), retrying in \${backoffMs} ms\`, error);
      await new Promise((r) => setTimeout(r, backoffMs));
      continue;
    }
    await new Promise((r) => setTimeout(r, result ? 300_000 : 2 * 300_000));
  }
}
`;

const incidentLeads = " (reaching localhost:11434 (file.ts:3))";

ruleTester.run("no-unbounded-loop", rule, {
  valid: [
    // The incident's fixed form (what the suggestion produces) passes its own rule.
    incidentFixed,
    // Stream reader: reads until done (the naive rule's main false positive).
    `
    async function readAll(res: Response) {
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return text;
    }`,
    // Iterator protocol by hand, `result.done`.
    `
    async function drain(it: AsyncIterator<string>) {
      for (;;) {
        const result = await it.next();
        if (result.done) return;
        console.log(result.value);
      }
    }`,
    // SSE-style reader with the read result tested directly.
    `
    async function* lines(stream: ReadableStream<Uint8Array>) {
      const reader = stream.getReader();
      try {
        while (true) {
          const chunk = await reader.read();
          if (chunk.done) break;
          yield chunk.value;
        }
      } finally {
        reader.releaseLock();
      }
    }`,
    // for await over a stream is not an unbounded loop at all.
    `
    import OpenAI from "openai";
    const client = new OpenAI();
    export async function stream(prompt: string) {
      const s = await client.chat.completions.create({ model: "gpt-4o", stream: true, messages: [{ role: "user", content: prompt }] });
      for await (const chunk of s) process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
    }`,
    // REPL paced by the user (readline question).
    `
    import readline from "node:readline/promises";
    import OpenAI from "openai";
    const openai = new OpenAI();
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    async function repl() {
      while (true) {
        const line = await rl.question("> ");
        const r = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: line }] });
        console.log(r.choices[0].message.content);
      }
    }`,
    // REPL paced by prompts/inquirer.
    `
    import inquirer from "inquirer";
    async function chat(agent: { run(q: string): Promise<string> }) {
      while (true) {
        const { q } = await inquirer.prompt([{ name: "q", message: "You:" }]);
        console.log(await agent.run(q));
      }
    }`,
    `
    import { text, isCancel } from "@clack/prompts";
    async function chat(agent: { run(q: string): Promise<string> }) {
      for (;;) {
        const q = await text({ message: "Ask" });
        console.log(await agent.run(String(q)));
      }
    }`,
    // Agent loop with an iteration cap and its model call in try/catch.
    `
    import OpenAI from "openai";
    const openai = new OpenAI();
    const MAX_STEPS = 10;
    export async function agent(messages: any[]) {
      let steps = 0;
      while (true) {
        if (++steps > MAX_STEPS) throw new Error("agent did not finish in " + MAX_STEPS + " steps");
        let res;
        try {
          res = await openai.chat.completions.create({ model: "gpt-4o", messages, tools: [] });
        } catch (err) {
          return "model unavailable: " + String(err);
        }
        const msg = res.choices[0].message;
        messages.push(msg);
        if (!msg.tool_calls?.length) return msg.content;
        for (const call of msg.tool_calls) messages.push({ role: "tool", tool_call_id: call.id, content: "ok" });
      }
    }`,
    // Agent loop bounded by its own condition: not an unbounded loop.
    `
    async function agent(client: any, messages: any[], maxTurns = 8) {
      for (let turn = 0; turn < maxTurns; turn++) {
        const res = await client.messages.create({ model: "claude", max_tokens: 1024, messages });
        if (res.stop_reason !== "tool_use") return res;
      }
    }`,
    // Polling with a deadline.
    `
    async function waitForRun(client: any, id: string) {
      const deadline = Date.now() + 120_000;
      while (true) {
        const run = await client.beta.threads.runs.retrieve(id);
        if (run.status === "completed") return run;
        if (Date.now() > deadline) throw new Error("run " + id + " timed out");
        await new Promise((r) => setTimeout(r, 1000));
      }
    }`,
    // Polling with an attempt cap.
    `
    async function waitReady(url: string) {
      let attempts = 0;
      while (true) {
        const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
        if (res.ok) return;
        if (attempts++ >= 30) throw new Error("not ready");
        await sleep(2000);
      }
    }
    declare function sleep(ms: number): Promise<void>;`,
    // Retry loop with capped exponential backoff.
    `
    async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
      let attempt = 0;
      while (true) {
        try {
          return await fn();
        } catch (err) {
          if (++attempt > 5) throw err;
          const delay = Math.min(500 * 2 ** attempt, 30_000);
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    }`,
    // Retry loop whose delay grows by *= and is capped by an if.
    `
    async function connectForever(signal: AbortSignal) {
      let delay = 1000;
      while (!signal.aborted) {
        try {
          await fetch("https://example.com/health", { signal });
          delay = 1000;
        } catch {
          await sleep(delay);
          delay *= 2;
          if (delay > 60_000) delay = 60_000;
        }
      }
    }
    declare function sleep(ms: number): Promise<void>;`,
    // A retry library counts as backoff.
    `
    import pRetry from "p-retry";
    async function worker(signal: AbortSignal) {
      for (;;) {
        try {
          await pRetry(() => fetch("https://api.example.com/jobs"), { retries: 5 });
        } catch (e) {
          console.error(e);
          continue;
        }
        if (signal.aborted) break;
        await sleep(10_000);
      }
    }
    declare function sleep(ms: number): Promise<void>;`,
    // Daemon with the full immune system and a stop flag.
    `
    class Worker {
      private stopped = false;
      stop() { this.stopped = true; }
      async run() {
        let errors = 0;
        while (true) {
          if (this.stopped) return;
          try {
            await this.tick();
            errors = 0;
          } catch (e) {
            errors++;
            await sleep(Math.min(1000 * 2 ** errors, 60_000));
            continue;
          }
          await sleep(5000);
        }
      }
      async tick() { await fetch("https://example.com"); }
    }
    declare function sleep(ms: number): Promise<void>;`,
    // A condition that changes is not an unbounded loop.
    `
    async function paginate(client: any) {
      let cursor: string | undefined;
      const all = [];
      do {
        const page = await client.list({ cursor });
        all.push(...page.data);
        cursor = page.next;
      } while (cursor);
      return all;
    }`,
    // Pagination inside while (true) exits on data and needs no pause or try/catch.
    `
    async function listAll(client: any) {
      const out = [];
      let after: string | undefined;
      while (true) {
        const page = await client.models.list({ after });
        out.push(...page.data);
        if (!page.has_more) break;
        after = page.last_id;
      }
      return out;
    }`,
    // A synchronous parser loop: no await, no network.
    `
    function parse(buf: string) {
      const events = [];
      while (true) {
        const i = buf.indexOf("\\n\\n");
        if (i === -1) break;
        events.push(buf.slice(0, i));
        buf = buf.slice(i + 2);
      }
      return events;
    }`,
    // Generator loop: paced and ended by its consumer.
    `
    async function* ticks(client: any) {
      while (true) {
        yield await client.status();
        await new Promise((r) => setTimeout(r, 1000));
      }
    }`,
    // Queue consumer: blocks on the queue, catches per job, stops on signal.
    `
    async function consume(queue: { take(): Promise<string> }, signal: AbortSignal) {
      while (true) {
        const job = await queue.take();
        try {
          await fetch("https://api.example.com/jobs/" + job, { method: "POST", signal });
        } catch (e) {
          console.error(e);
          await sleep(Math.min(2 ** 3 * 1000, 10_000));
        }
      }
    }
    declare function sleep(ms: number): Promise<void>;`,
    // setInterval with an overlap guard.
    `
    let running = false;
    setInterval(async () => {
      if (running) return;
      running = true;
      try {
        await fetch("http://localhost:11434/api/tags");
      } finally {
        running = false;
      }
    }, 30_000);`,
    // setInterval with sync work.
    `setInterval(() => console.log("alive"), 1000);`,
    // Interval re-created on reconnect, but the old one is cleared first.
    `
    class Conn {
      private timer?: ReturnType<typeof setInterval>;
      connect(ws: any) {
        ws.on("open", () => {
          clearInterval(this.timer);
          this.timer = setInterval(() => ws.ping(), 10_000);
        });
      }
    }`,
    // The option turns the interval checks off.
    {
      code: `setInterval(async () => { await fetch("https://example.com/poll"); }, 5000);`,
      options: [{ checkIntervals: false }],
    },
    // Corpus FP (@anthropic-ai/sdk file-store): walking up a directory tree in the catch is
    // progress, not a retry of the same call.
    `
    import fsp from "node:fs/promises";
    import path from "node:path";
    async function makeDirAndAncestors(dir: string) {
      const missing: string[] = [];
      let current = dir;
      for (;;) {
        try {
          await fsp.stat(current);
          break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        }
        missing.push(current);
        const parent = path.dirname(current);
        if (parent === current) break;
        current = parent;
      }
    }`,
    // Corpus FP (@anthropic-ai/sdk memory tool): same, inside the catch.
    `
    import fs from "node:fs/promises";
    import path from "node:path";
    async function validateNoSymlinkEscape(targetPath: string, root: string) {
      let current = targetPath;
      while (true) {
        try {
          const resolved = await fs.realpath(current);
          return path.join(resolved, path.relative(current, targetPath));
        } catch (err: any) {
          if (err.code !== "ENOENT") throw err;
          const parent = path.dirname(current);
          if (parent === current) return targetPath;
          current = parent;
        }
      }
    }`,
    // Corpus FP (@anthropic-ai/sdk BetaMessageThread): the catch repairs the state the next request is built from.
    `
    async function createWithRecovery(client: any, state: any, turn: unknown) {
      for (;;) {
        const { params, options } = state.buildCreateArguments(turn);
        const request = client.beta.messages.create(params, options);
        try {
          return { request, props: await request._responseProps() };
        } catch (error) {
          if (!state.recoversFrom(error)) throw error;
        }
      }
    }`,
    // Corpus FP (@anthropic-ai/sdk security-node): a try nested in a catch does not retry the loop.
    `
    import fs from "node:fs";
    import path from "node:path";
    async function realpathLenient(candidate: string) {
      let current = candidate;
      const remainder: string[] = [];
      for (;;) {
        try {
          return path.join(await fs.promises.realpath(current), ...remainder);
        } catch (err) {
          let exists = false;
          try {
            await fs.promises.lstat(current);
            exists = true;
          } catch {
            /* really absent */
          }
          if (exists) throw new Error("outside roots");
          const parent = path.dirname(current);
          if (parent === current) return path.join(current, ...remainder);
          remainder.unshift(path.basename(current));
          current = parent;
        }
      }
    }`,
    // Corpus FP (MCP SDK task example): waits for an event, not a clock: no constant-sleep polling.
    `
    class TaskHandler {
      constructor(private store: any) {}
      async handle(taskId: string) {
        while (true) {
          const task = await this.store.getTask(taskId);
          if (!task) throw new Error("Task not found: " + taskId);
          if (isTerminal(task.status)) return this.store.getTaskResult(taskId);
          await this.waitForUpdate(taskId);
        }
      }
      async waitForUpdate(taskId: string) {}
    }
    declare function isTerminal(s: string): boolean;`,
    // Polling that passes the caller's AbortSignal (@huggingface/inference providers) can be cancelled.
    `
    async function pollResult(resultUrl: string, signal?: AbortSignal) {
      while (true) {
        const res = await fetch(resultUrl, { signal });
        if (!res.ok) throw new Error("status " + res.status);
        const result = await res.json();
        if (result.status === "completed") return result.output;
        await new Promise((r) => setTimeout(r, 500));
      }
    }`,
    // Corpus FP shape (langgraph retry): capped attempts with a library-computed delay.
    `
    async function runWithRetry(task: any, policy: any, signal?: AbortSignal) {
      let attempts = 0;
      let interval = policy.initialInterval;
      while (true) {
        if (signal?.aborted) break;
        try {
          return await task.invoke();
        } catch (e) {
          attempts += 1;
          if (attempts >= (policy.maxAttempts ?? 3)) throw e;
          interval = Math.min(policy.maxInterval, interval * (policy.backoffFactor ?? 2));
          await new Promise((r) => setTimeout(r, interval));
        }
      }
    }`,
    // Corpus FP (@voltagent/core filesystem): the path the try reads is advanced before it.
    `
    import fs from "node:fs/promises";
    import path from "node:path";
    async function nearestReal(absolutePath: string) {
      let parentPath = absolutePath;
      let targetReal: string;
      while (true) {
        const nextParent = path.dirname(parentPath);
        if (nextParent === parentPath) throw new Error("outside root");
        parentPath = nextParent;
        try {
          targetReal = await fs.realpath(parentPath);
          break;
        } catch (parentError) {
          if ((parentError as NodeJS.ErrnoException).code !== "ENOENT") throw parentError;
        }
      }
      return targetReal;
    }`,
    // The called method paces itself: not a hot loop (its try/catch covers the work, its signal ends it).
    `
    class Poller {
      async run(signal: AbortSignal) {
        while (true) {
          await this.pollOnce(signal);
        }
      }
      async pollOnce(signal: AbortSignal) {
        try {
          await fetch("https://example.com/events", { signal });
        } catch (e) {
          console.error(e);
        }
        await sleep(Math.min(2 ** 4 * 1000, 30_000));
      }
    }
    declare function sleep(ms: number): Promise<void>;`,
    // setInterval writing a local file: no network work to overlap.
    `
    import fs from "node:fs/promises";
    setInterval(async () => {
      await fs.writeFile("/tmp/heartbeat", String(Date.now()));
    }, 1000);`,
    // Corpus FP (@google/gemini-cli-core projectRegistry): each retry claims the next candidate name.
    `
    async function claimNewSlug(slug: string, taken: Set<string>, ensure: (s: string) => Promise<void>) {
      let counter = 0;
      while (true) {
        const candidate = counter === 0 ? slug : slug + "-" + counter;
        counter++;
        if (taken.has(candidate)) continue;
        try {
          await ensure(candidate);
          return candidate;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        }
      }
    }`,
    // Corpus FP (@voltagent/core workflow): a side error is logged, then the loop is left.
    `
    async function runOnce(step: any, memory: any) {
      while (true) {
        const result = await step.execute();
        try {
          await memory.save(result);
        } catch (memoryError) {
          console.warn("memory save failed", memoryError);
        }
        break;
      }
    }`,
    // Corpus FP (@openai/agents-core modelRetry): the delay comes from a backoff policy, passed second.
    `
    async function getResponseWithRetry(model: any, request: any) {
      const retryBackoff = request.modelSettings.retry?.backoff;
      let attempt = 1;
      while (true) {
        try {
          return await model.getResponse(request);
        } catch (caughtError) {
          const decision = await evaluateRetry({ error: caughtError, attempt, retryBackoff });
          if (!decision.retry) throw caughtError;
          await waitForRetryDelay(request.signal, decision.delayMs ?? 0);
          attempt += 1;
        }
      }
    }
    declare function evaluateRetry(o: unknown): Promise<{ retry: boolean; delayMs?: number }>;
    declare function waitForRetryDelay(signal: AbortSignal | undefined, ms: number): Promise<void>;`,
    // Corpus FP (@voltagent/core agent middleware): the retry carries the middleware's feedback.
    `
    class Agent {
      async generate(input: string, oc: any, maxRetries: number) {
        let retryCount = 0;
        let effectiveInput: string;
        while (true) {
          try {
            effectiveInput = await runInputMiddlewares(input, oc, retryCount);
            break;
          } catch (error) {
            if (this.shouldRetry(error, retryCount, maxRetries)) {
              this.storeRetryFeedback(oc, (error as Error).message);
              retryCount += 1;
              continue;
            }
            throw error;
          }
        }
        return effectiveInput;
      }
      shouldRetry(e: unknown, n: number, max: number) { return n < max; }
      storeRetryFeedback(oc: any, m: string) { oc.feedback = m; }
    }
    declare function runInputMiddlewares(i: string, oc: unknown, n: number): Promise<string>;`,
    // Corpus FP (agentic midjourney-client.ts): the deadline is enforced by a local helper the loop calls.
    `
    async function waitForJob(url: string, startTimeMs: number, timeoutMs: number, intervalMs: number) {
      function checkForTimeout() { if (Date.now() - startTimeMs >= timeoutMs) throw new TimeoutError("timed out"); }
      do {
        checkForTimeout();
        const res = await fetch(url); const job = await res.json();
        if (job.status === "done") return job;
        await delay(intervalMs);
      } while (true);
    }
    declare class TimeoutError extends Error {}
    declare function delay(ms: number): Promise<void>;`,
    // The same, one level further: the helper calls another same-file function that checks an attempt cap.
    `
    const MAX_POLLS = 60;
    let polls = 0;
    function assertPollBudget() { if (++polls > MAX_POLLS) throw new Error("gave up polling"); }
    function beforePoll() { assertPollBudget(); }
    async function waitForRun(client: any, id: string) {
      while (true) {
        beforePoll();
        const run = await client.runs.retrieve(id);
        if (run.status === "completed") return run;
        await sleep(1000);
      }
    }
    declare function sleep(ms: number): Promise<void>;`,
    // A helper that returns whether the deadline passed, used as the loop's exit condition.
    `
    async function waitForIndex(client: any, startedAt: number) {
      const isOverdue = () => Date.now() - startedAt > 120_000;
      while (true) {
        const s = await client.describeIndex("docs");
        if (s.ready) return s;
        if (isOverdue()) throw new Error("index not ready after 2 minutes");
        await sleep(5000);
      }
    }
    declare function sleep(ms: number): Promise<void>;`,
    // Corpus (airtable-client.ts): pagination with no page cap is an iterator-style task loop, not polling —
    // every request asks for the next page (the offset advances), it ends on an empty page, and a failure
    // propagates to the caller. A server that never stops returning pages is out of scope (see docs).
    `
    class AirtableClient {
      async listRecords(args: { offset?: number }): Promise<unknown[]> { return []; }
      async listAll(args: object) {
        const all: unknown[] = [];
        let offset = 0;
        do {
          const res = await this.listRecords({ ...args, offset });
          if (!res.length) break;
          all.push(...res);
          offset += res.length;
        } while (true);
        return all;
      }
    }`,
    // The same paginator throttling itself between pages: the sleep paces page requests, it does not wait for a status.
    `
    async function listAll(client: any) {
      const all: unknown[] = [];
      let cursor: string | undefined;
      while (true) {
        const page = await client.list({ cursor, limit: 100 });
        all.push(...page.items);
        if (!page.next_cursor) break;
        cursor = page.next_cursor;
        await sleep(200);
      }
      return all;
    }
    declare function sleep(ms: number): Promise<void>;`,
    // Broken shapes never crash the rule.
    `while (true) { break; }`,
    `for (;;) { await undefined; break; }`,
  ],
  invalid: [
    // L1 (misses.md): an agent loop with a cap still needs try/catch around its model call.
    {
      code: `
import OpenAI from "openai";
const openai = new OpenAI();
const MAX_STEPS = 10;
export async function agent(messages: any[]) {
  let steps = 0;
  while (true) {
    if (++steps > MAX_STEPS) throw new Error("agent did not finish in " + MAX_STEPS + " steps");
    const res = await openai.chat.completions.create({ model: "gpt-4o", messages, tools: [] });
    const msg = res.choices[0].message;
    messages.push(msg);
    if (!msg.tool_calls?.length) return msg.content;
    for (const call of msg.tool_calls) messages.push({ role: "tool", tool_call_id: call.id, content: "ok" });
  }
}`,
      filename: "file.ts",
      errors: [{ messageId: "noTryCatch", line: 7, column: 3, data: { loop: "`while (true)`", work: "`openai.chat.completions.create({ model: \"gpt-4o\", message…`", leads: " (reaching api.openai.com (file.ts:3))", guard: "try/catch" } }],
    },
    // The incident: no try/catch and no exit, with the seed rewrite as a suggestion.
    {
      code: incident,
      filename: "file.ts",
      errors: [
        {
          messageId: "noTryCatch",
          line: 7,
          column: 3,
          data: { loop: "`while (true)`", work: "`runNextExperiment(queue)`", leads: incidentLeads, guard: "try/catch" },
          suggestions: [{ messageId: "rewriteSupervised", data: { cap: "15 min" }, output: incidentFixed }],
        },
        {
          messageId: "noExit",
          line: 7,
          column: 3,
          data: { loop: "`while (true)`", leads: " (it holds connections to localhost:11434 (file.ts:3))", exits: "break/return/throw" },
        },
      ],
    },
    // `for (;;)` with a declared result: idle sleep keyed on it, the user's name kept.
    {
      code: `
async function loop(signal: AbortSignal, client: any) {
  for (;;) {
    const job = await client.runJob();
    await sleep(1000);
  }
}
declare function sleep(ms: number): Promise<void>;`,
      errors: [
        {
          messageId: "noTryCatch",
          line: 3,
          column: 3,
          suggestions: [
            {
              messageId: "rewriteSupervised",
              data: { cap: "15 min" },
              output: `
async function loop(signal: AbortSignal, client: any) {
  let errorCount = 0;
  let job: unknown;
  while (!signal.aborted) {
    try {
      job = await client.runJob();
      errorCount = 0;
    } catch (error) {
      errorCount += 1;
      const backoffMs = Math.min(1_000 * 2 ** errorCount, 900_000);
      console.error(\`loop failed (\${errorCount} in a row), retrying in \${backoffMs} ms\`, error);
      await sleep(backoffMs);
      continue;
    }
    await sleep(job ? 1000 : 2 * 1000);
  }
}
declare function sleep(ms: number): Promise<void>;`,
            },
          ],
        },
        { messageId: "noExit", line: 3, column: 3, data: { loop: "`for (;;)`", leads: "", exits: "break/return/throw" } },
      ],
    },
    // Hot loop: no pause at all, no try/catch, no exit.
    {
      code: `
import OpenAI from "openai";
const openai = new OpenAI();
async function summarize() {
  while (1) {
    await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [] });
  }
}`,
      errors: [
        { messageId: "noTryCatch", line: 5, column: 3 },
        { messageId: "hotLoop", line: 5, column: 3, data: { loop: "`while (1)`", work: "`openai.chat.completions.create({ model: \"gpt-4o-mini\", me…`", target: " api.openai.com (file.ts:3)" } },
        { messageId: "noExit", line: 5, column: 3 },
      ],
      filename: "file.ts",
    },
    // do … while (true), caught, but retrying immediately, hot, with no exit.
    {
      code: `
async function watch() {
  do {
    try {
      await fetch("http://localhost:11434/api/tags");
    } catch (e) {
      console.error(e);
    }
  } while (true);
}`,
      errors: [
        { messageId: "hotLoop", line: 3, column: 3, endColumn: 5 },
        { messageId: "noExit", line: 3, column: 3 },
        { messageId: "retryWithoutBackoff", line: 3, column: 3, data: { loop: "`do … while (true)`", retry: "immediately, with no delay", leads: " against localhost:11434 (file.ts:5)" } },
      ],
      filename: "file.ts",
    },
    // Constant delay on the failure path (the recursion storm's retry).
    {
      code: `
async function callWithRetry(prompt: string) {
  while (true) {
    try {
      return await fetch("https://api.openai.com/v1/chat/completions", { method: "POST", body: prompt });
    } catch (err) {
      console.warn("retrying", err);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}`,
      errors: [{ messageId: "retryWithoutBackoff", line: 3, column: 3, data: { loop: "`while (true)`", retry: "after a constant delay (`2000`)", leads: " against api.openai.com (file.ts:5)" } }],
      filename: "file.ts",
    },
    // Corpus TP shape (@voltagent/core workflow step): capped attempts, but the same delay each time.
    {
      code: `
async function runStep(step: any, retryLimit: number, retryDelayMs: number, signal?: AbortSignal) {
  let retryCount = 0;
  while (true) {
    try {
      return await step.execute();
    } catch (stepError) {
      if (retryCount < retryLimit) {
        retryCount += 1;
        if (retryDelayMs > 0) await waitWithSignal(retryDelayMs, signal);
        continue;
      }
      throw stepError;
    }
  }
}
declare function waitWithSignal(ms: number, signal?: AbortSignal): Promise<void>;`,
      errors: [{ messageId: "retryConstantDelayCapped", line: 4, column: 3, data: { loop: "`while (true)`", delay: "`retryDelayMs`", cap: "`retryLimit`", leads: "" } }],
    },
    // Corpus (TypeChat model.ts): an attempt cap, but a constant pause between attempts — capped, not a storm.
    {
      code: `
async function complete(url: string, opts: RequestInit, retryMaxAttempts = 3, retryPauseMs = 1000) {
  let retryCount = 0;
  while (true) {
    try {
      const r = await fetch(url, opts);
      if (r.ok) return success(await r.json());
      if (!isTransientHttpError(r.status) || retryCount >= retryMaxAttempts) return error(\`REST API error \${r.status}\`);
    } catch (e) {
      if (retryCount >= retryMaxAttempts) return error(String(e));
    }
    await sleep(retryPauseMs);
    retryCount++;
  }
}
declare function success(x: unknown): unknown;
declare function error(m: string): unknown;
declare function isTransientHttpError(s: number): boolean;
declare function sleep(ms: number): Promise<void>;`,
      errors: [
        {
          messageId: "retryConstantDelayCapped",
          line: 4,
          column: 3,
          data: { loop: "`while (true)`", delay: "`retryPauseMs`", cap: "`retryMaxAttempts`", leads: "" },
        },
      ],
    },
    // The brief's shape: the catch retries after a constant pause and `continue`s, the cap is checked in the catch.
    {
      code: `
async function complete(url: string, opts: RequestInit, retryMaxAttempts: number, retryPauseMs: number) {
  let retryCount = 0;
  while (true) {
    try { const r = await fetch(url, opts); if (r.ok) return await r.json(); }
    catch (e) { if (retryCount >= retryMaxAttempts) return String(e); await sleep(retryPauseMs); retryCount++; continue; }
  }
}
declare function sleep(ms: number): Promise<void>;`,
      errors: [
        {
          message:
            "`while (true)` retries after a constant delay (`retryPauseMs`), capped at `retryMaxAttempts`: the attempts run out before an outage clears.",
          line: 4,
          column: 3,
        },
      ],
    },
    // Growing but uncapped delay.
    {
      code: `
async function callWithRetry(fn: () => Promise<string>) {
  let attempt = 0;
  while (true) {
    try {
      return await fn();
    } catch {
      attempt++;
      await sleep(1000 * 2 ** attempt);
    }
  }
}
declare function sleep(ms: number): Promise<void>;`,
      errors: [{ messageId: "retryWithoutBackoff", line: 4, column: 3, data: { loop: "`while (true)`", retry: "with a growing delay that has no cap (`1000 * 2 ** attempt`)", leads: "" } }],
    },
    // Non-exception failure path: `if (!res.ok) continue` with a constant sleep.
    {
      code: `
async function fetchJob(url: string) {
  while (true) {
    const res = await fetch(url);
    if (res.status === 429) {
      await sleep(1000);
      continue;
    }
    return res.json();
  }
}
declare function sleep(ms: number): Promise<void>;`,
      errors: [{ messageId: "noTryCatch", line: 3, column: 3 }, { messageId: "retryWithoutBackoff", line: 3, column: 3 }],
    },
    // Falling through the catch into a constant sleep is a constant retry delay.
    {
      code: `
async function daemon(signal: AbortSignal) {
  while (!signal.aborted) {}
  for (;;) {
    if (signal.aborted) break;
    try {
      await fetch("https://example.com/sync");
    } catch (e) {
      console.error(e);
    }
    await sleep(60_000);
  }
}
declare function sleep(ms: number): Promise<void>;`,
      errors: [{ messageId: "retryWithoutBackoff", line: 4, column: 3, data: { loop: "`for (;;)`", retry: "after a constant delay (`60_000`)", leads: "" } }],
    },
    // A helper's own retry loop giving up (`throw` after max attempts) bounds that helper, not the daemon loop that calls it.
    {
      code: `
let attempts = 0;
function callModel(prompt: string) {
  for (;;) {
    if (++attempts > 3) throw new Error("model unavailable");
    try { return fetchSync(prompt); } catch { continue; }
  }
}
async function daemon() {
  while (true) {
    callModel("tick");
    const res = await fetch("https://example.com/heartbeat");
    if (!res.ok) console.warn("heartbeat failed", res.status);
    await sleep(60_000);
  }
}
declare function fetchSync(p: string): string;
declare function sleep(ms: number): Promise<void>;`,
      errors: [
        { messageId: "noTryCatch", line: 10, column: 3, data: { loop: "`while (true)`", work: "`fetch(\"https://example.com/heartbeat\")`", leads: "", guard: "try/catch" } },
        { messageId: "noExit", line: 10, column: 3 },
      ],
    },
    // A per-call timeout inside a helper (its own start time) is no deadline of the polling loop.
    {
      code: `
function guardedParse(text: string) {
  const start = Date.now();
  const out = JSON.parse(text);
  if (Date.now() - start > PARSE_BUDGET_MS) throw new Error("slow parse");
  return out;
}
const PARSE_BUDGET_MS = 50;
async function waitForRun(client: any, id: string) {
  while (true) {
    const run = guardedParse(await client.runs.retrieveRaw(id));
    if (run.status === "completed") return run;
    await sleep(1000);
  }
}
declare function sleep(ms: number): Promise<void>;`,
      errors: [{ messageId: "noTryCatch", line: 10, column: 3 }, { messageId: "pollWithoutDeadline", line: 10, column: 3, data: { exit: "`run.status === \"completed\"`", delay: "`1000`", leads: "" } }],
    },
    // Tool-calling agent loop whose only exit is "no more tool calls".
    {
      code: `
import OpenAI from "openai";
const openai = new OpenAI();
export async function runAgent(messages: any[]) {
  while (true) {
    const res = await openai.chat.completions.create({ model: "gpt-4o", messages, tools: [] });
    const msg = res.choices[0].message;
    messages.push(msg);
    if (!msg.tool_calls || msg.tool_calls.length === 0) return msg.content;
    for (const call of msg.tool_calls) {
      messages.push({ role: "tool", tool_call_id: call.id, content: await runTool(call) });
    }
  }
}
declare function runTool(c: unknown): Promise<string>;`,
      filename: "file.ts",
      errors: [{ messageId: "agentWithoutCap", line: 5, column: 3, data: { leads: " (calling api.openai.com (file.ts:3))", exit: "`!msg.tool_calls || msg.tool_calls.length === 0`" } }, { messageId: "noTryCatch", line: 5, column: 3 }],
    },
    // Anthropic-style agent loop: stop_reason.
    {
      code: `
async function agent(client: any, messages: any[]) {
  for (;;) {
    const response = await client.messages.create({ model: "claude-sonnet-4", max_tokens: 1024, messages });
    if (response.stop_reason !== "tool_use") break;
    messages.push({ role: "user", content: await handleTools(response.content) });
  }
}
declare function handleTools(c: unknown): Promise<unknown>;`,
      errors: [{ messageId: "agentWithoutCap", line: 3, column: 3, data: { leads: "", exit: "`response.stop_reason !== \"tool_use\"`" } }, { messageId: "noTryCatch", line: 3, column: 3 }],
    },
    // Agent loop whose exit tests the content blocks' type literal.
    {
      code: `
async function agent(client: any, messages: any[]) {
  while (true) {
    const response = await client.messages.create({ model: "claude-sonnet-4", max_tokens: 1024, messages, tools: [] });
    messages.push({ role: "assistant", content: response.content });
    if (!response.content.some((block: any) => block.type === "tool_use")) return response;
    messages.push({ role: "user", content: await runTools(response.content) });
  }
}
declare function runTools(c: unknown): Promise<unknown>;`,
      errors: [{ messageId: "agentWithoutCap", line: 3, column: 3, data: { leads: "", exit: "`!response.content.some((block: any) => block.type === \"to…`" } }, { messageId: "noTryCatch", line: 3, column: 3 }],
    },
    // Status polling with a constant setTimeout promise and no deadline.
    {
      code: `
async function waitForRun(client: any, threadId: string, runId: string) {
  while (true) {
    const run = await client.beta.threads.runs.retrieve(threadId, runId);
    if (run.status === "completed" || run.status === "failed") return run;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}`,
      errors: [{ messageId: "noTryCatch", line: 3, column: 3 }, { messageId: "pollWithoutDeadline", line: 3, column: 3, data: { exit: "`run.status === \"completed\" || run.status === \"failed\"`", delay: "`1000`", leads: "" } }],
    },
    // Same, with a const-flag condition that never changes.
    {
      code: `
const polling = true;
async function waitForModel(name: string) {
  while (polling) {
    const res = await fetch("http://localhost:11434/api/ps");
    const body = await res.json();
    if (body.models.some((m: any) => m.name === name)) break;
    await sleep(5000);
  }
}
declare function sleep(ms: number): Promise<void>;`,
      filename: "file.ts",
      errors: [{ messageId: "noTryCatch", line: 4, column: 3 }, { messageId: "pollWithoutDeadline", line: 4, column: 3, data: { exit: "`body.models.some((m: any) => m.name === name)`", delay: "`5000`", leads: " localhost:11434 (file.ts:5)" } }],
    },
    // A let flag nobody ever writes is a condition that never changes.
    {
      code: `
async function main() {
  let running = true;
  while (running) {
    await fetch("https://example.com/tick");
    await sleep(1000);
  }
}
declare function sleep(ms: number): Promise<void>;`,
      errors: [
        { messageId: "noTryCatch", line: 4, column: 3, suggestions: 1 as never },
        { messageId: "noExit", line: 4, column: 3 },
      ],
    },
    // setInterval with async network work and no overlap guard (the watcher).
    {
      code: `
setInterval(async () => {
  const res = await fetch("http://localhost:11434/api/tags");
  if (!res.ok) await restartOllama();
}, 10_000);
declare function restartOllama(): Promise<void>;`,
      errors: [{ messageId: "intervalOverlap", line: 2, column: 1, data: { work: "fetch(\"http://localhost:11434/api/tags\")", every: "10_000 ms" } }],
    },
    // setInterval over a named async method, via a sync arrow.
    {
      code: `
class Watcher {
  start() {
    setInterval(() => void this.check(), 5000);
  }
  async check() {
    await fetch("http://localhost:11434/");
  }
}`,
      errors: [{ messageId: "intervalOverlap", line: 4, column: 5, data: { work: "fetch(\"http://localhost:11434/\")", every: "5000 ms" } }],
    },
    // Corpus TP shape (openai poll helpers): switch on the status, constant sleep, no deadline.
    {
      code: `
async function poll(runs: any, runId: string, options?: { pollIntervalMs?: number }) {
  while (true) {
    const { data: run } = await runs.retrieve(runId).withResponse();
    switch (run.status) {
      case "queued":
      case "in_progress":
        let sleepInterval = 5000;
        if (options?.pollIntervalMs) sleepInterval = options.pollIntervalMs;
        await sleep(sleepInterval);
        break;
      case "completed":
      case "failed":
        return run;
    }
  }
}
declare function sleep(ms: number): Promise<void>;`,
      errors: [{ messageId: "pollWithoutDeadline", line: 3, column: 3, data: { exit: "`run.status === \"failed\"`", delay: "`sleepInterval`", leads: "" } }],
    },
    // Corpus TP shape (langsmith prompt cache): a sync arrow starting async refresh work every tick.
    {
      code: `
class PromptCache {
  private refreshTimer?: ReturnType<typeof setInterval>;
  startRefreshLoop() {
    this.refreshTimer = setInterval(() => {
      this.refreshStaleEntries().catch((e) => console.warn(e));
    }, 60_000);
  }
  async refreshStaleEntries() {
    for (const key of ["a", "b"]) {
      await fetch("https://api.smith.langchain.com/prompts/" + key);
    }
  }
}`,
      errors: [{ messageId: "intervalOverlap", line: 5, column: 25, data: { work: "fetch(\"https://api.smith.langchain.com/prompts/\" + key)", every: "60_000 ms" } }],
    },
    // Long-polling bot: the server holds getUpdates open (no hot loop), each send is caught; only the exit is missing.
    {
      code: `
    async function bot(api: any, signal: AbortSignal) {
      let offset = 0;
      while (true) {
        const updates = await api.getUpdates({ offset, timeout: 30 });
        for (const u of updates) {
          offset = u.update_id + 1;
          try {
            await api.sendMessage(u.message.chat.id, await answer(u.message.text));
          } catch (e) {
            console.error(e);
            await new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** 3, 30_000)));
          }
        }
      }
    }
    declare function answer(t: string): Promise<string>;`,
      errors: [{ messageId: "noExit", line: 4, column: 7, data: { loop: "`while (true)`", leads: "", exits: "break/return/throw" } }],
    },
    // Interval created on every reconnect, never cleared.
    {
      code: `
function connect(url: string) {
  const ws = new WebSocket(url);
  ws.addEventListener("open", () => {
    setInterval(() => ws.send("ping"), 30_000);
  });
  ws.addEventListener("close", () => setTimeout(() => connect(url), 1000));
}`,
      errors: [{ messageId: "intervalNotCleared", line: 5, column: 5, data: { where: "the \"open\" handler (addEventListener)" } }],
    },
    {
      code: `
class Client {
  private heartbeat?: NodeJS.Timeout;
  onReconnect() {
    this.heartbeat = setInterval(() => this.ping(), 15_000);
  }
  ping() {}
}`,
      errors: [{ messageId: "intervalNotCleared", line: 5, column: 22, data: { where: "onReconnect()" } }],
    },
  ],
});
