// @slipway/billing: plans, metering, invoices and spend limits. Pure money rules in money.ts,
// PostgreSQL-side services in service.ts; the telemetry rollup is at "@slipway/billing/rollup".
export * from "./money.ts";
export * from "./service.ts";
