-- Operator tasks (see docs/tasks.md): a customer handed to a person — a 1-on-1 private chat, a
-- call back — with an assignee (a member, or a pool any advisor may take from), a due time,
-- a script suggestion, and done/skip with an outcome. Journeys (later campaigns) create them
-- idempotently by source_key, in the transaction of the step that asks for them.

create table tasks (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  customer_id bigint,
  kind text not null check (kind in ('private_chat', 'call_back', 'follow_up', 'other')),
  title text not null check (length(title) between 1 and 200),
  script text,
  assignee_user_id uuid references users (id) on delete set null,
  pool text,
  due_at timestamptz not null,
  status text not null default 'open' check (status in ('open', 'done', 'skipped')),
  outcome text check (outcome in ('reached', 'no_answer', 'converted', 'not_interested', 'other')),
  note text check (length(note) <= 2000),
  source_kind text not null check (source_kind in ('journey', 'campaign', 'manual')),
  source_id text,
  source_version integer,
  source_step text,
  -- The creator's idempotency key (journey version + step + customer + occurrence).
  source_key text,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  completed_at timestamptz,
  completed_by text,
  primary key (workspace_id, id),
  check ((status = 'open') = (completed_at is null))
);
create unique index tasks_source_key_idx on tasks (workspace_id, source_key) where source_key is not null;
create index tasks_assignee_idx on tasks (workspace_id, assignee_user_id, status, due_at) where assignee_user_id is not null;
create index tasks_pool_idx on tasks (workspace_id, pool, status, due_at) where assignee_user_id is null;
create index tasks_source_idx on tasks (workspace_id, source_kind, source_id, source_step);
create index tasks_customer_idx on tasks (workspace_id, customer_id, created_at desc) where customer_id is not null;
create index tasks_status_idx on tasks (workspace_id, status, due_at);

-- What tasks read of customers: a name for the inbox, and the survivor of a merge.
create view task_customer_facts as
select workspace_id, id, merged_into, name, nickname, owner_user_id
from customers;
