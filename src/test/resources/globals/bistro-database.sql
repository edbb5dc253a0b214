-- Database-level state of the bistro database, which pg_restore leaves out unless it creates
-- the database itself: owner, settings for everyone and for one role, ACL, comment, limit.
-- :"database" is the database's name (psql-style placeholder, replaced by the test).
ALTER DATABASE :"database" OWNER TO bistro_owner;
ALTER DATABASE :"database" SET search_path = "Ops", public;
ALTER DATABASE :"database" SET statement_timeout = '45s';
ALTER ROLE night_batch IN DATABASE :"database" SET work_mem = '64MB';
ALTER ROLE night_batch IN DATABASE :"database" SET search_path = public, "Ops";
COMMENT ON DATABASE :"database" IS 'bistro: orders, visits and the night shift''s plan';
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO db_connect_only, tenant_user, night_batch;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO "Kitchen Staff";
ALTER DATABASE :"database" CONNECTION LIMIT 50;
