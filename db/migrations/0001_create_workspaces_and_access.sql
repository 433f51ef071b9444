-- Tenancy and access: workspaces (one per brand), users, memberships with roles,
-- console sessions, workspace API keys and the audit log.
--
-- Data rule: every tenant-owned table leads its primary key and unique constraints with
-- workspace_id, so the schema distributes by workspace on Citus as it is. `workspaces` is the
-- tenant table itself (distributed by id); `users` and `sessions` are global (reference tables).

create table workspaces (
  id uuid primary key,
  name text not null check (length(name) between 1 and 100),
  time_zone text not null default 'Asia/Shanghai',
  locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
  settings jsonb not null default '{}'::jsonb,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table users (
  id uuid primary key,
  email text not null check (email = lower(email) and position('@' in email) > 1),
  name text not null,
  password_hash text not null,
  locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
  is_instance_admin boolean not null default false,
  is_disabled boolean not null default false,
  failed_login_count integer not null default 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_email_key on users (email);

create table memberships (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('owner', 'admin', 'operator', 'analyst', 'viewer')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, user_id)
);
create index memberships_user_idx on memberships (user_id);

-- The token itself is never stored: id is the SHA-256 of the cookie value.
create table sessions (
  id text primary key,
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  workspace_id uuid references workspaces (id) on delete set null,
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expires_idx on sessions (expires_at);

create table api_keys (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  name text not null check (length(name) between 1 and 100),
  prefix text not null,
  secret_hash text not null,
  scopes text[] not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  primary key (workspace_id, id)
);

create table audit_log (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null,
  occurred_at timestamptz not null default now(),
  actor_type text not null check (actor_type in ('user', 'api_key', 'system')),
  actor_id text,
  actor_label text,
  action text not null,
  target_type text,
  target_id text,
  details jsonb not null default '{}'::jsonb,
  request_id text,
  ip text,
  primary key (workspace_id, id)
);
create index audit_log_time_idx on audit_log (workspace_id, occurred_at desc);
create index audit_log_target_idx on audit_log (workspace_id, target_type, target_id);
