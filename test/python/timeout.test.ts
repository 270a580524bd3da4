// `require-request-timeout` on Python (rules/python/timeout-facts.ts): the Ruff S113 / Bandit B113
// ground plus clients that turn the timeout off, decided by the one core decision
// (rules/core/timeout-decision.ts) the TS rule uses.
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { beforeAll, describe, expect, it } from "vitest";
import rule from "../../rules/require-request-timeout/index.js";
import { lintPythonText } from "../../rules/python/lint.js";
import { loadPythonParser } from "../../rules/python/parser.js";

beforeAll(async () => {
  await loadPythonParser();
});

const RULES = { "ghostwatch/require-request-timeout": "warn" };
function py(text: string): Array<[number, number, string, string]> {
  return lintPythonText(text, "/tmp/timeout_case.py", { rules: RULES })!.messages.map((m) => [m.line, m.column, m.messageId ?? "", m.message]);
}
const linter = new Linter({ configType: "flat" });
function ts(code: string): string[] {
  return linter
    .verify(code, [{ files: ["**/*.ts"], languageOptions: { parser: tsParser }, plugins: { g: { rules: { r: rule as never } } }, rules: { "g/r": "warn" } }], { filename: "file.ts" })
    .map((m) => m.messageId!);
}

describe("require-request-timeout on Python", () => {
  it("requests without a timeout, on a session, and with timeout=None; the near-misses stay clean", () => {
    expect(py(`import requests

def fetch(url, **kw):
    a = requests.get(url)
    b = requests.post(url, json={}, timeout=None)
    s = requests.Session()
    c = s.get(url)
    ok1 = requests.get(url, timeout=10)
    ok2 = requests.get(url, **kw)
    ok3 = s.get(url, timeout=(3, 30))
    return a, b, c
`)).toEqual([
      [4, 9, "callNoTimeout", "`requests.get(…)` has no timeout: a silent server hangs this request (and its caller) forever. Pass `timeout=30`."],
      [5, 9, "timeoutDisabled", "`requests.post(…)` turns its timeout off (`timeout=None`): a silent server hangs every request forever. Set `timeout=30`."],
      [7, 9, "callNoTimeout", "`s.get(…)` has no timeout: a silent server hangs this request (and its caller) forever. Pass `timeout=30`."],
    ]);
  });

  it("httpx and aiohttp only when the timeout is turned off (their defaults, 5 s and 5 min, bound it); urlopen and http.client without one", () => {
    expect(py(`import httpx, aiohttp, urllib.request, http.client

client = httpx.Client(timeout=None)
fine = httpx.Client()
ok = httpx.get("https://example.com")

async def main():
    async with aiohttp.ClientSession() as session:
        pass
    async with aiohttp.ClientSession(timeout=None) as off:
        pass

def legacy(url):
    urllib.request.urlopen(url).read()
    urllib.request.urlopen(url, None, 10).read()
    conn = http.client.HTTPSConnection("example.com")
    ok_conn = http.client.HTTPSConnection("example.com", timeout=10)
`).map((m) => [m[0], m[2]])).toEqual([
      [3, "timeoutDisabled"],
      [10, "timeoutDisabled"],
      [14, "callNoTimeout"],
      [16, "callNoTimeout"],
    ]);
  });

  it("a socket default timeout covers urlopen; a streamed request gets connect/idle advice, as in TS", () => {
    const p = py(`import socket, urllib.request, requests
socket.setdefaulttimeout(30)

def read(url):
    return urllib.request.urlopen(url).read()

def follow(url):
    with requests.get(url, stream=True) as r:
        for line in r.iter_lines():
            print(line)
`);
    expect(p).toEqual([[8, 10, "streamNoTimeout", "`requests.get(…)` streams its response with no connect or idle timeout: a stalled stream hangs forever. Time out the connect; reset an idle timer per chunk."]]);
    expect(ts(`export async function follow(url: string) {
  const res = await fetch(url, { headers: { Accept: "text/event-stream" } });
  for await (const chunk of res.body!) console.log(chunk);
}`)).toEqual(["streamNoTimeout"]);
  });

  it("a requests session from an integration module's factory is checked like requests.Session(); aiohttp's default is a bound (FP: ruecat/ollama-telegram)", () => {
    // miss (coinbase/agentkit x402): `x402_requests(client)` returns a requests Session
    expect(py(`from x402.http.clients.requests import x402_requests
import aiohttp

def pay(client, url):
    session = x402_requests(client)
    r = session.request(method="GET", url=url)
    ok = session.request(method="GET", url=url, timeout=30)
    return r, ok

async def tags(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            return await response.json()
`).map((m) => [m[0], m[1], m[2]])).toEqual([[6, 9, "callNoTimeout"]]);
    // near-miss: a factory that is not from an HTTP library's integration module stays unknown
    expect(py(`from myapp.payments import x402_requests

def pay(client, url):
    session = x402_requests(client)
    return session.request(method="GET", url=url)
`)).toEqual([]);
  });
});

