/**
 * Summarises experiment results and decides the next shell action.
 * Each call below is one line of the recursion-storm handover's checklist, left undone.
 */
import OpenAI from "openai";

// require-llm-temperature + require-llm-max-tokens: no temperature (provider default 1.0), no budget.
// no-cloud-llm (local-only preset): the default client goes to api.openai.com.
const client = new OpenAI();

// no-cloud-llm: a LiteLLM proxy on localhost is a router, not a local model.
const proxy = new OpenAI({ baseURL: "http://localhost:4000/v1", apiKey: "sk-litellm" });

export async function summariseRun(log: string): Promise<string> {
  const res = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: `Summarise:\n${log}` }],
  });
  return res.choices[0].message.content ?? "";
}

export async function nextShellAction(state: string): Promise<void> {
  // require-llm-temperature: 0.7 for an agent with shell access (TICKET-8824).
  // require-llm-schema: json_object with no schema, and a raw tool schema without strict.
  const res = await proxy.chat.completions.create({
    model: "auto-tier",
    temperature: 0.7,
    max_tokens: 512,
    response_format: { type: "json_object" },
    messages: [{ role: "user", content: state }],
    tools: [{ type: "function", function: { name: "run", parameters: { type: "object", properties: { cmd: { type: "string" } } } } }],
  });
  // require-llm-schema: model output parsed and used with no validator.
  const action = JSON.parse(res.choices[0].message.content ?? "{}");
  await runShell(action.cmd);
}

declare function runShell(cmd: string): Promise<void>;
