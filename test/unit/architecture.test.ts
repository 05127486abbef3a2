import { createRequire } from "node:module";
import { cruise, type IReporterOutput } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);

describe("architecture", () => {
  it("keeps the layers of .dependency-cruiser.cjs: no cycles, no import against the flow", async () => {
    const rules = require("../../.dependency-cruiser.cjs");
    const result: IReporterOutput = await cruise(["src"], { ...rules.options, validate: true, ruleSet: rules });
    const output = result.output as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    const violations = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(violations).toEqual([]);
    // A rule set that matched nothing would pass vacuously: prove it sees the code.
    expect((result.output as { summary: { totalCruised: number } }).summary.totalCruised).toBeGreaterThan(50);
  }, 60_000);
});
