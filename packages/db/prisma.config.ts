// Where the Prisma CLI (used here only for `prisma generate`) finds the schema. Migrations are
// applied and created by our own offline tool in src/migrate/, which reads the same paths.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://slipway:slipway@127.0.0.1:15432/slipway",
  },
});
