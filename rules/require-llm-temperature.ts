/**
 * require-llm-temperature (SPEC §2.4): every LLM call sets `temperature` explicitly, at most
 * `maxTemperature` outside a creative context. Reasoning models that reject the parameter are
 * exempt. Values are resolved through consts, spreads and defaults; unknown values pass.
 */
import path from "node:path";
import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "./create-rule.js";
import { addSettingEdit, enclosingNames, findLlmCalls, paramQueryOf, providerLabel, readSetting, type LlmCall, type LlmFile, llmCollector } from "./core/llm-calls.js";
import { DEFAULT_CREATIVE, DEFAULT_REASONING, regex, requiredParams, temperaturePaths } from "./core/llm-params.js";
import { resolveValue, valueEnvOf } from "./core/values.js";

export type Options = [{ maxTemperature?: number; creativePattern?: string; reasoningModels?: string }];
export type MessageIds = "missing" | "tooHigh" | "setZero" | "addZero";

export default createRule<Options, MessageIds>({
  name: "require-llm-temperature",
  meta: {
    type: "problem",
    docs: {
      description: "LLM calls must set temperature explicitly, at most maxTemperature (default 0.1) outside creative work.",
      recommended: "warn",
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          maxTemperature: { type: "number", minimum: 0, description: "Highest temperature allowed outside a creative context (default 0.1)." },
          creativePattern: { type: "string", description: "Regex (case-insensitive) on enclosing function/class names that marks creative work; lifts only the upper bound." },
          reasoningModels: { type: "string", description: "Regex on the model id for reasoning models that reject temperature (exempt)." },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      missing: "{{api}}() to {{provider}} sets no temperature, so the provider's default (up to 1.0) applies. Set `{{key}}: 0` (at most {{max}}).",
      tooHigh: "Temperature {{value}} is above {{max}} for non-creative work. Use 0, or name the function for its creative purpose.",
      setZero: "Set temperature to 0.",
      addZero: "Add `temperature: 0` to this call.",
    },
  },
  defaultOptions: [{ maxTemperature: 0.1, creativePattern: DEFAULT_CREATIVE, reasoningModels: DEFAULT_REASONING }],
  create(context, [options]) {
    const max = options.maxTemperature ?? 0.1;
    const creative = regex(options.creativePattern ?? DEFAULT_CREATIVE, DEFAULT_CREATIVE);
    const reasoning = regex(options.reasoningModels ?? DEFAULT_REASONING, DEFAULT_REASONING);
    return {
      ...llmCollector(context.sourceCode),
      "Program:exit"(program) {
        let file: LlmFile | undefined;
        const env = valueEnvOf(context);
        try {
          file = findLlmCalls(program, env, context.sourceCode.text);
        } catch {
          return; // never crash on odd ASTs
        }
        if (!file.calls.length) return;
        for (const call of file.calls) {
          if (!call.settings) continue;
          try {
            check(call);
          } catch {
            /* skip this call quietly */
          }
        }

        function check(call: LlmCall): void {
          const decision = requiredParams({ ...paramQueryOf(call, env, path.resolve(context.cwd, context.physicalFilename)), reasoningModels: reasoning });
          const d = decision.temperature;
          const data = { api: call.api, provider: providerLabel(call, env), max: String(max), key: d.insertPath.join(".") };
          if (d.state === "missing") {
            if (call.api === "getGenerativeModel" && laterConfig(call)) return;
            const edit = addSettingEdit(call, d.insertPath, "0", context.sourceCode.text);
            context.report({
              node: call.reportNode as TSESTree.Node,
              messageId: "missing",
              data,
              suggest: edit ? [{ messageId: "addZero", data, fix: (f) => f.replaceTextRange(edit.range, edit.text) }] : [],
            });
            return;
          }
          if (d.state !== "set") return;
          const t = readSetting(call.request, temperaturePaths(call.shape).map((p) => p.split(".")), env);
          if (t.state !== "present" || t.value.kind !== "literal" || typeof t.value.value !== "number") return;
          if (t.value.value <= max) return;
          if (enclosingNames(call.node).some((n) => creative.test(n))) return;
          const valueNode = t.node;
          const inCall = valueNode.range[0] >= call.node.range[0] && valueNode.range[1] <= call.node.range[1];
          context.report({
            node: (inCall ? valueNode : call.reportNode) as TSESTree.Node,
            messageId: "tooHigh",
            data: { ...data, value: String(t.value.value) },
            suggest: inCall && valueNode.type === "Literal" ? [{ messageId: "setZero", data, fix: (f) => f.replaceText(valueNode, "0") }] : [],
          });
        }

        /** `genAI.getGenerativeModel({ model })` whose `generateContent({ generationConfig })` sets it per request. */
        function laterConfig(call: LlmCall): boolean {
          return file!.calls.some((c) => c.client?.node === call.node && resolveValue(c.request, env).kind === "object" && readSetting(c.request, temperaturePaths(call.shape).map((p) => p.split(".")), env).state !== "absent");
        }
      },
    };
  },
});
