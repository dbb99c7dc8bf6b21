-- Trigram matching for the audit log's free-text search (a GIN index on
-- audit_events.search_text, created by the next migration). pg_trgm ships with PostgreSQL and is
-- a trusted extension, so the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
