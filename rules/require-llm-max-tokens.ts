/**
 * require-llm-max-tokens (SPEC §2.7): every LLM call sets an output budget, in whatever
 * spelling its API uses (`max_tokens`, `max_completion_tokens`, `max_output_tokens`,
 * `maxTokens`, `maxOutputTokens`, `options.num_predict`, `numPredict`, `maxGenerationTokens`).
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "./create-rule.js";
import { addSettingEdit, findLlmCalls, hasAnyKey, modelOf, providerLabel, type LlmCall, llmCollector } from "./core/llm-calls.js";
import { resolveValue, valueEnvOf } from "./core/values.js";
import { DEFAULT_REASONING, regex } from "./require-llm-temperature.js";

export type Options = [{ suggestedMaxTokens?: number }];
export type MessageIds = "missing" | "addBudget";

/** Every spelling of an output budget (SPEC §2.7), plus the close relatives SDKs use. */
export const MAX_TOKEN_KEYS = ["max_tokens", "max_completion_tokens", "max_output_tokens", "maxTokens", "maxOutputTokens", "num_predict", "numPredict", "maxGenerationTokens", "maxCompletionTokens", "max_new_tokens", "maxNewTokens"];
export const CONTAINERS = ["options", "generationConfig", "config", "modelKwargs", "parameters"];

/** The spelling a suggestion uses for this API. */
export function budgetPath(call: LlmCall, model: string | undefined): string[] {
  switch (call.shape) {
    case "openai":
      return [model && regex(DEFAULT_REASONING, DEFAULT_REASONING).test(model) ? "max_completion_tokens" : "max_tokens"];
    case "openai-responses":
      return ["max_output_tokens"];
    case "anthropic":
      return ["max_tokens"];
    case "ollama":
      return ["options", "num_predict"];
    case "google":
      return [call.api === "getGenerativeModel" ? "generationConfig" : "config", "maxOutputTokens"];
    case "ai-sdk":
      return ["maxOutputTokens"];
    case "langchain":
      return [/Ollama/.test(call.api) ? "numPredict" : /Google|Vertex/.test(call.api) ? "maxOutputTokens" : "maxTokens"];
    default:
      return ["maxTokens"];
  }
}

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
        },
        additionalProperties: false,
      },
    ],
    messages: {
      missing:
        "{{api}}() to {{provider}} has no output budget: one runaway answer (or an agent loop) bills and blocks until the model's context is exhausted. Set `{{key}}` (e.g. {{budget}}) on this call.",
      addBudget: "Add `{{key}}: {{budget}}` to this call.",
    },
  },
  defaultOptions: [{ suggestedMaxTokens: 1024 }],
  create(context, [options]) {
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
          if (!call.settings) continue;
          try {
            const t = hasAnyKey(call.request, CONTAINERS, MAX_TOKEN_KEYS, env);
            const bare = t === "unknown" && !call.request && call.shape === "langchain" && call.node.arguments.length === 0;
            if (t !== "absent" && !bare) continue;
            if (call.api === "getGenerativeModel" && file.calls.some((c) => c.client?.node === call.node && resolveValue(c.request, env).kind === "object" && hasAnyKey(c.request, CONTAINERS, MAX_TOKEN_KEYS, env) !== "absent")) continue;
            const path = budgetPath(call, modelOf(call, env));
            const key = path.join(".");
            const data = { api: call.api, provider: providerLabel(call, env), key, budget };
            const edit = addSettingEdit(call, path, budget, context.sourceCode.text);
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
