import { index, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("healthz", "routes/healthz.ts"),
  route("api/trpc/*", "routes/api.trpc.ts"),
  route("api/v1/*", "routes/api.v1.ts"),
  route("orgs/:orgSlug", "routes/org-layout.tsx", [
    index("routes/org-overview.tsx"),
    route("projects/:projectSlug", "routes/project.tsx"),
  ]),
] satisfies RouteConfig;
