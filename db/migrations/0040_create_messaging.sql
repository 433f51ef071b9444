-- The one send path (see docs/messaging.md): workspace messaging settings and driver
-- configuration, message templates with versions, the send ledger (one row per message,
-- keyed by the caller's idempotency key), and quota counters shared by every process.

-- Caps, quiet hours, quotas, channel drivers and ad-law options as one validated document
-- (defaults apply while a workspace has no row).
create table messaging_settings (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  settings jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (workspace_id)
);

-- Delivery drivers' configuration. The secret (webhook signing secret, SMS provider token)
-- is returned once when set and never listed again.
create table messaging_drivers (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  driver text not null check (driver in ('webhook', 'sms_http', 'wecom')),
  config jsonb not null default '{}'::jsonb,
  secret text,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, driver)
);

create table message_templates (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  name text not null check (length(name) between 1 and 100),
  channel text not null,
  -- Editing makes a new version; sends record the version they used.
  current_version integer not null default 1,
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index message_templates_name_idx on message_templates (workspace_id, lower(name)) where archived_at is null;

create table message_template_versions (
  workspace_id uuid not null,
  template_id uuid not null,
  version integer not null,
  -- Optional headline (link cards, template messages); rendered like the body.
  title text check (length(title) <= 200),
  body text not null check (length(body) between 1 and 4000),
  -- Variable names the body uses, in order of first use.
  variables text[] not null default '{}',
  created_by text,
  created_at timestamptz not null default now(),
  primary key (workspace_id, template_id, version),
  foreign key (workspace_id, template_id) references message_templates (workspace_id, id) on delete cascade
);

-- The send ledger. Claiming idempotency_key (unique per workspace) in the transaction that
-- makes the decision is what makes a retry or a crash unable to send twice.
create table messages (
  workspace_id uuid not null,
  id uuid not null,
  idempotency_key text not null,
  source_kind text not null,
  source_id text,
  source_version integer,
  source_step text,
  customer_id bigint not null,
  -- The customer the message was decided for; after a merge customer_id is the survivor,
  -- and an undo of the merge moves the message back by this.
  origin_customer_id bigint not null,
  channel text not null,
  driver text not null,
  purpose text not null default 'marketing' check (purpose in ('marketing', 'transactional')),
  template_id uuid,
  template_version integer,
  -- Inline content {title?, text} when no template is named; rendered again when a held
  -- message is released. Webhook calls carry a JSON payload and an optional target URL.
  content jsonb,
  payload jsonb,
  target_url text,
  variables jsonb not null default '{}'::jsonb,
  title text,
  body text,
  status text not null check (status in ('held', 'queued', 'sending', 'awaiting_confirmation', 'sent', 'suppressed', 'failed', 'cancelled')),
  reason text,
  reason_detail jsonb,
  adlaw_warnings jsonb,
  release_at timestamptz,
  attempts integer not null default 0,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  last_error text,
  provider_ref text,
  requested_at timestamptz not null,
  -- When the message began to count against frequency caps (accepted for sending).
  counted_at timestamptz,
  sent_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (workspace_id, id),
  unique (workspace_id, idempotency_key)
);
create index messages_customer_idx on messages (workspace_id, customer_id, id desc);
create index messages_caps_idx on messages (workspace_id, customer_id, counted_at) where counted_at is not null;
create index messages_source_idx on messages (workspace_id, source_kind, source_id, source_step);
create index messages_held_idx on messages (release_at) where status = 'held';
create index messages_due_idx on messages (next_attempt_at) where status in ('queued', 'sending');
create index messages_failed_idx on messages (workspace_id, updated_at desc) where status = 'failed';
create index messages_outbox_idx on messages (workspace_id, sent_at desc) where driver = 'outbox' and status = 'sent';

-- Quota and rate-limit usage per workspace, channel and window, shared by every process:
-- a reservation is one conditional update, so no two workers can overspend a window.
create table messaging_quota_usage (
  workspace_id uuid not null,
  channel text not null,
  window_kind text not null check (window_kind in ('minute', 'hour', 'day')),
  window_start timestamptz not null,
  used integer not null default 0,
  primary key (workspace_id, channel, window_kind, window_start)
);

-- What messaging reads of customers (modules read each other's rows only through views).
create view messaging_recipients as
select workspace_id, id, merged_into, name, nickname, gender, city, province, birthday, mobile,
  consent_status, attributes
from customers;

create view messaging_consents as
select workspace_id, id, customer_id, purpose, channel, status, recorded_at
from customer_consents;
