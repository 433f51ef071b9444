-- Live re-scoring between two recomputes scores R as of the last recompute's day (with its cut
-- points), like every row that recompute left, instead of as of the day of the live change.
-- Runs completed by a version that does so are marked: the next run by changes then needs no
-- separate ranges for the rows re-scored live since (docs/segmentation.md, "How a recompute
-- works"). Runs before this migration are not marked, and the run after them still looks for
-- those rows as before.
alter table scoring_runs add column live_recency_as_of_run boolean not null default false;
