-- The audit log is append-only at the database level (issue 7). Hand-written: Prisma's schema
-- language has no triggers; schema.prisma only knows the columns these functions use.

-- Free-text search reads one column: actor, action, target, request id and IP. Filled on insert
-- (by whatever writes the row: recordAudit, bulk SQL), never part of the event's hash.
CREATE FUNCTION "audit_events_search_text"() RETURNS trigger AS $$
BEGIN
  NEW."search_text" := concat_ws(' ', NEW."actor_name", NEW."actor_id", NEW."action",
    NEW."target_type", NEW."target_id", NEW."target_name", NEW."request_id", NEW."ip");
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

UPDATE "audit_events" SET "search_text" = concat_ws(' ', "actor_name", "actor_id", "action",
  "target_type", "target_id", "target_name", "request_id", "ip");

CREATE TRIGGER "audit_events_search_text"
  BEFORE INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_search_text"();

-- UPDATE is always refused. DELETE is allowed in two cases only:
--  * the retention job, which sets `SET LOCAL slipway.audit_retention = 'on'` in its transaction
--    and may only remove events of whole UTC days before today (it records what it removed);
--  * deleting the org itself: the foreign key's ON DELETE CASCADE removes the org's events and
--    digests, and by then the org row is gone (an org's log leaves with the org).
CREATE FUNCTION "audit_append_only"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM "orgs" WHERE "id" = OLD."org_id") THEN
      RETURN OLD;
    END IF;
    IF TG_TABLE_NAME = 'audit_events'
       AND current_setting('slipway.audit_retention', true) = 'on'
       AND OLD."occurred_at" < date_trunc('day', now() AT TIME ZONE 'UTC') THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'audit rows are removed only by the retention job or with their org';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "audit_events_append_only"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_append_only"();

CREATE TRIGGER "audit_digests_append_only"
  BEFORE UPDATE OR DELETE ON "audit_digests"
  FOR EACH ROW EXECUTE FUNCTION "audit_append_only"();

CREATE FUNCTION "audit_no_truncate"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_no_truncate"();

CREATE TRIGGER "audit_digests_no_truncate"
  BEFORE TRUNCATE ON "audit_digests"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_no_truncate"();
