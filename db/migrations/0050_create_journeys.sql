-- Journeys (see docs/journeys.md): definitions with immutable versions once live, and
-- enrollments — one row per customer (or group, for group SOPs) per entry, holding where the
-- customer is, when the next step is due and what happened. Waits are stored times; worker
-- batches claim due rows with FOR UPDATE SKIP LOCKED.

create table journeys (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  name text not null check (length(name) between 1 and 200),
  description text,
  status text not null default 'draft' check (status in ('draft', 'active', 'paused', 'stopped')),
  -- The newest version; editing a version that has been live makes a new one.
  latest_version integer not null default 1,
  -- The version new entrants take; set on activation and on every edit while live.
  live_version integer,
  -- The built-in playbook this journey was created from, if any.
  playbook text,
  -- Timed triggers (schedule, date, joined): the next fire of the live version's trigger.
  next_fire_at timestamptz,
  activated_at timestamptz,
  paused_at timestamptz,
  stopped_at timestamptz,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (workspace_id, id)
);
create index journeys_workspace_idx on journeys (workspace_id, updated_at desc);
create index journeys_fire_idx on journeys (next_fire_at) where status = 'active' and next_fire_at is not null;

create table journey_versions (
  workspace_id uuid not null,
  journey_id uuid not null,
  version integer not null,
  definition jsonb not null,
  -- Set when the version first went live; from then on it never changes.
  activated_at timestamptz,
  created_by text,
  created_at timestamptz not null,
  primary key (workspace_id, journey_id, version),
  foreign key (workspace_id, journey_id) references journeys (workspace_id, id) on delete cascade
);

create sequence journey_enrollments_id_seq as bigint;

create table journey_enrollments (
  workspace_id uuid not null,
  id bigint not null default nextval('journey_enrollments_id_seq'),
  journey_id uuid not null,
  version integer not null,
  customer_id bigint,
  -- Group SOPs enroll groups (a group id of the messaging group channel) instead of customers.
  group_id text,
  subject text generated always as (coalesce(customer_id::text, 'group:' || group_id)) stored,
  -- What this entry is (event:<id>, segment:<change>:<at>, fire:<local time>, date:<year>, …):
  -- the same trigger occurrence never enrolls twice.
  occurrence text not null,
  state text not null default 'active' check (state in ('active', 'completed', 'exited')),
  current_step text,
  -- True while waiting at current_step (a wait step); false when current_step is due to run.
  is_waiting boolean not null default false,
  next_run_at timestamptz,
  -- The A/B variant (key of the split's variant) once the customer passed the split.
  variant text,
  -- Step id -> times reached; a send's ledger key names the pass (a loop through a wait).
  visits jsonb not null default '{}'::jsonb,
  -- The latest steps with their outcome (sent, held, suppressed and why), newest last.
  log jsonb not null default '[]'::jsonb,
  -- What made the customer enter (event, segment change, fire time, manual).
  trigger jsonb not null default '{}'::jsonb,
  entered_at timestamptz not null,
  last_step_at timestamptz,
  ended_at timestamptz,
  -- completed, or the exit: stopped, opted_out, merged, left_segment, event:<type>, condition.
  end_reason text,
  -- The goal happened within its window after entering (attributed to variant and steps).
  converted_at timestamptz,
  updated_at timestamptz not null,
  primary key (workspace_id, id),
  unique (workspace_id, journey_id, subject, occurrence),
  foreign key (workspace_id, journey_id, version) references journey_versions (workspace_id, journey_id, version),
  check ((customer_id is null) <> (group_id is null))
);
-- Never in the same journey twice at once.
create unique index journey_enrollments_active_idx on journey_enrollments (workspace_id, journey_id, subject) where state = 'active';
create index journey_enrollments_due_idx on journey_enrollments (workspace_id, journey_id, next_run_at) where state = 'active';
create index journey_enrollments_customer_idx on journey_enrollments (workspace_id, customer_id, entered_at desc) where customer_id is not null;
create index journey_enrollments_stats_idx on journey_enrollments (workspace_id, journey_id, version);

-- What journeys read of customers and events (modules read each other's rows only through views).
create view journey_customer_facts as
select workspace_id, id, merged_into, consent_status, owner_user_id, birthday, joined_at, attributes
from customers;

create view journey_event_facts as
select workspace_id, id, customer_id, type, occurred_at, properties
from events;
