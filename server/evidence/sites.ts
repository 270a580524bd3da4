/**
 * The static half of live evidence: every place in a workspace where a request to a model
 * endpoint is made (a fetch/axios/http call, an SDK method call, a provider factory call),
 * with the endpoint host:port it resolves to and the enclosing function.
 *
 * Sites are collected by an ESLint rule that reports nothing (`sitesRule`), run in the same
 * ESLint pass as the Ghostwatch rules, so it shares their per-file facts and value resolution
 * (`rules/core/`): one lint pass gives both the findings and the sites. The endpoint of a site
 * is whatever the core's reach analysis gives for the call's own source range — the URL const
 * it passes, the client it goes through — so a call with an unknown endpoint is no site.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { getFileFacts, getResolver } from "../../rules/core/eslint-facts.js";
import type { FnInfo } from "../../rules/core/file-facts.js";
import { axiosCall, httpRequestKind, isFetchCall, moduleBindings } from "../../rules/core/http-calls.js";
import { findLlmCalls, llmCollector } from "../../rules/core/llm-calls.js";
import { reachOf } from "../../rules/core/reach.js";
import type { Route } from "../../rules/core/routes.js";
import { valueEnvOf } from "../../rules/core/values.js";

type Node = TSESTree.Node;

export interface SiteEndpoint {
  /** Host name or IP literal, lower case, no brackets. */
  host: string;
  port: number;
  /** What a user reads: `api.groq.com`, `localhost:11434`. */
  label: string;
  local: boolean;
  router: boolean;
  provider: string;
}

export interface Site {
  /** Absolute path. */
  file: string;
  line: number;
  column: number;
  /** Enclosing function (`callRouter`, `Agent.run`), or `(module)`. */
  function: string;
  /** The call as written, short: `fetch()`, `groq.chat.completions.create()`. */
  call: string;
  endpoints: SiteEndpoint[];
  /** Last line of the call (findings on any line of it belong to the site). */
  endLine: number;
  /** Line of the enclosing function's name (its honest-llm-names finding belongs to the site). */
  functionLine?: number;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };
const URL_RE = /^(?:(https?|wss?):\/\/)?(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?/i;

/** Endpoint of a reach hit: host and port from the evidence text (a URL) or the route label. */
export function endpointOf(route: Route, text: string): SiteEndpoint | undefined {
  if (route.unresolved) return undefined;
  const fromText = /^(https?|wss?):\/\//i.test(text) ? URL_RE.exec(text) : null;
  const fromLabel = URL_RE.exec(route.label.replace(/\s.*$/, ""));
  const m = fromText ?? fromLabel;
  const host = (m?.[2] ?? route.host ?? "").toLowerCase().replace(/^\[|\]$/g, "");
  if (!host || !/[.:]|^localhost$/.test(host)) return undefined;
  const scheme = (m?.[1] ?? "").toLowerCase();
  const port = m?.[3] ? Number(m[3]) : scheme ? DEFAULT_PORTS[scheme] : route.local ? undefined : 443;
  if (!port) return undefined;
  return { host, port, label: route.label, local: route.local, router: route.router, provider: route.provider };
}

function callText(node: TSESTree.CallExpression | TSESTree.NewExpression, sc: TSESLint.SourceCode): string {
  const callee = sc.getText(node.callee).replace(/\s+/g, "");
  const short = callee.length > 48 ? "…" + callee.slice(-47) : callee;
  return node.type === "NewExpression" ? `new ${short}()` : `${short}()`;
}

function innermostFunction(functions: FnInfo[], range: [number, number]): FnInfo | undefined {
  let best: FnInfo | undefined;
  for (const f of functions) {
    if (f.range[0] <= range[0] && range[1] <= f.range[1] && (!best || f.range[1] - f.range[0] < best.range[1] - best.range[0])) best = f;
  }
  return best;
}

/** Where `sitesRule` leaves what it found, per absolute file name (the caller clears it). */
export type SiteSink = Map<string, Site[]>;

/** An ESLint rule that reports nothing and records the file's request sites into `sink`. */
export function sitesRule(sink: SiteSink): TSESLint.RuleModule<never, []> {
  return {
    meta: { type: "problem", schema: [], messages: {} },
    defaultOptions: [],
    create(context) {
      const sc = context.sourceCode;
      const requests: Array<TSESTree.CallExpression | TSESTree.NewExpression> = [];
      let bindings: ReturnType<typeof moduleBindings> | undefined;
      return {
        ...llmCollector(sc),
        CallExpression(node: TSESTree.CallExpression) {
          bindings ??= moduleBindings(sc.ast);
          if (isFetchCall(node, bindings) || httpRequestKind(node, bindings) || axiosCall(node, bindings)?.create === false) requests.push(node);
        },
        "Program:exit"(program: TSESTree.Program) {
          const facts = getFileFacts(context);
          const file = facts.file;
          let llm: ReturnType<typeof findLlmCalls> | undefined;
          try {
            llm = findLlmCalls(program, valueEnvOf(context), sc.text);
          } catch (e) {
            if (process.env.GHOSTWATCH_DEBUG) throw e;
          }
          const calls = new Set<TSESTree.CallExpression | TSESTree.NewExpression>(requests);
          for (const c of llm?.calls ?? []) calls.add(c.node);
          const resolver = getResolver(context);
          const out: Site[] = [];
          for (const node of calls) {
            const range = node.range as [number, number];
            const fn = innermostFunction(facts.functions, range);
            // The call's own source range is the target: the URL const it passes, the client it goes through.
            const pseudo = { range, classRange: fn?.classRange } as FnInfo;
            const endpoints: SiteEndpoint[] = [];
            for (const hit of reachOf(facts, pseudo, resolver)) {
              const ep = endpointOf(hit.route, hit.text);
              if (ep && !endpoints.some((e) => e.host === ep.host && e.port === ep.port)) endpoints.push(ep);
            }
            if (!endpoints.length) continue;
            out.push({
              file,
              line: node.loc.start.line,
              column: node.loc.start.column + 1,
              endLine: node.loc.end.line,
              function: fn ? (fn.className && !fn.name.includes(".") ? `${fn.className}.${fn.name}` : fn.name) : "(module)",
              functionLine: fn ? (fn.nameNode as Node).loc.start.line : undefined,
              call: callText(node, sc as unknown as TSESLint.SourceCode),
              endpoints,
            });
          }
          out.sort((a, b) => a.line - b.line || a.column - b.column);
          sink.set(file, out);
        },
      } as TSESLint.RuleListener;
    },
  };
}

/**
 * Sites from a file's facts alone (the Python front, which has no ESLint pass): each route atom
 * of a function, and each use of a module value (a URL constant, a client) whose reach is a
 * model route, is a site at that line. Calls of other functions are not sites (their own
 * requests are). Coarser than `sitesRule` (a line, not a call), exact on where the route is used.
 */
export function sitesOfFacts(facts: import("../../rules/core/file-facts.js").FileFacts, resolver?: import("../../rules/core/reach.js").ModuleResolver): Site[] {
  const out: Site[] = [];
  const fns = [...facts.functions].sort((a, b) => a.range[0] - b.range[0]);
  const owner = (pos: number) => innermostFunction(fns, [pos, pos + 1]);
  for (const atom of facts.atoms) {
    if (atom.kind === "ref" && !atom.self && !atom.prop && facts.fnByName.has(atom.name)) continue;
    const fn = owner(atom.start);
    const hits = atom.kind === "route" ? [{ route: atom.route, text: atom.text }] : reachOf(facts, { range: [atom.start, atom.start + 1], classRange: fn?.classRange } as FnInfo, resolver);
    const endpoints: SiteEndpoint[] = [];
    for (const h of hits) {
      const ep = endpointOf(h.route, h.text);
      if (ep && !endpoints.some((e) => e.host === ep.host && e.port === ep.port)) endpoints.push(ep);
    }
    if (!endpoints.length) continue;
    const name = fn ? (fn.className && !fn.name.includes(".") ? `${fn.className}.${fn.name}` : fn.name) : "(module)";
    const prev = out.find((s) => s.line === atom.at.line && s.function === name);
    if (prev) {
      for (const e of endpoints) if (!prev.endpoints.some((p) => p.host === e.host && p.port === e.port)) prev.endpoints.push(e);
      continue;
    }
    // a module-level constant is where a route is written, not where it is requested
    if (!fn) continue;
    out.push({
      file: facts.file,
      line: atom.at.line,
      column: atom.at.column,
      endLine: atom.at.line,
      function: name,
      functionLine: (fn.nameNode as Node).loc?.start.line,
      call: atom.kind === "ref" ? atom.name : atom.text.length > 40 ? atom.text.slice(0, 39) + "…" : atom.text,
      endpoints,
    });
  }
  return out;
}
