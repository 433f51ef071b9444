-- What a journey definition may name outside itself, checked before it goes live: tags
-- (tag steps), segments (segment triggers, schedule audiences, left-segment exits) and the
-- members operator tasks are assigned to. Read through views, like customers and events.
create view journey_tag_facts as
select workspace_id, id from tags where deleted_at is null;

create view journey_segment_facts as
select workspace_id, id from segments;

create view journey_member_facts as
select workspace_id, user_id from memberships;
