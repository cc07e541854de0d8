-- The writer inserts a call and its participants in one transaction, and nothing deletes calls,
-- so the foreign key never refused anything; it cost every participant row a lookup in calls_pk
-- while recording, the server's hottest path under load (see docs/benchmarks.md).
ALTER TABLE call_participants DROP CONSTRAINT call_participants_call_fk;
