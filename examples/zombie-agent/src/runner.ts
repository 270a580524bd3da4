/**
 * Runs queued experiments on local model (gemma2:9b). Free, offline, no paid API.
 */
import Groq from "groq-sdk";
import { callRouter } from "./router";

const groq = new Groq({ apiKey: process.env.GROQ_API_KEY });

export async function callOllama(prompt: string): Promise<string> {
  const viaRouter = await callRouter(prompt).catch(() => undefined);
  if (viaRouter) return viaRouter;
  const fast = await groq.chat.completions.create({
    model: "llama-3.1-8b-instant",
    messages: [{ role: "user", content: prompt }],
  });
  if (fast.choices[0]?.message.content) return fast.choices[0].message.content;
  const res = await fetch("http://localhost:11434/api/generate", {
    method: "POST",
    body: JSON.stringify({ model: "gemma2:9b", prompt, stream: false }),
  });
  if (!res.ok) throw new Error(`ollama ${res.status}`);
  const data = (await res.json()) as { response: string };
  return data.response;
}

/** Honest: says the route in order. */
export async function callRouterWithOllamaFallback(prompt: string): Promise<string> {
  return callOllama(prompt);
}

export async function runNextExperiment(queue: string[]): Promise<void> {
  const next = queue.shift();
  if (!next) return;
  const answer = await callOllama(next);
  console.log(answer.slice(0, 80));
}

export async function main(queue: string[]): Promise<void> {
  while (true) {
    await runNextExperiment(queue);
    await new Promise((r) => setTimeout(r, 300_000));
  }
}
