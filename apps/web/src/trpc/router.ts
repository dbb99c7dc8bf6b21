import { createCallerFactory, router } from "./init";
import { accountRouter } from "./routers/account";
import { auditRouter } from "./routers/audit";
import { billingRouter } from "./routers/billing";
import { buildsRouter } from "./routers/builds";
import { cacheRouter } from "./routers/cache";
import { invitesRouter, membersRouter } from "./routers/members";
import { orgRouter } from "./routers/org";
import { projectsRouter } from "./routers/projects";
import { runnersRouter } from "./routers/runners";
import { tokensRouter } from "./routers/tokens";
import { webhooksRouter } from "./routers/webhooks";

export const appRouter = router({
  org: orgRouter,
  members: membersRouter,
  invites: invitesRouter,
  tokens: tokensRouter,
  account: accountRouter,
  audit: auditRouter,
  billing: billingRouter,
  projects: projectsRouter,
  cache: cacheRouter,
  runners: runnersRouter,
  webhooks: webhooksRouter,
  builds: buildsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
