-- Published messages (Jobs.publish: customers.changed, segments.membership_changed) are written
-- here in the publisher's transaction, one row per message, and a worker's relay moves them into
-- the queue of every subscriber, many messages per insert, deleting them in the same transaction
-- (docs/architecture.md, "Modules talking to each other"). Before, each publish inserted one
-- pg-boss job per subscriber inside the publisher's transaction: eight job inserts in every
-- ingested batch of events that merged customers.
create table job_outbox (
  id bigint generated always as identity primary key,
  topic text not null,
  -- The subscribers' queues when it was published (the publisher's definitions decide, as when
  -- it enqueued directly; a relay of another version of Siyu delivers to the same queues).
  queues text[] not null,
  data jsonb not null,
  created_at timestamptz not null default now()
);
