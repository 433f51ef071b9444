-- Posts to groups (group SOPs): the group counterpart of the send ledger. A group id is the
-- channel's own identifier (a WeCom chat id). Claiming idempotency_key (unique per
-- workspace) in the transaction that decides the post is what keeps a retry or a crash from
-- posting twice. Consent and per-customer caps do not apply to a group; the source hold,
-- quiet hours, template rendering and the advertising-law check do.
create table group_posts (
  workspace_id uuid not null,
  id uuid not null,
  idempotency_key text not null,
  group_id text not null check (length(group_id) between 1 and 200),
  channel text not null default 'group' check (channel = 'group'),
  -- outbox records the post as sent; wecom is kept for the WeCom connector.
  driver text not null check (driver in ('outbox', 'wecom')),
  template_id uuid,
  template_version integer,
  -- Inline content {title?, text} when no template is named; rendered again on release.
  content jsonb,
  variables jsonb not null default '{}'::jsonb,
  title text,
  body text,
  status text not null check (status in ('sent', 'held', 'suppressed', 'cancelled')),
  reason text,
  reason_detail jsonb,
  adlaw_warnings jsonb,
  release_at timestamptz,
  source_kind text not null,
  source_id text,
  source_version integer,
  source_step text,
  requested_at timestamptz not null,
  sent_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (workspace_id, id),
  unique (workspace_id, idempotency_key)
);
create index group_posts_source_idx on group_posts (workspace_id, source_kind, source_id, source_step);
create index group_posts_group_idx on group_posts (workspace_id, group_id, id desc);
create index group_posts_held_idx on group_posts (release_at) where status = 'held';
