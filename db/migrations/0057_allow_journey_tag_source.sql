-- Journeys add and remove tags in their steps; such tags carry source 'journey' (the journey
-- is named in added_by), so operators can tell them from manual, rule, import and sync tags.
alter table customer_tags drop constraint customer_tags_source_check;
alter table customer_tags add constraint customer_tags_source_check check (source in ('manual', 'rule', 'import', 'sync', 'journey'));
