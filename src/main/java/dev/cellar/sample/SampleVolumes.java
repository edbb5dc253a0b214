package dev.cellar.sample;

/**
 * Row counts for a scale. One scale unit is sized to come to about 10 MB of database
 * (pg_database_size, indexes included), so scale 100 is about 1 GB. Per unit:
 * <ul>
 *   <li>2 cafes, each with 30 menu items (so 60 inventory rows) and 15 employees;</li>
 *   <li>{@value #USERS_PER_UNIT} users and {@value #USER_ACTIVITY_PER_UNIT} user_activity rows;</li>
 *   <li>{@value #ORDERS_PER_UNIT} orders over the history with about 2.6 items each, and one payment
 *       per order;</li>
 *   <li>{@value #AUDIT_LOGS_PER_UNIT} audit log entries.</li>
 * </ul>
 * Measured with PostgreSQL 15: scale 10 is 113 MB, scale 100 is 1007 MB (loaded in about 30 s on
 * 2 cores). An empty database accounts for about 7.5 MB of every figure.
 */
record SampleVolumes(int cafes, int menuItemsPerCafe, int employeesPerCafe, int users, long orders,
                     long userActivity, long auditLogs) {
    static final int CAFES_PER_UNIT = 2;
    static final int MENU_ITEMS_PER_CAFE = 30;
    static final int EMPLOYEES_PER_CAFE = 15;
    static final int USERS_PER_UNIT = 400;
    static final long ORDERS_PER_UNIT = 7_500;
    static final long USER_ACTIVITY_PER_UNIT = 11_000;
    static final long AUDIT_LOGS_PER_UNIT = 3_700;

    static SampleVolumes of(int scale) {
        return new SampleVolumes(CAFES_PER_UNIT * scale, MENU_ITEMS_PER_CAFE, EMPLOYEES_PER_CAFE,
                USERS_PER_UNIT * scale, ORDERS_PER_UNIT * scale, USER_ACTIVITY_PER_UNIT * scale,
                AUDIT_LOGS_PER_UNIT * scale);
    }
}
