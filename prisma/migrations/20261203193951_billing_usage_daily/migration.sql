-- AlterTable
ALTER TABLE "subscriptions" ADD COLUMN     "pending_plan_id" TEXT;

-- CreateTable
CREATE TABLE "usage_daily" (
    "org_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "meter" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "quantity" BIGINT NOT NULL,
    "computed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("org_id","day","meter","key","project_id")
);

-- AddForeignKey
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A finalised invoice never changes: the application refuses, and so does the database (an
-- UPDATE of a FINALIZED row raises). Deleting stays possible so an org can still be deleted.
CREATE FUNCTION "invoices_finalized_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."status" = 'FINALIZED' THEN
    RAISE EXCEPTION 'invoice % is finalized and cannot change', OLD."id" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "invoices_finalized_immutable"
  BEFORE UPDATE ON "invoices"
  FOR EACH ROW EXECUTE FUNCTION "invoices_finalized_immutable"();
