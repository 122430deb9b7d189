-- v14: the province's lists for cross-commune intake (issue 23), as the centre sent
-- them at the last sync, kept offline: its units, and the procedures any commune may
-- receive. Replaced whole at each change. Never edit once shipped.

CREATE TABLE province_unit (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE province_cross_procedure (
    code TEXT PRIMARY KEY
);
