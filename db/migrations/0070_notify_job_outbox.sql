-- Wakes the workers' relays the moment a published message commits (they LISTEN on PostgreSQL;
-- the embedded engine has no listener and its relay polls). One notification per publishing
-- statement; PostgreSQL folds repeats within a transaction into one.
create function job_outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('siyu_job_outbox', '');
  return null;
end $$;

create trigger job_outbox_notify after insert on job_outbox
  for each statement execute function job_outbox_notify();
