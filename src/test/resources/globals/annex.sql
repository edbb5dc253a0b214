-- A second, smaller application database: a schema and table owned by its own role, read by the
-- kitchen staff of the bistro. Runs inside the database, as the superuser.
CREATE SCHEMA annex AUTHORIZATION "Annex Clerk";
CREATE TABLE annex."Deliveries" (
    id int PRIMARY KEY,
    supplier text NOT NULL,
    arrived_on date NOT NULL
);
ALTER TABLE annex."Deliveries" OWNER TO "Annex Clerk";
INSERT INTO annex."Deliveries" SELECT g, 'supplier ' || (g % 17), date '2026-01-01' + g % 300 FROM generate_series(1, 800) g;
GRANT USAGE ON SCHEMA annex TO "Kitchen Staff";
GRANT SELECT ON annex."Deliveries" TO "Kitchen Staff";
