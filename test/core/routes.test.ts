import { describe, expect, it } from "vitest";
import { classifyEnvVar, classifyModelTag, classifyUrl, satisfiesClaim } from "../../rules/core/routes.js";

describe("classifyUrl", () => {
  it("classifies provider hosts", () => {
    expect(classifyUrl("https://openrouter.ai/api/v1/chat/completions")).toMatchObject({ provider: "openrouter", router: true, local: false, label: "openrouter.ai" });
    expect(classifyUrl("https://api.groq.com/openai/v1")).toMatchObject({ provider: "groq", label: "api.groq.com" });
    expect(classifyUrl("https://generativelanguage.googleapis.com/v1beta/models")).toMatchObject({ provider: "google" });
    expect(classifyUrl("https://my-res.openai.azure.com/openai/deployments")).toMatchObject({ provider: "azure-openai" });
    expect(classifyUrl("https://bedrock-runtime.us-east-1.amazonaws.com/model")).toMatchObject({ provider: "bedrock" });
    expect(classifyUrl("https://s3.amazonaws.com/bucket")).toBeUndefined();
  });
  it("classifies loopback and LAN servers by port and path", () => {
    expect(classifyUrl("http://localhost:11434/api/chat")).toMatchObject({ provider: "ollama", local: true, label: "localhost:11434" });
    expect(classifyUrl("http://127.0.0.1:11434")).toMatchObject({ provider: "ollama", local: true });
    expect(classifyUrl("http://[::1]:11434/v1")).toMatchObject({ provider: "ollama", local: true });
    expect(classifyUrl("http://192.168.1.20:11434/api/generate")).toMatchObject({ provider: "ollama", local: true });
    expect(classifyUrl("http://localhost:1234/v1/chat/completions")).toMatchObject({ provider: "lmstudio", local: true });
    expect(classifyUrl("http://localhost:4000/v1")).toMatchObject({ provider: "litellm", router: true, label: "localhost:4000 (LiteLLM)" });
    expect(classifyUrl("http://localhost:9999/v1/chat/completions")).toMatchObject({ provider: "local", local: true });
    expect(classifyUrl("localhost:11434")).toMatchObject({ provider: "ollama" });
  });
  it("ignores URLs that are not model routes", () => {
    for (const u of ["http://localhost:3000/", "https://example.com/api/users", "https://github.com/openai/openai-node", "openai", "", "http://localhost:5432"]) {
      expect(classifyUrl(u), u).toBeUndefined();
    }
  });
  it("classifies an unknown remote host by a model API path", () => {
    expect(classifyUrl("https://llm.acme-corp.net/v1/chat/completions")).toMatchObject({ provider: "remote", local: false, label: "llm.acme-corp.net" });
  });
  it("RFC 2606/6761 placeholder hosts are never routes", () => {
    for (const u of ["https://llm.example.com/v1/chat/completions", "https://example.org/v1/messages", "http://gateway.test/v1/chat/completions", "https://x.invalid/api/chat", "https://llm.example/v1"]) {
      expect(classifyUrl(u), u).toBeUndefined();
    }
  });
  it("a provider's web pages and other services on its host are not model routes (H2)", () => {
    for (const u of ["https://ollama.com/library", "https://ollama.com/library/llama3", "https://ollama.com/api/web_search", "https://platform.openai.com/docs/models", "https://openrouter.ai/models"]) {
      expect(classifyUrl(u), u).toBeUndefined();
    }
    for (const u of ["https://ollama.com/api/chat", "https://ollama.com", "https://api.groq.com/openai/v1", "https://openrouter.ai/api/v1", "https://api.deepseek.com/chat/completions", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent"]) {
      expect(classifyUrl(u), u).toBeDefined();
    }
  });
});

describe("model tags and env vars", () => {
  it("an Ollama cloud tag is not local", () => {
    expect(classifyModelTag("gpt-oss:120b-cloud")).toMatchObject({ provider: "ollama-cloud", local: false });
    expect(classifyModelTag("qwen3-coder:cloud")).toMatchObject({ provider: "ollama-cloud" });
    expect(classifyModelTag("llama3.2:3b")).toBeUndefined();
    expect(classifyModelTag("gemma2:9b")).toBeUndefined();
  });
  it("API-key env vars name their provider", () => {
    expect(classifyEnvVar("OPENROUTER_API_KEY")).toMatchObject({ provider: "openrouter", router: true });
    expect(classifyEnvVar("GROQ_API_KEY")).toMatchObject({ provider: "groq" });
    expect(classifyEnvVar("HOME")).toBeUndefined();
  });
});

describe("satisfiesClaim", () => {
  const ollama = classifyUrl("http://localhost:11434")!;
  const litellm = classifyUrl("http://localhost:4000")!;
  const openrouter = classifyUrl("https://openrouter.ai/api/v1")!;
  const azure = classifyUrl("https://x.openai.azure.com/openai")!;
  it("local claims need a local, non-router route", () => {
    expect(satisfiesClaim(ollama, "local")).toBe(true);
    expect(satisfiesClaim(litellm, "local")).toBe(false); // a LiteLLM proxy on localhost still routes to the cloud
    expect(satisfiesClaim(classifyModelTag("gpt-oss:120b-cloud")!, "local")).toBe(false);
  });
  it("routers never satisfy a specific claim, except their own", () => {
    expect(satisfiesClaim(openrouter, "openai")).toBe(false);
    expect(satisfiesClaim(openrouter, "openrouter")).toBe(true);
    expect(satisfiesClaim(azure, "openai")).toBe(true);
    expect(satisfiesClaim(ollama, "ollama-cloud")).toBe(true);
  });
  it("an unresolved endpoint is never a lie", () => {
    expect(satisfiesClaim({ provider: "openai", label: "x", local: false, router: false, unresolved: true }, "local")).toBe(true);
  });
});

describe("routeOfEndpoint (shared by the TS/JS and Python fronts)", () => {
  it("classifies a resolved URL, any other http host, a catalogue env var, or says it is unresolved", async () => {
    const { routeOfEndpoint } = await import("../../rules/core/routes.js");
    const env = (v: string) => `process.env.${v}`;
    expect(routeOfEndpoint({ value: "http://localhost:11434/v1" }, "openai", "OpenAI", env)).toMatchObject({ provider: "ollama", local: true });
    expect(routeOfEndpoint({ value: "https://llm.acme-corp.net/v1" }, undefined, "Client", env)).toMatchObject({ provider: "remote", label: "llm.acme-corp.net", local: false });
    // H3: a provider's client at an unknown host keeps its provider (a gateway), and a placeholder host is unresolved
    expect(routeOfEndpoint({ value: "https://llm.acme-corp.net/v1" }, "azure-openai", "AzureOpenAI", env)).toMatchObject({ provider: "azure-openai", label: "llm.acme-corp.net", local: false, custom: true });
    expect(routeOfEndpoint({ value: "https://llm-gateway.example.com/openai/" }, "azure-openai", "AzureOpenAI", env)).toMatchObject({ unresolved: true });
    expect(routeOfEndpoint({ env: "GROQ_API_KEY" }, "openai", "OpenAI", env)).toMatchObject({ provider: "groq" });
    expect(routeOfEndpoint({ env: "MY_URL" }, "openai", "OpenAI", env)).toMatchObject({ label: "OpenAI at process.env.MY_URL", unresolved: true });
    expect(routeOfEndpoint({}, undefined, "OpenAI", env)).toMatchObject({ provider: "unknown", label: "OpenAI with a computed endpoint", unresolved: true });
  });
});
