/**
 * require-llm-temperature (SPEC §2.4): every LLM call sets `temperature` explicitly, at most
 * `maxTemperature` outside a creative context. Reasoning models that reject the parameter are
 * exempt. Values are resolved through consts, spreads and defaults; unknown values pass.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "./create-rule.js";
import { addSettingEdit, enclosingNames, findLlmCalls, modelOf, providerLabel, readSetting, type LlmCall, type LlmFile, llmCollector } from "./core/llm-calls.js";
import { resolveValue, valueEnvOf } from "./core/values.js";

export type Options = [{ maxTemperature?: number; creativePattern?: string; reasoningModels?: string }];
export type MessageIds = "missing" | "tooHigh" | "setZero" | "addZero";

export const DEFAULT_CREATIVE = "creative|story|stories|poem|poetry|brainstorm";
export const DEFAULT_REASONING = "^(?:[\\w.-]+/)?(?:o\\d(?:$|[-:])|gpt-5(?!-chat)|deepseek-reasoner|deepseek-r1)";

const regexMemo = new Map<string, RegExp>();
/** A case-insensitive RegExp from an option (memoised; an invalid pattern falls back to the default). */
export function regex(source: string, fallback: string): RegExp {
  let re = regexMemo.get(source);
  if (!re) {
    try {
      re = new RegExp(source, "i");
    } catch {
      re = new RegExp(fallback, "i");
    }
    if (regexMemo.size < 100) regexMemo.set(source, re);
  }
  return re;
}

/** Where each request shape keeps its temperature. */
export function temperaturePaths(call: LlmCall): string[][] {
  switch (call.shape) {
    case "ollama":
      return [["options", "temperature"]];
    case "google":
      return [["generationConfig", "temperature"], ["config", "temperature"]];
    case "langchain":
      return [["temperature"], ["modelKwargs", "temperature"]];
    default:
      return [["temperature"]];
  }
}

function insertPath(call: LlmCall): string[] {
  if (call.shape === "ollama") return ["options", "temperature"];
  if (call.shape === "google") return [call.api === "getGenerativeModel" ? "generationConfig" : "config", "temperature"];
  return ["temperature"];
}

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
      missing:
        "{{api}}() to {{provider}} sets no temperature, so the provider default applies (OpenAI 1.0, Ollama 0.8): agent output drifts between runs. Set `temperature: 0` (at most {{max}}) explicitly.",
      tooHigh:
        "{{api}}() to {{provider}} uses temperature {{value}}, above {{max}} for non-creative work: a system-facing agent's reasoning drifts (0.7 turned \"clean temp files\" into rm -rf /etc/nginx). Use 0, or name the enclosing function for its creative purpose.",
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
          const model = modelOf(call, env);
          if (model && reasoning.test(model)) return;
          // Anthropic extended thinking (temperature must stay 1) and OpenAI reasoning settings mark a reasoning call.
          const thinking = readSetting(call.request, [["thinking", "type"]], env);
          if (thinking.state === "present" && !(thinking.value.kind === "literal" && thinking.value.value === "disabled")) return;
          if (readSetting(call.request, [["reasoning_effort"], ["reasoning"], ["reasoningEffort"]], env).state === "present") return;
          const t = readSetting(call.request, temperaturePaths(call), env);
          const data = { api: call.api, provider: providerLabel(call, env), max: String(max) };
          if (t.state === "absent" || (t.state === "unknown" && !call.request && call.shape === "langchain" && call.node.arguments.length === 0)) {
            if (call.api === "getGenerativeModel" && laterConfig(call)) return;
            const edit = addSettingEdit(call, insertPath(call), "0", context.sourceCode.text);
            context.report({
              node: call.reportNode as TSESTree.Node,
              messageId: "missing",
              data,
              suggest: edit ? [{ messageId: "addZero", data, fix: (f) => f.replaceTextRange(edit.range, edit.text) }] : [],
            });
            return;
          }
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
          return file!.calls.some((c) => c.client?.node === call.node && resolveValue(c.request, env).kind === "object" && readSetting(c.request, temperaturePaths(call), env).state !== "absent");
        }
      },
    };
  },
});
