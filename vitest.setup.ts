// RuleTester runs on vitest: one place wires its hooks for every rule suite (typescript-eslint's
// own setup does the same). Loaded through vitest.config.ts `setupFiles`.
import { RuleTester } from "@typescript-eslint/rule-tester";
import { afterAll, describe, it } from "vitest";

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;
