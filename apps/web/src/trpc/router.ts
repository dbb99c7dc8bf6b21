import { createCallerFactory, router } from "./init";
import { accountRouter } from "./routers/account";
import { invitesRouter, membersRouter } from "./routers/members";
import { orgRouter } from "./routers/org";
import { tokensRouter } from "./routers/tokens";

export const appRouter = router({
  org: orgRouter,
  members: membersRouter,
  invites: invitesRouter,
  tokens: tokensRouter,
  account: accountRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
