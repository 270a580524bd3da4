/**
 * require-llm-schema (SPEC §2.5): LLM output used as structured data passes a schema validator
 * first. Follows the data from the model's output (SDK results, `res.json()` of a model HTTP
 * call, helpers that return model text) to `JSON.parse`, and from there to its first use.
 * Also: raw-JSON-schema function tools without `strict: true`, and `json_object` mode with no
 * schema. Provider-enforced schemas count as validated.
 */
import { jsonModeVerdict, parseVerdict } from "./core/schema-policy.js";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { createRule } from "./create-rule.js";
import { findLlmCalls, type LlmFile, llmCollector } from "./core/llm-calls.js";
import { DEFAULT_VALIDATOR_NAME, analyseSchemaFlow, shorten } from "./core/schema-flow.js";
import { getPath, getProp, resolveValue, unwrapExpr, valueEnvOf, type Value, type ValueEnv } from "./core/values.js";

type Node = TSESTree.Node;
export type Options = [{ validatorPattern?: string }];
export type MessageIds = "unvalidated" | "uncheckedSafeParse" | "toolNotStrict" | "toolTableNotStrict" | "jsonObjectNoSchema" | "wrapInSchema";

export default createRule<Options, MessageIds>({
  name: "require-llm-schema",
  meta: {
    type: "problem",
    docs: {
      description: "LLM output used as structured data (JSON.parse of a completion or tool-call arguments) must pass a schema validator first.",
      recommended: "warn",
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          validatorPattern: { type: "string", description: "Regex for names of functions that validate (default: validate*/assert*/is*/parse*, *Schema…)." },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      unvalidated:
        "JSON.parse of {{what}} ({{source}}) is {{use}} (line {{line}}) with no schema check: a malformed or hallucinated field flows straight into the code. Validate it first, {{fix}}.",
      uncheckedSafeParse:
        "{{what}} ({{source}}) goes through safeParse but the result is {{use}} (line {{line}}) without checking `.success`: invalid model output passes as data. Branch on `.success` (or use `.parse`).",
      toolNotStrict:
        "Function tool {{name}} passed to {{api}}() is a raw JSON schema without `strict: true`: the model may send arguments that do not match it. Add `strict: true` (and `additionalProperties: false`), or build the tool with zodFunction().",
      jsonObjectNoSchema:
        "{{api}}() asks for `response_format: json_object` with no schema: the model returns any JSON it likes. Use `json_schema` with `strict: true` / zodResponseFormat(), or validate the parsed result.",
      toolTableNotStrict:
        "Function tool {{name}} in {{table}} is a raw JSON schema without `strict: true`: the model may send arguments that do not match it. Add `strict: true` (and `additionalProperties: false`).",
      wrapInSchema: "Wrap the parse in {{schema}}.parse(…).",
    },
    defaultOptions: [{ validatorPattern: DEFAULT_VALIDATOR_NAME }],
  },
  create(context, [options]) {
    let validatorName: RegExp;
    try {
      validatorName = new RegExp(options.validatorPattern ?? DEFAULT_VALIDATOR_NAME);
    } catch {
      validatorName = new RegExp(DEFAULT_VALIDATOR_NAME);
    }
    // A file with no SDK import can still parse model output by its shape (a Realtime / WebRTC
    // client's `JSON.parse(toolCall.arguments)`): its JSON.parse calls are gathered here.
    const text = context.sourceCode.text;
    const shapeParses: TSESTree.CallExpression[] = [];
    const listeners: Record<string, (node: never) => void> = { ...llmCollector(context.sourceCode) };
    if (/JSON\s*\.\s*parse/.test(text) && /\.arguments\b|\barguments\s*:|\.content\b/.test(text)) {
      const prev = listeners.CallExpression;
      listeners.CallExpression = ((n: TSESTree.CallExpression) => {
        prev?.(n as never);
        const c = n.callee;
        if (c.type === "MemberExpression" && c.object.type === "Identifier" && c.object.name === "JSON" && !c.computed && c.property.type === "Identifier" && c.property.name === "parse") shapeParses.push(n);
      }) as (node: never) => void;
    }
    return {
      ...listeners,
      "Program:exit"(program) {
        const env = valueEnvOf(context);
        let file: LlmFile;
        try {
          file = findLlmCalls(program, env, context.sourceCode.text);
        } catch {
          return;
        }
        if (!file.llm) {
          if (!shapeParses.length) return;
          file = { ...file, calls: [], callNodes: shapeParses };
        }
        try {
          run(file, program, env);
        } catch {
          /* never crash on odd code */
        }
      },
    };

    function run(file: LlmFile, program: TSESTree.Program, env: ValueEnv): void {
      const sc = context.sourceCode;
      const { findings, validatedCalls } = analyseSchemaFlow(file, env, { validatorName, getText: (n) => sc.getText(n) });
      // Schemas in scope for the suggestion (module-level zod schemas).
      const schemas = zodSchemas(program, file);

      for (const { parse, origin: o, use: u } of findings) {
        const source = shorten(sc.getText(parse.arguments[0] as Node));
        const what = o.what === "model output" ? "model output" : o.what;
        const schema = schemas[0];
        const data = {
          what,
          source,
          use: u.desc,
          line: String(u.node.loc.start.line),
          fix: schema ? `e.g. \`${schema}.parse(JSON.parse(…))\`` : "e.g. `Schema.parse(JSON.parse(…))` (zod, valibot, ajv…), or let the provider enforce one (`response_format: json_schema` + `strict: true`, zodResponseFormat)",
          schema: schema ?? "",
        };
        // the flow above found a use of unvalidated data; the verdict is the core's, shared with the Python front
        const messageId = parseVerdict({ enforced: false, shape: false, use: { kind: "use", desc: u.desc, line: u.node.loc.start.line, unchecked: u.unchecked } });
        if (!messageId) continue;
        context.report({
          node: u.unchecked ? u.node : parse,
          messageId,
          data,
          suggest: !u.unchecked ? schemas.slice(0, 3).map((s) => ({ messageId: "wrapInSchema" as const, data: { ...data, schema: s }, fix: (f: TSESLint.RuleFixer) => [f.insertTextBefore(parse, `${s}.parse(`), f.insertTextAfter(parse, ")")] })) : [],
        });
      }

      // Request-level checks: raw tools without strict, json_object without a schema.
      const reportedTools = new Set<Node>();
      const checkTools = (list: Value, report: (tool: Node, name: string) => void) => {
        if (list.kind !== "array") return;
        for (const el of list.elements) {
          const t = resolveValue(el, env);
          if (t.kind !== "object" || reportedTools.has(t.node)) continue;
          const name = rawToolWithoutStrict(t, env);
          if (name === undefined) continue;
          reportedTools.add(t.node);
          report(t.node, name);
        }
      };
      for (const call of file.calls) {
        if (call.shape !== "openai" || !call.request || !/chat\.completions|fetch|axios/.test(call.api) || /\bparse$/.test(call.api)) continue;
        const req = resolveValue(call.request, env);
        if (req.kind !== "object") continue;
        const tools = getProp(req, "tools", env);
        if (tools.state === "present") checkTools(tools.value, (node, name) => context.report({ node, messageId: "toolNotStrict", data: { api: call.api, name } }));
      }
      // V4: a tool table typed as Chat Completions tools that no call in this file receives (exported for an agent elsewhere).
      for (const table of toolTables(program, sc.getText.bind(sc))) {
        checkTools(resolveValue(table.init, env), (node, name) => context.report({ node, messageId: "toolTableNotStrict", data: { table: table.name, name } }));
      }
      for (const call of file.calls) {
        if (!call.request || (call.shape !== "openai" && call.shape !== "openai-responses")) continue;
        if (validatedCalls.has(call)) continue;
        const req = resolveValue(call.request, env);
        if (req.kind !== "object") continue;
        for (const path of [["response_format"], ["text", "format"]]) {
          const rf = getPath(req, path, env);
          if (rf.state !== "present" || rf.value.kind !== "object") continue;
          const type = getProp(rf.value, "type", env);
          if (jsonModeVerdict(type.state === "present" && type.value.kind === "literal" && type.value.value === "json_object", false)) {
            context.report({ node: rf.node, messageId: "jsonObjectNoSchema", data: { api: call.api } });
          }
        }
      }
    }
  },
});

/** Module-level zod schemas (`const User = z.object(…)`) and imported `…Schema` names, for the suggestion. */
function zodSchemas(program: TSESTree.Program, file: LlmFile): string[] {
  const zodLocal = [...file.imports].filter(([, i]) => i.source === "zod" || i.source.startsWith("zod/")).map(([l]) => l);
  if (!zodLocal.length) return [];
  const out: string[] = [];
  for (const stmt of program.body) {
    const decl = stmt.type === "ExportNamedDeclaration" ? stmt.declaration : stmt;
    if (decl?.type !== "VariableDeclaration") continue;
    for (const d of decl.declarations) {
      if (d.id.type !== "Identifier" || !d.init) continue;
      let init: Node = unwrapExpr(d.init);
      while (init.type === "CallExpression" && init.callee.type === "MemberExpression") init = unwrapExpr(init.callee.object);
      if (init.type === "Identifier" && zodLocal.includes(init.name)) out.push(d.id.name);
    }
  }
  for (const [local, imp] of file.imports) if (/Schema$/.test(local) && imp.source.startsWith(".") && !imp.typeOnly) out.push(local);
  return out;
}

/**
 * A raw-JSON-schema function tool without `strict: true` (SPEC §2.5): its name (quoted) or
 * "(unnamed)"; undefined when the tool is strict, unknown, not a function tool, or validated by a
 * runTools `parse` that is a schema validator (not `JSON.parse`, V3).
 */
function rawToolWithoutStrict(t: Value, env: ValueEnv): string | undefined {
  const type = getProp(t, "type", env);
  if (type.state === "present" && !(type.value.kind === "literal" && type.value.value === "function")) return undefined;
  const fnP = getProp(t, "function", env);
  if (fnP.state !== "present" || fnP.value.kind !== "object") return undefined;
  const fnV = fnP.value;
  const params = getProp(fnV, "parameters", env);
  if (params.state !== "present" || params.value.kind !== "object") return undefined;
  const parse = getProp(fnV, "parse", env);
  if (parse.state === "unknown") return undefined;
  if (parse.state === "present" && !isJsonParseRef(parse.node)) return undefined; // runTools tool validated by its parse
  const strict = getProp(fnV, "strict", env);
  if (strict.state === "unknown" || (strict.state === "present" && !(strict.value.kind === "literal" && strict.value.value === false))) return undefined;
  const name = getProp(fnV, "name", env);
  return name.state === "present" && name.value.kind === "literal" ? `"${String(name.value.value)}"` : "(unnamed)";
}

/** `JSON.parse` as a value (`parse: JSON.parse`). */
function isJsonParseRef(n: Node): boolean {
  const e = unwrapExpr(n);
  return e.type === "MemberExpression" && e.object.type === "Identifier" && e.object.name === "JSON" && e.property.type === "Identifier" && e.property.name === "parse";
}

/** Module-level arrays typed as Chat Completions tools (`const TOOLS: ChatCompletionTool[] = […]`). */
function toolTables(program: TSESTree.Program, getText: (n: Node) => string): Array<{ name: string; init: Node }> {
  const out: Array<{ name: string; init: Node }> = [];
  for (const stmt of program.body) {
    const decl = stmt.type === "ExportNamedDeclaration" ? stmt.declaration : stmt;
    if (decl?.type !== "VariableDeclaration") continue;
    for (const d of decl.declarations) {
      if (d.id.type !== "Identifier" || !d.init || !d.id.typeAnnotation) continue;
      if (/\bChatCompletion(?:Function)?Tool\b(?!Choice)/.test(getText(d.id.typeAnnotation.typeAnnotation as Node))) out.push({ name: d.id.name, init: d.init });
    }
  }
  return out;
}
