/**
 * no-unclosed-http-client, check 2 of 3: keep-alive agents, undici dispatchers, sockets and
 * WebSockets created on every call (inside a function) and never closed or handed on.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { decideResource } from "../core/resource-decision.js";
import { memberName, resourceCreated } from "../core/http-calls.js";
import { enclosingFunction, isTestPosition, LISTEN, objectIsRequestOption, valueFlow, type Context, type ModuleState, type Node } from "./utils.js";

const CLOSERS = new Set(["close", "destroy", "end", "terminate", "disconnect", "destroySoon"]);

/** Report a per-call resource created at `node` that every reference leaves open. */
export function checkResource(context: Context, state: ModuleState, node: TSESTree.NewExpression | TSESTree.CallExpression): void {
  const resource = resourceCreated(node, state.bindings);
  if (!resource) return;
  const fn = enclosingFunction(node);
  if (!fn) return; // module level: created once
  const flow = valueFlow(node);
  const close = closeAdvice(resource.kind);
  const reportIt = () => {
    const id = decideResource({ kind: "pool", scope: "call", fate: "leaked" });
    if (id) context.report({ node, messageId: id, data: { what: resource.what, close } });
  };
  if (flow.parent.type === "Property" && flow.parent.value === flow.node) {
    if (objectIsRequestOption(flow.parent)) reportIt();
    return;
  }
  if (flow.parent.type === "VariableDeclarator" && flow.parent.init === flow.node && flow.parent.id.type === "Identifier") {
    const declarator = flow.parent as TSESTree.VariableDeclarator & { id: TSESTree.Identifier };
    const variable = context.sourceCode.getDeclaredVariables(declarator).find((v) => v.name === declarator.id.name);
    if (!variable) return;
    for (const ref of variable.references) {
      const id = ref.identifier as Node;
      if (id === declarator.id) continue;
      if (resourceUse(id, resource.kind) !== "use") return; // closed, lifecycle-managed or handed on
    }
    reportIt();
  }
}

function closeAdvice(kind: string): string {
  if (kind === "websocket") return "call `.close()`";
  if (kind === "socket") return "call `.end()`/`.destroy()`";
  if (kind === "agent") return "call `.destroy()`";
  return "call `await .close()`";
}

/** One use of a per-call agent/socket: "use" keeps it ours; anything else ends our concern. */
function resourceUse(id: Node, kind: string): "use" | "released" {
  const parent = id.parent;
  if (parent?.type === "MemberExpression" && parent.object === id) {
    const name = memberName(parent);
    if (!name) return "released";
    if (CLOSERS.has(name)) return "released";
    if (kind === "websocket" || kind === "socket") {
      // an `error` listener does not close the socket (an error may come without a close); `close`/`end` listeners manage its lifecycle
      if (/^onclose$/.test(name)) return "released";
      if ((LISTEN.has(name) || name === "addEventListener") && parent.parent?.type === "CallExpression") {
        const ev = parent.parent.arguments[0];
        if (ev?.type === "Literal" && (ev.value === "close" || ev.value === "end")) return "released";
      }
    }
    return "use";
  }
  const f = valueFlow(id);
  if (isTestPosition(f.node, f.parent)) return "use";
  if (f.parent.type === "Property" && f.parent.value === f.node) return objectIsRequestOption(f.parent) ? "use" : "released";
  return "released";
}
