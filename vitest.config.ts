import { defineConfig } from "vitest/config";

const ignored = ["**/node_modules/**", "**/build/**", "**/.slipway/**", "e2e/**", "bench/**"];

// Two tiers, chosen by file suffix: `*.test.ts` are unit tests (no services), `*.int.test.ts`
// talk to the real PostgreSQL, Redis, ClickHouse engine and BuildKit engines that
// scripts/test started. Each integration test file gets its own database (see packages/db
// testing helpers), so files can run in parallel without colliding.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{apps,packages}/**/src/**/*.test.{ts,tsx}"],
          exclude: [...ignored, "**/*.int.test.{ts,tsx}"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["{apps,packages}/**/src/**/*.int.test.{ts,tsx}", "scripts/**/*.int.test.ts"],
          exclude: ignored,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ["./scripts/vitest-global-setup.ts"],
        },
      },
    ],
  },
});
