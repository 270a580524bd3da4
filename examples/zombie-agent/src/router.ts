/**
 * LiteLLM-style fallback chain: try the router's free tiers first.
 */
const LITELLM_URL = "http://localhost:4000/v1/chat/completions";
const OPENROUTER_URL = "https://openrouter.ai/api/v1/chat/completions";

export async function callRouter(prompt: string): Promise<string | undefined> {
  const res = await fetch(LITELLM_URL, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "auto-tier", messages: [{ role: "user", content: prompt }] }),
  });
  if (!res.ok) return callOpenRouter(prompt);
  const data = await res.json();
  return data.choices[0].message.content;
}

export async function callOpenRouter(prompt: string): Promise<string | undefined> {
  const res = await fetch(OPENROUTER_URL, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.OPENROUTER_API_KEY}` },
    body: JSON.stringify({ model: "meta-llama/llama-3.1-8b-instruct:free", messages: [{ role: "user", content: prompt }] }),
  });
  if (!res.ok) throw new Error(`openrouter ${res.status}`);
  const data = await res.json();
  return data.choices[0].message.content;
}
