-- Cluster-wide roles of the "bistro" test application: an owner, a three-step membership chain,
-- a column-level auditor, a default-privilege grantee, a role named by a row-level security
-- policy, a role with per-database settings, a connect-only role, the annex's own role, and one
-- role no database uses (a whole-server restore brings it back; a one-database restore does not).
CREATE ROLE bistro_owner LOGIN PASSWORD 'owner-secret' CONNECTION LIMIT 20;
CREATE ROLE staff_base NOLOGIN;
CREATE ROLE "Kitchen Staff" NOLOGIN;
CREATE ROLE chef_bob LOGIN PASSWORD 'bob''s; secret' VALID UNTIL '2031-06-30 12:00:00+00' CONNECTION LIMIT 3;
GRANT staff_base TO "Kitchen Staff";
GRANT "Kitchen Staff" TO chef_bob WITH ADMIN OPTION;
COMMENT ON ROLE chef_bob IS 'head chef; reads orders
and owns nothing';
ALTER ROLE chef_bob SET search_path = "Ops", public;
ALTER ROLE chef_bob SET work_mem = '12MB';
CREATE ROLE auditor NOLOGIN;
CREATE ROLE reporting NOLOGIN;
CREATE ROLE tenant_user LOGIN;
CREATE ROLE night_batch LOGIN;
CREATE ROLE db_connect_only LOGIN;
CREATE ROLE "Annex Clerk" LOGIN PASSWORD 'annex';
CREATE ROLE retired_role NOLOGIN;
COMMENT ON ROLE retired_role IS 'kept for the auditors; owns nothing';
GRANT pg_read_all_stats TO auditor;
GRANT SET ON PARAMETER log_statement TO chef_bob;
