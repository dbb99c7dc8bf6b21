import { getWebhookSetup } from "../../presenters/webhook-setup.server";
import { rotateWebhookSecret } from "../../services/webhooks.server";
import { getTelemetryQueryClient } from "../../telemetry/query.server";
import { orgProcedure, router } from "../init";

export const webhooksRouter = router({
  /** What to paste into GitHub; never the secret (it is shown once, by `rotateSecret`). */
  setup: orgProcedure
    .meta({ permission: "runner.read" })
    .query(({ ctx }) => getWebhookSetup(ctx.db, getTelemetryQueryClient(), ctx.actor.org)),

  /** The new secret is in this answer only. */
  rotateSecret: orgProcedure
    .meta({ permission: "webhook.manage" })
    .mutation(({ ctx }) => rotateWebhookSecret(ctx.db, ctx.actor)),
});
