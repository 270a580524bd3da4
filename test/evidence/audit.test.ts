import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RouteAudit, type Connection } from "../../server/evidence/audit.js";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), "gw-audit-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const conn = (pid: number, id: string, remote: string, cls: Connection["class"], host?: string): Connection => ({ pid, id, remote, class: cls, host });

describe("route audit", () => {
  it("counts a connection once across samples (by socket identity), new ones again", () => {
    const a = new RouteAudit();
    expect(a.observe([conn(1, "a", "api.groq.com:443", "cloud", "api.groq.com"), conn(1, "b", "localhost:11434", "local")])).toBe(2);
    expect(a.observe([conn(1, "a", "api.groq.com:443", "cloud", "api.groq.com"), conn(1, "b", "localhost:11434", "local")])).toBe(0);
    expect(a.observe([conn(1, "a", "api.groq.com:443", "cloud", "api.groq.com"), conn(1, "c", "api.groq.com:443", "cloud", "api.groq.com")])).toBe(1);
    // "b" went away and a new socket reuses the identity later: a new connection
    expect(a.observe([conn(1, "b", "localhost:11434", "local")])).toBe(1);
    expect(Object.fromEntries([...a.since(1)].map(([k, v]) => [k, v.count]))).toEqual({ "api.groq.com:443": 2, "localhost:11434": 2 });
    expect(a.shareOf(1, "localhost:11434")).toBe(0.5);
    expect(Object.fromEntries(a.totals)).toEqual({ "cloud|api.groq.com": 2, "local|other": 2 });
  });

  it("summarises a day per process with the local share", () => {
    const a = new RouteAudit();
    const conns: Connection[] = [];
    for (let i = 0; i < 5120; i++) conns.push(conn(4242, `g${i}`, "api.groq.com:443", "cloud", "api.groq.com"));
    for (let i = 0; i < 4797; i++) conns.push(conn(4242, `o${i}`, "openrouter.ai:443", "cloud", "openrouter.ai"));
    for (let i = 0; i < 79; i++) conns.push(conn(4242, `l${i}`, "localhost:11434", "local"));
    a.observe(conns);
    expect(a.summary(4242)).toBe("pid 4242, last 24 h: api.groq.com:443 5,120 · openrouter.ai:443 4,797 · localhost:11434 79 (0.8 % local)");
    expect(a.summary(1)).toBeUndefined();
  });

  it("survives a restart: the ring and the last sample's identities are read back", () => {
    const file = path.join(tmp(), "routes.jsonl");
    const a = new RouteAudit({ file });
    a.observe([conn(7, "x", "openrouter.ai:443", "cloud", "openrouter.ai")], Date.now() - 1000);
    a.close();
    const b = new RouteAudit({ file });
    expect(b.since(7).get("openrouter.ai:443")?.count).toBe(1);
    // the same socket, still open after the restart, is not counted again
    expect(b.observe([conn(7, "x", "openrouter.ai:443", "cloud", "openrouter.ai")])).toBe(0);
  });

  it("stays under its caps after 10,000 simulated samples", () => {
    const file = path.join(tmp(), "routes.jsonl");
    const maxBytes = 256 * 1024;
    const a = new RouteAudit({ file, maxRecords: 2000, maxBytes });
    const t0 = Date.now() - 10_000 * 5000;
    let seen = 0;
    for (let i = 0; i < 10_000; i++) {
      const conns = [conn(100 + (i % 7), `s${i}`, i % 3 ? "api.groq.com:443" : "localhost:11434", i % 3 ? "cloud" : "local", i % 3 ? "api.groq.com" : undefined)];
      seen += a.observe(conns, t0 + i * 5000);
      expect(a.size.records).toBeLessThanOrEqual(2000);
    }
    expect(seen).toBe(10_000);
    expect(statSync(file).size).toBeLessThanOrEqual(maxBytes);
    expect(a.size.bytes).toBeLessThanOrEqual(maxBytes);
    // what is kept is the newest: the last sample is there
    const again = new RouteAudit({ file, maxRecords: 2000, maxBytes });
    expect(again.since(100 + (9999 % 7), 10_000, t0 + 9999 * 5000).size).toBe(1);
  });
});
