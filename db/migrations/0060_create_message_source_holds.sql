-- Sources (a paused journey, later a paused campaign) whose pending messages must wait: held
-- messages are not released and queued ones are not delivered while a hold exists. The
-- source removes its hold when it resumes; a stop withdraws the messages and removes it.
create table message_source_holds (
  workspace_id uuid not null,
  source_kind text not null,
  source_id text not null,
  held_at timestamptz not null,
  primary key (workspace_id, source_kind, source_id)
);
