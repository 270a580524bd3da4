// The validation queue's debounce: leading edge after a pause, trailing edge within a burst,
// and stale versions never validated. (Order and counts are asserted, not timings.)
import { describe, expect, it } from "vitest";
import { Priority, ValidationQueue } from "../../server/lsp/queue.js";

const tick = () => new Promise((r) => setImmediate(r));

function queue() {
  const runs: string[] = [];
  let current = "";
  const q = new ValidationQueue(
    async (file) => {
      runs.push(`${file}@${current}`);
    },
    (file, e) => {
      throw new Error(`${file}: ${String(e)}`);
    },
  );
  return { q, runs, set: (v: string) => (current = v) };
}

describe("ValidationQueue debounce", () => {
  it("an isolated edit is validated at once, not after the debounce (10 s here)", async () => {
    const { q, runs, set } = queue();
    set("v1");
    q.schedule("a.ts", Priority.edited, 10_000);
    await q.whenIdle(); // would wait 10 s (past the test timeout) without the leading edge
    expect(runs).toEqual(["a.ts@v1"]);
  });

  it("a burst is coalesced: only the last version is validated, once, after the trailing delay", async () => {
    const { q, runs, set } = queue();
    set("v1");
    q.schedule("a.ts", Priority.edited, 50);
    set("v2");
    q.schedule("a.ts", Priority.edited, 50);
    set("v3");
    q.schedule("a.ts", Priority.edited, 50);
    await tick();
    await tick();
    expect(runs).toEqual([]); // v1's leading-edge run was replaced by the burst
    await q.whenIdle();
    expect(runs).toEqual(["a.ts@v3"]);
  });

  it("an edit right after a validation waits for the trailing edge; other files keep their own leading edge", async () => {
    const { q, runs, set } = queue();
    set("v1");
    q.schedule("a.ts", Priority.edited, 200);
    await q.whenIdle();
    set("v2");
    q.schedule("a.ts", Priority.edited, 200); // within 200 ms of the last edit: part of a burst
    q.schedule("b.ts", Priority.openDependent, 200); // b's first edit: at once
    await tick();
    await tick();
    expect(runs).toEqual(["a.ts@v1", "b.ts@v2"]);
    await q.whenIdle();
    expect(runs).toEqual(["a.ts@v1", "b.ts@v2", "a.ts@v2"]);
  });

  it("an immediate request (delay 0) pulls a debounced validation in", async () => {
    const { q, runs, set } = queue();
    set("v1");
    q.schedule("a.ts", Priority.edited, 10_000);
    q.schedule("a.ts", Priority.edited, 10_000); // burst: pushed out 10 s
    q.schedule("a.ts", Priority.edited, 0); // e.g. a pull request: now
    await q.whenIdle();
    expect(runs).toEqual(["a.ts@v1"]);
  });
});
