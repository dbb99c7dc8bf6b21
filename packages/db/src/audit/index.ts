// The audit log beyond appending (which is `recordAudit` in ../audit.ts): hourly digests,
// retention, verification, and reading with filters.
export * from "./digests.ts";
export * from "./hash.ts";
export * from "./query.ts";
export * from "./retention.ts";
export * from "./verify.ts";
