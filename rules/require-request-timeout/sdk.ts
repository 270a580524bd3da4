/**
 * require-request-timeout — LLM SDK clients built without `timeout` (option `checkSdkClients`, on in `strict`).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { findProp, sdkClientCreated, unwrap } from "../core/http-calls.js";
import { SDK_TIMEOUT_KEYS, type TimeoutState, addProperty, objectOf } from "./utils.js";

// ---- SDK clients (strict) ----------------------------------------------------------------
export function checkSdk(t: TimeoutState, node: TSESTree.NewExpression | TSESTree.CallExpression) {
  const c = sdkClientCreated(node, t.bindings);
  if (!c) return;
  const cfg = objectOf(t, c.options);
  if (cfg === "unknown") return;
  if (cfg !== "none") {
    if (cfg.properties.some((p) => p.type === "SpreadElement")) return;
    if (SDK_TIMEOUT_KEYS.some((k) => findProp(cfg, k).prop)) return;
  }
  const client = `${node.type === "NewExpression" ? "new " : ""}${c.name}()`;
  t.context.report({
    node,
    messageId: "sdkNoTimeout",
    data: { client, ms: t.ms },
    suggest:
      cfg !== "none" && cfg === unwrap(c.options!)
        ? [{ messageId: "addTimeoutOption", data: { ms: t.ms }, fix: (f) => addProperty(f, cfg, `timeout: ${t.ms}`) }]
        : cfg === "none" && node.arguments.length === 0 && node.type === "NewExpression"
          ? [{ messageId: "addTimeoutOption", data: { ms: t.ms }, fix: (f) => f.replaceText(node, `new ${t.sourceCode.getText(node.callee)}({ timeout: ${t.ms} })`) }]
          : [],
  });
}
