-- Where a recompute's time went: milliseconds per phase, e.g.
-- {"find": 412, "read": 1180, "score": 95, "write": 1540}. Shown by `siyu scoring runs` and the
-- runs API, so an operator can tell a slow read from a slow write.
alter table scoring_runs add column timings jsonb;
