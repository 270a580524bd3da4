/**
 * no-cloud-llm (SPEC §2.8): policy compiled into the call graph. Every LLM client or call whose
 * endpoint resolves outside `allow` is an error (on the construction or the call); an endpoint
 * that cannot be resolved statically is "unprovable" unless `allowUnresolved`; a router
 * (LiteLLM on localhost:4000, OpenRouter…) is never a local model. Off in `recommended`, on in
 * `local-only`. Endpoints are classified by the shared provider catalogue (routes.ts).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "./create-rule.js";
import { calleeImport, findLlmCalls, modelOf, type LlmClient, type LlmFile, llmCollector } from "./core/llm-calls.js";
import { DEFAULT_ALLOW, clientEndpoint, clientEndpointNode, endpointVerdict, overridableEndpoint, urlRoute } from "./core/llm-endpoints.js";
import { PROVIDERS_BY_ID, providerForPackage } from "./core/providers.js";
import { classifyModelTag, classifyUrl, type Route } from "./core/routes.js";
import { getProp, resolveUrlText, resolveValue, valueEnvOf } from "./core/values.js";

export { clientEndpoint, DEFAULT_ALLOW };

type Node = TSESTree.Node;
export type Options = [{ allow?: string[]; allowUnresolved?: boolean }];
export type MessageIds = "cloud" | "router" | "unprovable";

/** Constructors that open a connection to a model API (not helpers such as `BetaFallbackState`). */
const CLIENT_NAME = /^(?:[A-Z]\w*)?(?:Client|OpenAI|Anthropic\w*|Ollama|Groq|Mistral|GenAI|GenerativeAI|Cohere\w*|TokenJS|Portkey|Together|Cerebras|Bedrock\w*|HfInference|InferenceClient|Embeddings|WS|WebSocket)$|^Chat[A-Z]\w*$|^create(?!Stream|Message|Completion|Tool|Agent|Chain|Prompt|Retriever|Document|Parser)[A-Z]\w*$/;

export default createRule<Options, MessageIds>({
  name: "no-cloud-llm",
  meta: {
    type: "problem",
    docs: {
      description: "Under a local-only policy, every LLM client and call must resolve to an allowed (local) endpoint.",
      presets: ["local-only"],
    },
    schema: [
      {
        type: "object",
        properties: {
          allow: { type: "array", items: { type: "string" }, description: "Allowed hosts or globs (default localhost, 127.0.0.1, ::1, host.docker.internal). LAN hosts must be added." },
          allowUnresolved: { type: "boolean", description: "Do not report endpoints that cannot be resolved statically." },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      cloud:
        "{{what}} sends model calls to {{label}} ({{provider}}), outside the local-only allow list ({{allow}}). Point it at a local server (e.g. baseURL \"http://localhost:11434/v1\") or add the host to `allow`.",
      router:
        "{{what}} goes through {{label}}, a router that forwards to cloud providers: not a local model, even on localhost. Call the local model server directly (Ollama on localhost:11434).",
      unprovable: "{{what}}: the endpoint ({{label}}) is not known statically, so local-only cannot be proven. Use a literal local URL or set `allowUnresolved`.",
    },
    defaultOptions: [{ allow: DEFAULT_ALLOW, allowUnresolved: false }],
  },
  create(context, [options]) {
    const policy = { allow: options.allow ?? DEFAULT_ALLOW, allowUnresolved: options.allowUnresolved };
    return {
      ...llmCollector(context.sourceCode),
      "Program:exit"(program) {
        const env = valueEnvOf(context);
        const file: LlmFile = findLlmCalls(program, env, context.sourceCode.text);
        if (!file.llm && !file.callNodes.length) return; // callNodes: raw HTTP (axios.create) to a model path
        const sc = context.sourceCode;
        const decide = (node: Node, what: string, route: Route) => {
          const messageId: MessageIds | undefined = endpointVerdict(route, policy);
          if (!messageId) return;
          const provider = PROVIDERS_BY_ID.get(route.provider)?.display ?? (route.local ? "local server" : "remote host");
          context.report({ node, messageId, data: { what, label: route.label, provider, allow: (options.allow ?? DEFAULT_ALLOW).join(", ") } });
        };
        const reported = new Set<Node>();
        // Client constructions: every SDK client the catalogue knows.
        const clients: LlmClient[] = file.clients.filter((c) => !c.typedOnly && !c.defaultInstance && c.kind !== "google-model" && c.kind !== "structured-model");
        for (const n of file.callNodes) {
          if (clients.some((c) => c.node === n)) continue;
          const imp = calleeImport(file.imports, n.callee);
          if (!imp) continue;
          const isCtor = n.type === "NewExpression" || /^create[A-Z]/.test(imp.imported);
          if (isCtor && (providerForPackage(imp.source) || /openai-compatible|litellm/.test(imp.source)) && CLIENT_NAME.test(imp.imported === "default" || imp.imported === "*" ? "Client" : imp.imported)) {
            clients.push({ kind: "openai", node: n, source: imp.source, imported: imp.imported, args: n.arguments as Node[] });
          }
        }
        for (const c of clients) {
          let route = clientEndpoint(c, env);
          // `process.env.X ?? "http://localhost…"`: the env var can point anywhere (P1).
          // Only when the default itself would pass: a cloud default is reported as cloud.
          const override = route.unresolved || endpointVerdict(route, policy) ? undefined : overridableEndpoint(clientEndpointNode(c, env).node, env);
          if (override) route = { ...route, label: `${override}, default ${route.label}`, unresolved: true };
          const callee = (c.node as TSESTree.NewExpression).callee ?? c.node;
          const what = `${c.node.type === "NewExpression" ? "new " : ""}${sc.getText(callee as Node)}()`;
          reported.add(c.node);
          decide(c.node, what, route);
        }
        // `axios.create({ baseURL })` pointed at a known model host or model API path: an HTTP client for it.
        for (const n of file.callNodes) {
          const imp = n.type === "CallExpression" ? calleeImport(file.imports, n.callee) : undefined;
          if (imp?.source !== "axios" || imp.imported !== "create") continue;
          const cfg = resolveValue(n.arguments[0] as Node | undefined, env);
          const prop = (k: string) => {
            const p = getProp(cfg, k, env);
            return p.state === "present" ? p.node : undefined;
          };
          const base = cfg.kind === "object" ? prop("baseURL") ?? prop("url") : undefined;
          const text = base ? resolveUrlText(base, env) : undefined;
          const route = text && !text.includes("\u0000") ? classifyUrl(text) : undefined;
          if (route) {
            reported.add(n);
            decide(n, `${sc.getText(n.callee as Node)}()`, route);
          }
        }
        for (const call of file.calls) {
          if (reported.has(call.node) || (call.via && reported.has(call.via))) continue; // checked at its axios.create
          // Raw HTTP to a model path
          if (call.url !== undefined) {
            decide(call.node, `${call.source} to ${call.url.replace(/\u0000/g, "${…}")}`, urlRoute(call.url, call.source));
            continue;
          }
          // AI SDK with a plain string model id: the Vercel AI Gateway
          if (call.shape === "ai-sdk" && !call.client) {
            const req = resolveValue(call.request, env);
            const m = req.kind === "object" ? req.props.get("model") : undefined;
            const mv = m ? resolveValue(m, env) : undefined;
            if (mv?.kind === "literal" && typeof mv.value === "string") {
              decide(m!, `${call.api}() with model "${mv.value}"`, { provider: "ai-gateway", label: "the Vercel AI Gateway (ai-gateway.vercel.sh)", local: false, router: true, host: "ai-gateway.vercel.sh" });
            }
            continue;
          }
          // Ollama (local daemon) asked for a cloud model tag
          if (call.shape === "ollama" || call.client?.kind === "ollama" || (call.client && providerForPackage(call.client.source)?.id === "ollama")) {
            const model = modelOf(call, env);
            const tag = model ? classifyModelTag(model) : undefined;
            if (tag) decide(call.node, `${call.api}() with model "${model}"`, tag);
          } else if (call.client?.kind === "openai" && !call.client.typedOnly) {
            // An OpenAI-compatible client pointed at Ollama, with a cloud model tag
            const model = modelOf(call, env);
            const tag = model ? classifyModelTag(model) : undefined;
            if (tag) decide(call.node, `${call.api}() with model "${model}"`, tag);
          }
        }
      },
    };
  },
});
