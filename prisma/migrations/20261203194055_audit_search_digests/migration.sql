-- DropIndex
DROP INDEX "audit_events_org_id_occurred_at_id_idx";

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "search_text" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "audit_digests" (
    "org_id" TEXT NOT NULL,
    "hour_start" TIMESTAMP(3) NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "last_hash" BYTEA,
    "prev_digest_hash" BYTEA,
    "hash" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_digests_pkey" PRIMARY KEY ("org_id","hour_start")
);

-- CreateIndex
CREATE INDEX "audit_events_org_id_occurred_at_id_idx" ON "audit_events"("org_id", "occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_events_org_id_action_occurred_at_id_idx" ON "audit_events"("org_id", "action", "occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_events_org_id_actor_id_occurred_at_id_idx" ON "audit_events"("org_id", "actor_id", "occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_events_org_id_target_type_occurred_at_id_idx" ON "audit_events"("org_id", "target_type", "occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_events_org_id_target_id_occurred_at_id_idx" ON "audit_events"("org_id", "target_id", "occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_events_org_id_outcome_occurred_at_id_idx" ON "audit_events"("org_id", "outcome", "occurred_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_events_search_text_idx" ON "audit_events" USING GIN ("search_text" gin_trgm_ops);

-- AddForeignKey
ALTER TABLE "audit_digests" ADD CONSTRAINT "audit_digests_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
