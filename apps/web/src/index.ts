// The web app's public surface for other workspaces: the tRPC router type that typed clients
// build on, and the environment contract. Pages and HTTP routes live in app/ (React Router).

export { type Env, envSchema, parseEnv } from "./env.server";
export type { AppRouter } from "./trpc/router";
