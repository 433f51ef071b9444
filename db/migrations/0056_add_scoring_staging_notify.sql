-- Whether an applied change is announced on customers.changed (a class, stage, layer, tier or
-- R/F/M score changed, or the customer is new). The full recompute's staged path (more than
-- 20,000 changed customers) writes it; the column was missing, so such recomputes failed.
alter table scoring_staging add column notify boolean not null default false;
