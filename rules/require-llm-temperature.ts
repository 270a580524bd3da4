/**
 * require-llm-temperature (SPEC §2.4): every LLM call sets `temperature` explicitly, at most
 * `maxTemperature` outside a creative context (with `maxTemperatureScope: "structured"`, the
 * recommended preset: only on calls whose answer is machine-consumed). Reasoning models that reject the parameter are
 * exempt. Values are resolved through consts, spreads and defaults; unknown values pass.
 */
import path from "node:path";
import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "./create-rule.js";
import { isTestOrFixturePath } from "./core/test-files.js";
import { addSettingEdit, enclosingNames, findLlmCalls, paramQueryOf, providerLabel, readSetting, type LlmCall, type LlmFile, llmCollector } from "./core/llm-calls.js";
import { DEFAULT_CREATIVE, DEFAULT_MAX_TEMPERATURE, DEFAULT_REASONING, regex, requiredParams, temperaturePaths, temperatureScopeOf, temperatureTooHigh, type TemperatureScope } from "./core/llm-params.js";
import { resolveValue, valueEnvOf } from "./core/values.js";

export type Options = [{ maxTemperature?: number; maxTemperatureScope?: TemperatureScope; creativePattern?: string; reasoningModels?: string; checkTestFiles?: boolean }];
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
          maxTemperatureScope: {
            type: "string",
            enum: ["all", "structured"],
            description: 'Where maxTemperature applies: "all" calls (default, strict) or only "structured" ones whose answer is machine-consumed (recommended).',
          },
          creativePattern: { type: "string", description: "Regex (case-insensitive) on enclosing function/class names that marks creative work; lifts only the upper bound." },
          reasoningModels: { type: "string", description: "Regex on the model id for reasoning models that reject temperature (exempt)." },
          checkTestFiles: { type: "boolean", description: "Also report in test files, mocks and fixture folders (default true; false in recommended)." },
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
    defaultOptions: [{ maxTemperature: DEFAULT_MAX_TEMPERATURE, maxTemperatureScope: "all", creativePattern: DEFAULT_CREATIVE, reasoningModels: DEFAULT_REASONING, checkTestFiles: true }],
  },
  create(context, [options]) {
    if (options.checkTestFiles === false && isTestOrFixturePath(context.physicalFilename, context.cwd)) return {};
    const max = options.maxTemperature ?? DEFAULT_MAX_TEMPERATURE;
    const creative = regex(options.creativePattern ?? DEFAULT_CREATIVE, DEFAULT_CREATIVE);
    const bound = { max, scope: temperatureScopeOf(options.maxTemperatureScope), creative };
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
          if (!call.settings || call.client?.testDouble) continue;
          try {
            check(call);
          } catch {
            /* skip this call quietly */
          }
        }

        function check(call: LlmCall): void {
          const query = paramQueryOf(call, env, path.resolve(context.cwd, context.physicalFilename));
          const decision = requiredParams({ ...query, reasoningModels: reasoning });
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
          if (!temperatureTooHigh(query, t.value.value, enclosingNames(call.node), bound)) return;
          const valueNode = t.node;
          const inCall = valueNode.range[0] >= call.node.range[0] && valueNode.range[1] <= call.node.range[1];
          context.report({
            node: (inCall ? valueNode : call.reportNode) as TSESTree.Node,
            messageId: "tooHigh",
            data: { ...data, max: data.max, value: String(t.value.value) },
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
