import { index, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("healthz", "routes/healthz.ts"),
  route("api/trpc/*", "routes/api.trpc.ts"),
  route("api/v1/*", "routes/api.v1.ts"),
  route("signin", "routes/signin.tsx"),
  route("signup", "routes/signup.tsx"),
  route("signout", "routes/signout.ts"),
  route("account", "routes/account.tsx"),
  route("invite/:token", "routes/invite.tsx"),
  route("orgs/new", "routes/org-new.tsx"),
  route("orgs/:orgSlug", "routes/org-layout.tsx", [
    index("routes/org-overview.tsx"),
    route("projects/:projectSlug", "routes/project.tsx"),
    route("members", "routes/members.tsx"),
    route("tokens", "routes/tokens.tsx"),
    route("settings", "routes/settings.tsx"),
  ]),
] satisfies RouteConfig;
