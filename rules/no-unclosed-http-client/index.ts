/**
 * no-unclosed-http-client — no CLOSE-WAIT leaks (docs/rules/no-unclosed-http-client.md).
 *
 * Three checks, one file each: responses.ts (a `fetch` Response or an `http(s)` IncomingMessage
 * whose body some path leaves unread), agents.ts (keep-alive agents, undici dispatchers, sockets
 * and WebSockets created per call and never closed or handed on) and clients.ts (LLM SDK clients
 * built once per unit of work). This file holds the rule's meta and dispatches to them.
 */
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../create-rule.js";
import { calleeRoot, interestingNames, mayHaveResponseBodies, mayUseNetwork, moduleBindings } from "../core/http-calls.js";
import { checkResource } from "./agents.js";
import { checkClient } from "./clients.js";
import { ResponseCheck } from "./responses.js";
import { isBrowserOnly, type MessageIds, type ModuleState, type Options } from "./utils.js";

export type { MessageIds, Options } from "./utils.js";

export default createRule<Options, MessageIds>({
  name: "no-unclosed-http-client",
  meta: {
    type: "problem",
    docs: {
      description: "HTTP responses, agents, sockets and SDK clients must be consumed, cancelled or closed on every path, or the process keeps their sockets in CLOSE-WAIT.",
      recommended: "error",
    },
    // eslint-disable-next-line eslint-plugin/require-meta-has-suggestions -- the suggestions are given in responses.ts
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          checkSdkClients: { type: "boolean", description: "Report LLM SDK clients created once per loop iteration, array callback or request handler." },
          checkResources: { type: "boolean", description: "Report keep-alive agents, undici dispatchers, sockets and WebSockets created per call and never closed." },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      unconsumedResponse: "The Response from {{call}} is left unread when the function leaves through {{exit}}: its socket stays open (CLOSE-WAIT).",
      unconsumedThen: "The Response in this .then() is left unread when the callback leaves through {{exit}}: its socket stays open (CLOSE-WAIT).",
      discardedResponse: "The Response of {{call}} is discarded unread: its socket stays open (CLOSE-WAIT). Read it or cancel its body.",
      unconsumedIncoming: "The response `{{name}}` of {{call}} is never read when the callback leaves through {{exit}}: its socket stays open.",
      resourceNotClosed: "A {{what}} is created on every call and never closed or handed on: its sockets stay open; {{close}}.",
      clientPerUnit: "{{client}} is created {{unit}}: each instance opens its own connection pool. Create it once and reuse it.",
      cancelBody: "Cancel the body before leaving: `{{text}}`.",
      resumeIncoming: "Drain the response before leaving: `{{name}}.resume()`.",
      cancelDiscarded: "Cancel the discarded body: `await (await {{call}}).body?.cancel()`.",
    },
    defaultOptions: [{ checkSdkClients: true, checkResources: true }],
  },
  create(context, [options]) {
    if (!mayUseNetwork(context.sourceCode.text)) return {}; // cheap text pre-filter
    // Browser code has no process-level CLOSE-WAIT: the browser owns the sockets (M7).
    if (isBrowserOnly(context.sourceCode.ast, context.filename, context.sourceCode.text)) return {};
    const state: ModuleState = { bindings: new Map(), interesting: new Set() };
    // No fetch and no node:http in the text: only the client/resource checks can apply, so skip the
    // code-path tracking and the per-Identifier listener (most of this rule's cost).
    const responses = mayHaveResponseBodies(context.sourceCode.text) ? new ResponseCheck(context, state).listeners() : {};
    return {
      ...responses,
      Program(program: TSESTree.Program) {
        state.bindings = moduleBindings(program);
        state.interesting = interestingNames(state.bindings);
      },
      "NewExpression, CallExpression"(node: TSESTree.NewExpression | TSESTree.CallExpression) {
        const root = calleeRoot(node.callee);
        if (!root || !state.interesting.has(root)) return;
        if (options.checkResources !== false) checkResource(context, state, node);
        if (options.checkSdkClients !== false) checkClient(context, state, node);
      },
    } as TSESLint.RuleListener;
  },
});
