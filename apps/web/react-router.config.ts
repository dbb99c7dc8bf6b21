import type { Config } from "@react-router/dev/config";

export default {
  appDirectory: "app",
  buildDirectory: "build",
  // Server-side rendering with loaders: every dashboard page is rendered on the server from
  // tenant-scoped read models, then hydrated.
  ssr: true,
  // Opt in to React Router 8's behaviour now, so the upgrade (it needs Node 22) is a no-op.
  future: {
    v8_middleware: true,
    v8_splitRouteModules: true,
    v8_viteEnvironmentApi: true,
    v8_passThroughRequests: true,
    v8_trailingSlashAwareDataRequests: true,
  },
} satisfies Config;
