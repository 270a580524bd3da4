/**
 * THE require-llm-schema decisions (SPEC §2.5) over language-neutral facts that a front builds
 * from its own tree: where model output parsed from JSON is first used, whether the provider
 * enforces a schema, whether a function tool is strict. Used by the Python front and by the TS rule
 * (rules/require-llm-schema.ts), whose data flow (core/schema-flow.ts) builds the facts.
 */

/** What happens first to a parsed value: nothing we can see, a validator, or a use as data. */
export type SchemaUse =
  | { kind: "none" }
  | { kind: "validated" }
  | { kind: "use"; desc: string; line: number; unchecked?: boolean };

export interface ParseFacts {
  /** The provider enforces a schema on the call the data comes from (strict json_schema, `.parse()`, a structured-output model). */
  enforced: boolean;
  /** Recognised by its shape only (`tool_call.function.arguments`), not followed from a model call. */
  shape: boolean;
  use: SchemaUse;
}

/** The message id for a parse of model output, or undefined when it is fine. */
export function parseVerdict(f: ParseFacts): "unvalidated" | "uncheckedSafeParse" | undefined {
  if (f.enforced || f.use.kind !== "use") return undefined;
  // A message converted between formats (tool calls put in the history for another API) is not consumed here.
  if (f.shape && /^(?:stored in|put in)/.test(f.use.desc)) return undefined;
  return f.use.unchecked ? "uncheckedSafeParse" : "unvalidated";
}

/** `response_format: json_object` with no schema, unless a parse of that call's output is validated. */
export function jsonModeVerdict(jsonObject: boolean, outputValidated: boolean): "jsonObjectNoSchema" | undefined {
  return jsonObject && !outputValidated ? "jsonObjectNoSchema" : undefined;
}

/** A raw JSON-schema function tool: reported unless `strict` is set to anything but false (unknown passes). */
export function toolVerdict(strict: "absent" | "false" | "true" | "unknown"): "toolNotStrict" | undefined {
  return strict === "absent" || strict === "false" ? "toolNotStrict" : undefined;
}
