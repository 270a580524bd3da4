/** A fake Ollama on loopback speaking the real API shapes (/api/version, /api/tags, /api/ps, /api/status, /api/generate). */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export type Mode = "normal" | "hang" | "500" | "cloud" | "generate-500" | "nothing-loaded" | "openai" | "invalid-json" | "ansi" | "basic-auth";

/** Terminal control an endpoint may send: clear screen, retitle the window (OSC 0), colour, C1 CSI, BEL. */
export const ANSI_VERSION = "0.12.6\u001b[2J\u001b[H\u001b]0;pwned\u0007\u001b[31mred\u009b1m\u0007";
export const ANSI_MODEL = "llama3.2:1b\u001b]2;retitled\u001b\\\u001b[5m";

export interface FakeOllama {
  url: string;
  requests: Array<{ method: string; path: string; body: unknown }>;
  close(): Promise<void>;
}

export async function startFakeOllama(mode: Mode, opts: { expiresInSec?: number } = {}): Promise<FakeOllama> {
  const requests: FakeOllama["requests"] = [];
  const sockets = new Set<import("node:net").Socket>();
  const expiresAt = new Date(Date.now() + (opts.expiresInSec ?? 240) * 1000).toISOString();
  const local = { name: "llama3.2:1b", model: "llama3.2:1b", modified_at: "2026-01-10T10:00:00Z", size: 1321098329, digest: "baf6a787fdff", details: { format: "gguf", family: "llama", parameter_size: "1.2B", quantization_level: "Q8_0" } };
  const cloud = { name: "gpt-oss:120b-cloud", model: "gpt-oss:120b-cloud", remote_model: "gpt-oss:120b", remote_host: "https://ollama.com:443", modified_at: "2026-01-11T10:00:00Z", size: 384, digest: "569662207105", details: { format: "", family: "gptoss", parameter_size: "116.8B", quantization_level: "MXFP4" } };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      requests.push({ method: req.method ?? "", path: req.url ?? "", body });
      if (mode === "hang") return; // accept, never answer
      const json = (status: number, v: unknown) => res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(v));
      if (mode === "500") return json(500, { error: "llama runner process has terminated: signal: killed" });
      if (mode === "invalid-json") return res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Welcome to nginx!</body></html>");
      if (mode === "basic-auth" && req.headers.authorization !== `Basic ${Buffer.from("ollama:s3cretPassw0rdInUrl").toString("base64")}`) return json(401, { error: "unauthorized" });
      if (mode === "openai") {
        if (req.url === "/v1/models") return json(200, { object: "list", data: [{ id: "qwen2.5-7b-instruct", object: "model", owned_by: "llamacpp" }] });
        return json(404, { error: "not found" });
      }
      switch (req.url) {
        case "/api/version":
          return json(200, { version: mode === "ansi" ? ANSI_VERSION : "0.12.6" });
        case "/api/tags":
          return json(200, { models: mode === "cloud" ? [local, cloud] : mode === "ansi" ? [{ ...local, name: ANSI_MODEL }] : [local] });
        case "/api/ps":
          return json(200, { models: mode === "nothing-loaded" ? [] : [{ ...local, size_vram: 1321098329, expires_at: expiresAt, context_length: 4096 }] });
        case "/api/status":
          return json(200, { cloud: { disabled: mode !== "cloud", source: "config" } });
        case "/api/generate":
          if (mode === "generate-500") return json(500, { error: "model runner has unexpectedly stopped" });
          return json(200, { model: "llama3.2:1b", created_at: new Date().toISOString(), response: "ok", done: true, done_reason: "length", total_duration: 51234567, eval_count: 1 });
        default:
          return json(404, { error: "404 page not found" });
      }
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
