/**
 * The Ollama watcher from the 260-zombie outage, reduced: a health check on a timer that
 * overlaps itself when Ollama hangs, a heartbeat re-created on every reconnect, and a
 * restart loop with a constant retry delay. `ghostwatch lint` reports all three
 * (no-unbounded-loop).
 */
const OLLAMA = "http://localhost:11434";

async function restartOllama(): Promise<void> {
  await fetch(`${OLLAMA}/api/restart`, { method: "POST" });
}

// Runs pile up when one check takes longer than 10 s (no overlap guard).
setInterval(async () => {
  const res = await fetch(`${OLLAMA}/api/tags`);
  if (!res.ok) await restartOllama();
}, 10_000);

export function connect(url: string): void {
  const ws = new WebSocket(url);
  // A new heartbeat on every reconnect; the old ones keep firing.
  ws.addEventListener("open", () => {
    setInterval(() => ws.send("ping"), 30_000);
  });
  ws.addEventListener("close", () => setTimeout(() => connect(url), 1000));
}

export async function waitForOllama(): Promise<void> {
  while (true) {
    try {
      const res = await fetch(`${OLLAMA}/api/version`);
      if (res.ok) return;
    } catch (err) {
      console.error("ollama down, retrying", err);
    }
    // The same 5 s forever: 11 hours of outage = 7,920 identical attempts.
    await new Promise((r) => setTimeout(r, 5000));
  }
}
