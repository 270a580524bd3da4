// `no-unclosed-http-client` on Python (rules/python/resource-facts.ts): per-call pools decided by
// the one core decision (rules/core/resource-decision.ts) the TS rule uses.
import { beforeAll, describe, expect, it } from "vitest";
import { lintPythonText } from "../../rules/python/lint.js";
import { loadPythonParser } from "../../rules/python/parser.js";

beforeAll(async () => {
  await loadPythonParser();
});

const RULES = { "ghostwatch/no-unclosed-http-client": "error" };
function py(text: string): Array<[number, number, string, string]> {
  return lintPythonText(text, "/tmp/resource_case.py", { rules: RULES })!.messages.map((m) => [m.line, m.column, m.messageId ?? "", m.message]);
}

describe("no-unclosed-http-client on Python", () => {
  it("a session or client built per call and never closed is reported; `with`, close() and handing on are clean", () => {
    expect(py(`import requests, httpx

def get_json(url):
    s = requests.Session()
    return s.get(url, timeout=10).json()

def post(url):
    client = httpx.Client()
    r = client.post(url, json={})
    return r.status_code

def ok_with(url):
    with requests.Session() as s:
        return s.get(url, timeout=10).json()

def ok_closed(url):
    client = httpx.Client()
    try:
        return client.get(url).json()
    finally:
        client.close()

def ok_handed():
    s = requests.Session()
    return s
`)).toEqual([
      [4, 9, "resourceNotClosed", "A `requests.Session()` is created on every call and never closed or handed on: its sockets stay open; use it in a `with` block or call `s.close()`."],
      [8, 14, "resourceNotClosed", "A `httpx.Client()` is created on every call and never closed or handed on: its sockets stay open; use it in a `with` block or call `client.close()`."],
    ]);
  });

  it("miss (coinbase/agentkit x402): a session from an HTTP library's integration-module factory, per call, never closed", () => {
    expect(py(`from x402.http.clients.requests import x402_requests

class Provider:
    def make_request(self, client, url):
        session = x402_requests(client)
        response = session.request(method="GET", url=url, timeout=30)
        return self._parse(response)

    def ok_with(self, client, url):
        with x402_requests(client) as session:
            return session.request(method="GET", url=url, timeout=30).json()
`).map((m) => [m[0], m[1], m[2]])).toEqual([[5, 19, "resourceNotClosed"]]);
    // near-miss: the same name from a module that is no HTTP library's integration stays unknown
    expect(py(`from myapp.payments import x402_requests

def make_request(client, url):
    session = x402_requests(client)
    return session.request(method="GET", url=url, timeout=30).json()
`)).toEqual([]);
  });
});
