/**
 * require-request-timeout — every outbound request can give up (docs/rules/require-request-timeout.md).
 *
 * `fetch` without a `signal` that can time out (`AbortSignal.timeout`, `AbortSignal.any` with
 * one, or an AbortController aborted from a timer), axios calls and `axios.create` without
 * `timeout`, `http(s).request/get` with neither a `timeout` option nor `req.setTimeout()`,
 * and — option `checkSdkClients`, on in `strict` — LLM SDK clients built without `timeout`.
 * Unresolvable options (a parameter, a spread) are not reported: the caller may set them.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../create-rule.js";
import { fetchShadowCheck } from "../core/code-paths.js";
import { calleeRoot, interestingNames, isFetchCall, localFetchIsNotGlobal, mayUseNetwork, memberName, moduleBindings } from "../core/http-calls.js";
import { checkAxios } from "./axios.js";
import { checkFetch } from "./fetch.js";
import { checkHttp } from "./http.js";
import { checkSdk } from "./sdk.js";
import type { MessageIds, Options, TimeoutState } from "./utils.js";

export type { MessageIds, Options } from "./utils.js";

export default createRule<Options, MessageIds>({
  name: "require-request-timeout",
  meta: {
    type: "problem",
    docs: {
      description: "Outbound HTTP requests (fetch, axios, http(s).request, and optionally LLM SDK clients) must be able to time out.",
      recommended: "warn",
      strictOptions: [{ checkSdkClients: true }],
    },
    // eslint-disable-next-line eslint-plugin/require-meta-has-suggestions -- the suggestions are given in fetch.ts, axios.ts, http.ts, sdk.ts
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          defaultTimeoutMs: { type: "integer", minimum: 1, description: "Timeout the suggestions insert, in milliseconds (default 30000)." },
          checkSdkClients: { type: "boolean", description: "Also report LLM SDK clients constructed without a `timeout` (on in the strict preset)." },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      fetchNoSignal:
        "{{call}} has no `signal` that can time out: if the server stops answering, this request (and the loop awaiting it) hangs with its socket open. Pass `signal: AbortSignal.timeout({{ms}})`.",
      fetchSignalNoTimer:
        "{{call}} uses `{{controller}}.signal`, but nothing aborts `{{controller}}` on a timer, so it is no timeout: a silent server hangs this request forever. Use `signal: AbortSignal.any([{{controller}}.signal, AbortSignal.timeout({{ms}})])` or abort it from a `setTimeout`.",
      axiosNoTimeout:
        "{{call}} has no `timeout` (axios waits forever by default): a silent server hangs this request and its socket. Add `timeout: {{ms}}` to the config, or call through an `axios.create({ timeout })` instance.",
      axiosCreateNoTimeout:
        "axios.create() without `timeout`: every call through this instance can hang forever on a silent server. Add `timeout: {{ms}}`.",
      httpNoTimeout:
        "{{call}} has neither a `timeout` option nor `req.setTimeout()`: a silent server keeps this socket and the caller waiting forever. Add `timeout: {{ms}}` (and destroy the request on 'timeout'), or call `req.setTimeout()`.",
      sdkNoTimeout:
        "{{client}} is created without a `timeout`: the SDK default (minutes, or none) lets one stuck call stall the agent that long. Set `timeout: {{ms}}` (or the SDK's equivalent) in the constructor.",
      streamNoTimeout:
        "{{call}} streams its response with no connect or idle timeout: a stalled stream hangs forever. Time out the connect; reset an idle timer per chunk.",
      // eslint-disable-next-line eslint-plugin/no-unused-message-ids -- reported by the Python front (rules/python/timeout-facts.ts)
      callNoTimeout: "{{call}} has no timeout: a silent server hangs this request (and its caller) forever. Pass {{fix}}.",
      // eslint-disable-next-line eslint-plugin/no-unused-message-ids -- reported by the Python front (rules/python/timeout-facts.ts)
      timeoutDisabled: "{{call}} turns its timeout off ({{setting}}): a silent server hangs every request forever. Set {{fix}}.",
      addSignal: "Add `signal: AbortSignal.timeout({{ms}})`.",
      addTimeoutOption: "Add `timeout: {{ms}}`.",
    },
    defaultOptions: [{ defaultTimeoutMs: 30_000, checkSdkClients: false }],
  },
  create(context, [options]) {
    if (!mayUseNetwork(context.sourceCode.text)) return {}; // cheap text pre-filter
    const state: TimeoutState = {
      context,
      options,
      sourceCode: context.sourceCode,
      ms: String(options.defaultTimeoutMs ?? 30_000),
      bindings: new Map(),
      shadowed: fetchShadowCheck(context.sourceCode as never, localFetchIsNotGlobal),
      interesting: new Set(),
      defaultsWithTimeout: new Set(),
      axiosCandidates: [],
    };
  return {
    Program(program) {
      state.bindings = moduleBindings(program);
      state.interesting = interestingNames(state.bindings);
    },
    AssignmentExpression(node) {
      // axios.defaults.timeout = …, api.defaults.timeout = …
      const l = node.left;
      if (l.type === "MemberExpression" && memberName(l) === "timeout" && l.object.type === "MemberExpression" && memberName(l.object) === "defaults") {
        const o = l.object.object;
        const name = o.type === "Identifier" ? o.name : o.type === "MemberExpression" ? memberName(o) : undefined;
        if (name) state.defaultsWithTimeout.add(name);
      }
    },
    CallExpression(node) {
      const root = calleeRoot(node.callee);
      if (!root || !state.interesting.has(root)) return;
      // no try/catch here: createRule's guard owns the crash policy (rules/create-rule.ts)
      if (isFetchCall(node, state.bindings, state.shadowed)) {
        checkFetch(state, node);
        return;
      }
      checkAxios(state, node);
      checkHttp(state, node);
      if (options.checkSdkClients) checkSdk(state, node);
    },
    NewExpression(node) {
      const root = calleeRoot(node.callee);
      if (options.checkSdkClients && root && state.interesting.has(root)) checkSdk(state, node);
    },
    "Program:exit"() {
      for (const c of state.axiosCandidates) if (!state.defaultsWithTimeout.has(c.object)) c.report();
    },
  };
  },
});
