-- The relay is woken in process by the transaction that wrote the events (and polls for the rest).
-- NOTIFY takes a database-wide lock while committing, which serialized every submit behind it.
DROP TRIGGER outbox_notify ON outbox;
DROP FUNCTION outbox_notify();
