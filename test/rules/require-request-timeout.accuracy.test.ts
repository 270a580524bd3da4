// Accuracy classes from real code (../shared/accuracy: false-positives.md, misses.md), one case
// per reproduction: a false positive stays clean, its `keep-*` twin and each miss stay reported
// at the exact place.
import { RuleTester } from "@typescript-eslint/rule-tester";
import rule from "../../rules/require-request-timeout/index.js";

const ruleTester = new RuleTester();

ruleTester.run("require-request-timeout", rule, {
  valid: [
    // FP N1: a local binding named fetch is not the global fetch
    { code: `// class: N1 — a local variable named \`fetch\` (a wrapped / mocked fetch) is taken for the global fetch
// rule: no-unclosed-http-client, require-request-timeout
// expected: none
import { expect, test, vi } from "vitest";
declare function wrapFetch(impl: typeof globalThis.fetch): typeof globalThis.fetch;

test("the wrapper forwards requests unchanged", async () => {
  const impl = vi.fn(async () => new Response(null, { status: 204 }));
  const fetch = wrapFetch(impl);
  await fetch("http://127.0.0.1:9000/upload", { method: "POST", body: "x" });
  const res = await fetch("http://127.0.0.1:9000/upload");
  expect(res.status).toBe(204);
});
`, filename: "file.ts" },
  ],
  invalid: [
    // keep N1: the global fetch without a timeout
    {
      code: `// twin of N1: the global fetch with an unread error body and no timeout is still reported by both rules
// rule: no-unclosed-http-client, require-request-timeout
// expected: report
export async function getJson(url: string) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(\`status \${res.status}\`);
  return res.json();
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "fetchNoSignal", line: 5, column: 21, suggestions: [{ messageId: "addSignal", output: `// twin of N1: the global fetch with an unread error body and no timeout is still reported by both rules
// rule: no-unclosed-http-client, require-request-timeout
// expected: report
export async function getJson(url: string) {
  const res = await fetch(url, { signal: AbortSignal.timeout(30000) });
  if (!res.ok) throw new Error(\`status \${res.status}\`);
  return res.json();
}
` }] },
      ],
    },
    // M3: a streamed (SSE) request gets connect/idle advice, never a total AbortSignal.timeout
    {
      code: `// message problem M3 — for a streamed (SSE) response the advice \`signal: AbortSignal.timeout(30000)\` aborts a healthy
// stream after 30 s; a connect / idle timeout is what is missing. The finding itself is right.
// rule: require-request-timeout
// expected: report
// message-must-not-match: Pass \`signal: AbortSignal\\.timeout\\(30000\\)\`\\.$
declare function consumeEvents(body: ReadableStream<Uint8Array>, on: (e: { event: string; data: string }) => void): Promise<void>;

export async function followAgentRun(url: string, prompt: string, on: (e: { event: string; data: string }) => void) {
  const res = await fetch(url, { method: "POST", headers: { Accept: "text/event-stream" }, body: JSON.stringify({ prompt }) });
  if (!res.ok || !res.body) throw new Error(\`agent answered \${res.status}\`);
  await consumeEvents(res.body, on);
}
`,
      filename: "file.ts",
      errors: [
        { messageId: "streamNoTimeout", line: 9, column: 21 },
      ],
    },
  ],
});

// Classes from last session's held-out set, now dev data (inngest/agent-kit e2b-csv example utils.ts).
ruleTester.run("require-request-timeout (conditional spreads of literal options)", rule, {
  valid: [
    // near-miss: a spread of a value we cannot see into may carry the signal
    {
      code: `export async function getRuns(eventId: string, extra: RequestInit) {
  const response = await fetch(\`https://api.inngest.com/v1/events/\${eventId}/runs\`, { ...extra });
  return (await response.json()).data;
}`,
      filename: "file.ts",
    },
    // near-miss: one branch of the conditional spread sets a signal
    {
      code: `export async function getRuns(eventId: string, key?: string) {
  const response = await fetch(\`https://api.inngest.com/v1/events/\${eventId}/runs\`, { ...(key ? { signal: AbortSignal.timeout(10_000) } : {}) });
  return (await response.json()).data;
}`,
      filename: "file.ts",
    },
  ],
  invalid: [
    // miss: `...(key ? { headers } : {})` spreads literal objects, none of which sets a signal
    {
      code: `export async function getRuns(eventId: string) {
  const response = await fetch(\`https://api.inngest.com/v1/events/\${eventId}/runs\`, {
    ...(process.env.INNGEST_SIGNING_KEY ? { headers: { Authorization: \`Bearer \${process.env.INNGEST_SIGNING_KEY}\` } } : {}),
  });
  return (await response.json()).data;
}`,
      filename: "file.ts",
      errors: [{ messageId: "fetchNoSignal", line: 2, column: 26, suggestions: [{ messageId: "addSignal", output: `export async function getRuns(eventId: string) {
  const response = await fetch(\`https://api.inngest.com/v1/events/\${eventId}/runs\`, {
    signal: AbortSignal.timeout(30000), ...(process.env.INNGEST_SIGNING_KEY ? { headers: { Authorization: \`Bearer \${process.env.INNGEST_SIGNING_KEY}\` } } : {}),
  });
  return (await response.json()).data;
}` }] }],
    },
  ],
});

