/**
 * Shared shape of the Python front's findings. The rules' Python fronts are their own files:
 * `no-unclosed-http-client` in `resource-facts.ts`, `no-unbounded-loop` in `loop-facts.ts`
 * (each builds the language-neutral facts its rule's one decision in `rules/core/` reads).
 */
import type { Node as TsNode } from "web-tree-sitter";

export interface PyFinding {
  rule: string;
  messageId: string;
  data: Record<string, string>;
  node: TsNode;
}
