// The rollup (telemetry store → usage_daily). Separate from the package's main entry so the
// dashboard, which never opens the telemetry store, does not load it.
export * from "./queries.ts";
export * from "./rollup.ts";
export * from "./worker.ts";
export * from "./write.ts";
