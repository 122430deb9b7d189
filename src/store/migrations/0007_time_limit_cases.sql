-- Time-limit cases of a procedure (issue 12 §2): a JSON array of {label, limit}, the
-- first being the default. NULL on rows written before: their one limit is the only case.
-- The program step that follows refreshes the shipped procedures from the clean catalogue.
ALTER TABLE procedure ADD COLUMN time_limit_cases TEXT;
