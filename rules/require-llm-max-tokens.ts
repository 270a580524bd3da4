/**
 * require-llm-max-tokens (SPEC §2.7): every LLM call sets an output budget, in whatever
 * spelling its API uses (`max_tokens`, `max_completion_tokens`, `max_output_tokens`,
 * `maxTokens`, `maxOutputTokens`, `options.num_predict`, `numPredict`, `maxGenerationTokens`).
 */
import path from "node:path";
import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "./create-rule.js";
import { isTestOrFixturePath } from "./core/test-files.js";
import { addSettingEdit, findLlmCalls, hasAnyKey, paramQueryOf, providerLabel, llmCollector } from "./core/llm-calls.js";
import { MAX_TOKEN_KEYS, SETTING_CONTAINERS, requiredParams } from "./core/llm-params.js";
import { resolveValue, valueEnvOf } from "./core/values.js";

export type Options = [{ suggestedMaxTokens?: number; checkTestFiles?: boolean }];
export type MessageIds = "missing" | "addBudget";

export default createRule<Options, MessageIds>({
  name: "require-llm-max-tokens",
  meta: {
    type: "problem",
    docs: {
      description: "LLM calls must set an output-token budget (max_tokens, maxOutputTokens, options.num_predict…).",
      recommended: "warn",
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          suggestedMaxTokens: { type: "integer", minimum: 1, description: "Budget the suggestion inserts (default 1024)." },
          checkTestFiles: { type: "boolean", description: "Also report in test files, mocks and fixture folders (default true; false in recommended)." },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      missing: "{{api}}() to {{provider}} sets no output budget: a runaway answer runs until the context is full. Set `{{key}}`.",
      addBudget: "Add `{{key}}: {{budget}}` to this call.",
    },
    defaultOptions: [{ suggestedMaxTokens: 1024, checkTestFiles: true }],
  },
  create(context, [options]) {
    if (options.checkTestFiles === false && isTestOrFixturePath(context.physicalFilename, context.cwd)) return {};
    const budget = String(options.suggestedMaxTokens ?? 1024);
    return {
      ...llmCollector(context.sourceCode),
      "Program:exit"(program) {
        const env = valueEnvOf(context);
        let file;
        try {
          file = findLlmCalls(program, env, context.sourceCode.text);
        } catch {
          return;
        }
        if (!file.calls.length) return;
        for (const call of file.calls) {
          if (!call.settings || call.client?.testDouble) continue;
          try {
            const d = requiredParams({ ...paramQueryOf(call, env, path.resolve(context.cwd, context.physicalFilename)), suggestedBudget: Number(budget) }).budget;
            if (d.state !== "missing") continue;
            if (call.api === "getGenerativeModel" && file.calls.some((c) => c.client?.node === call.node && resolveValue(c.request, env).kind === "object" && hasAnyKey(c.request, SETTING_CONTAINERS, MAX_TOKEN_KEYS, env) !== "absent")) continue;
            const data = { api: call.api, provider: providerLabel(call, env), key: d.key, budget: String(d.suggested) };
            const edit = addSettingEdit(call, d.insertPath, data.budget, context.sourceCode.text);
            context.report({
              node: call.reportNode as TSESTree.Node,
              messageId: "missing",
              data,
              suggest: edit ? [{ messageId: "addBudget", data, fix: (f) => f.replaceTextRange(edit.range, edit.text) }] : [],
            });
          } catch {
            /* skip quietly */
          }
        }
      },
    };
  },
});
