package dev.cellar.sample;

import java.util.SplittableRandom;

/**
 * Rows of {@code audit.audit_logs}: staff clocking in and out, price changes, restocks, customer
 * account events and nightly system jobs, spread over the history.
 */
final class AuditLogRows implements TableRows {
    private final SampleWorld world;

    AuditLogRows(SampleWorld world) {
        this.world = world;
    }

    @Override
    public String table() {
        return "audit.audit_logs";
    }

    @Override
    public String columns() {
        return "id, occurred_at, actor_type, actor_id, action, entity_type, entity_id, client_ip, details";
    }

    @Override
    public void writeTo(RowWriter out) {
        SplittableRandom rng = Seeds.stream(world.seed(), "audit-logs");
        int[] perDay = DailyCounts.spread(world.volumes().auditLogs(), world.firstDay(), world.days());
        long id = 1;
        for (int d = 0; d < perDay.length; d++) {
            long day = world.firstDay() + d;
            for (long at : DayClock.times(rng, day, perDay[d])) {
                out.number(id++).timestamp(at);
                entry(out, rng, day);
                out.endRow();
            }
        }
    }

    private void entry(RowWriter out, SplittableRandom rng, long day) {
        int cafe = rng.nextInt(world.volumes().cafes());
        int perCafe = world.volumes().employeesPerCafe();
        long employee = EmployeeRows.firstEmployeeId(cafe, perCafe) + rng.nextInt(perCafe);
        int r = rng.nextInt(100);
        if (r < 40) {
            boolean in = rng.nextBoolean();
            out.text("employee").number(employee).text(in ? "employee.clock_in" : "employee.clock_out")
                    .text("employee").number(employee).nul()
                    .text(new JsonText().put("cafe_id", cafe + 1L).put("terminal", "pos-" + (1 + rng.nextInt(4))).toString());
        } else if (r < 55) {
            int item = world.menu().itemIds()[cafe][rng.nextInt(world.volumes().menuItemsPerCafe())];
            long old = 300 + 5L * rng.nextInt(300);
            out.text("employee").number(employee).text("menu_item.price_changed").text("menu_item").number(item).nul()
                    .text(new JsonText().put("old_price_cents", old).put("new_price_cents", old + 5L * (rng.nextInt(21) - 5))
                            .put("reason", rng.nextBoolean() ? "supplier cost" : "seasonal menu").toString());
        } else if (r < 70) {
            int item = world.menu().itemIds()[cafe][rng.nextInt(world.volumes().menuItemsPerCafe())];
            out.text("employee").number(employee).text("inventory.restocked").text("inventory").number(item).nul()
                    .text(new JsonText().put("cafe_id", cafe + 1L).put("quantity_added", 10 + rng.nextInt(200))
                            .put("supplier", Words.pick(rng, Words.LAST_NAMES) + " Wholesale").toString());
        } else if (r < 92) {
            long user = world.users().pick(rng, day);
            String[] actions = {"user.login_failed", "user.password_reset", "user.email_changed", "user.address_added"};
            String action = actions[rng.nextInt(actions.length)];
            out.text("user").number(user).text(action).text("user").number(user).text(FakeText.ipv4(rng))
                    .text(new JsonText().put("user_agent", FakeText.userAgent(rng))
                            .put("session", FakeText.uuid(rng)).toString());
        } else {
            out.text("system").nul().text("system.nightly_report").text("report").nul().nul()
                    .text(new JsonText().put("duration_ms", 200 + rng.nextInt(20_000))
                            .put("rows_scanned", rng.nextInt(5_000_000)).put("host", "app-" + (1 + rng.nextInt(3))).toString());
        }
    }
}
