-- The "bistro" application's objects, owned by roles other than the superuser and granted to
-- roles at every level PostgreSQL has: schema, table, column, sequence, function, default
-- privileges, row-level security policies. Runs inside the database, as the superuser.
CREATE SCHEMA "Ops" AUTHORIZATION bistro_owner;
GRANT USAGE ON SCHEMA "Ops" TO "Kitchen Staff", auditor, reporting, tenant_user;

SET ROLE bistro_owner;
ALTER DEFAULT PRIVILEGES IN SCHEMA "Ops" GRANT SELECT ON TABLES TO reporting;

CREATE TABLE "Ops"."Orders" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant text NOT NULL,
    "Total" numeric(10, 2) NOT NULL,
    note text,
    placed_at timestamptz NOT NULL DEFAULT '2026-01-01 12:00:00+00'
);
ALTER TABLE "Ops"."Orders" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Ops"."Orders" FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_sees_all ON "Ops"."Orders" TO bistro_owner USING (true);
CREATE POLICY tenant_rows ON "Ops"."Orders" FOR SELECT TO tenant_user USING (tenant = current_user);
GRANT SELECT, INSERT ON "Ops"."Orders" TO "Kitchen Staff";
GRANT SELECT ON "Ops"."Orders" TO tenant_user;
GRANT SELECT (id, "Total") ON "Ops"."Orders" TO auditor;
GRANT UPDATE (note) ON "Ops"."Orders" TO chef_bob;
INSERT INTO "Ops"."Orders" (tenant, "Total", note)
    SELECT CASE WHEN g % 3 = 0 THEN 'tenant_user' ELSE 'other' END, g * 1.25, 'order ' || g
    FROM generate_series(1, 3000) g;

CREATE TABLE "Ops".visits (
    visited_on date NOT NULL,
    guest text NOT NULL,
    party_size int NOT NULL CHECK (party_size > 0)
) PARTITION BY RANGE (visited_on);
CREATE TABLE "Ops".visits_2025 PARTITION OF "Ops".visits FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE "Ops".visits_2026 PARTITION OF "Ops".visits FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
GRANT SELECT ON "Ops".visits TO staff_base;
INSERT INTO "Ops".visits
    SELECT date '2025-01-01' + (g % 700), 'guest ' || g, 1 + g % 6 FROM generate_series(1, 2000) g;

CREATE FUNCTION "Ops".order_total(order_id bigint) RETURNS numeric
    LANGUAGE sql STABLE AS $$ SELECT "Total" FROM "Ops"."Orders" WHERE id = order_id $$;
REVOKE ALL ON FUNCTION "Ops".order_total(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "Ops".order_total(bigint) TO chef_bob;
RESET ROLE;

CREATE VIEW "Ops".big_orders AS SELECT id, "Total" FROM "Ops"."Orders" WHERE "Total" > 3000;
ALTER VIEW "Ops".big_orders OWNER TO "Kitchen Staff";
CREATE TABLE public.shifts (id serial PRIMARY KEY, cook text NOT NULL);
ALTER TABLE public.shifts OWNER TO night_batch;
GRANT USAGE ON SEQUENCE public.shifts_id_seq TO chef_bob;
INSERT INTO public.shifts (cook) SELECT 'cook ' || g FROM generate_series(1, 50) g;
