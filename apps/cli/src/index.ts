export { fetchHealth, formatHealth, type Health } from "./health.ts";
export { buildProgram } from "./program.ts";
