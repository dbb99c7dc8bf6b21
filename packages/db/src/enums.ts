// Enums only, safe to import from browser code (no database driver).
export * from "./generated/prisma/enums.ts";
