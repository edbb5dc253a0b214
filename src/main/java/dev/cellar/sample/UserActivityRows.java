package dev.cellar.sample;

import java.util.SplittableRandom;

/**
 * Rows of {@code user_activity}, generated as browsing sessions: one user, one device and
 * address, a handful of events minutes apart (log in, view pages, search, fill the cart, check out).
 */
final class UserActivityRows implements TableRows {
    private static final String[] PAGES = {"/", "/menu", "/cafes", "/account", "/orders", "/offers", "/cart"};

    private final long streamSeed;
    private final long firstId;
    private final long firstDay;
    private final int[] perDay;
    private final UserPicker users;
    private final int cafes;

    /**
     * @param streamSeed seed of the random stream; every {@link #writeTo} replays the same rows
     * @param perDay     events per day, starting at {@code firstDay}
     */
    UserActivityRows(long streamSeed, long firstId, long firstDay, int[] perDay, UserPicker users, int cafes) {
        this.streamSeed = streamSeed;
        this.firstId = firstId;
        this.firstDay = firstDay;
        this.perDay = perDay;
        this.users = users;
        this.cafes = cafes;
    }

    static UserActivityRows history(SampleWorld world) {
        return new UserActivityRows(Seeds.seedFor(world.seed(), "user-activity"), 1, world.firstDay(),
                DailyCounts.spread(world.volumes().userActivity(), world.firstDay(), world.days()),
                world.users(), world.volumes().cafes());
    }

    @Override
    public String table() {
        return "user_activity";
    }

    @Override
    public String columns() {
        return "id, user_id, activity_type, occurred_at, session_id, ip_address, user_agent, path, search_query";
    }

    @Override
    public void writeTo(RowWriter out) {
        SplittableRandom rng = new SplittableRandom(streamSeed);
        long id = firstId;
        for (int d = 0; d < perDay.length; d++) {
            long day = firstDay + d;
            int remaining = perDay[d];
            long[] starts = DayClock.times(rng, day, Math.max(1, remaining / 3));
            for (int s = 0; remaining > 0; s++) {
                long at = starts[s % starts.length];
                long user = users.pick(rng, day);
                String session = FakeText.uuid(rng);
                String ip = FakeText.ipv4(rng);
                String agent = FakeText.userAgent(rng);
                int events = Math.min(remaining, 1 + rng.nextInt(6));
                for (int e = 0; e < events; e++) {
                    String type = e == 0 ? (rng.nextInt(3) == 0 ? "login" : "page_view") : type(rng, e == events - 1);
                    out.number(id++).number(user).text(type).timestamp(at).text(session).text(ip).text(agent);
                    String query = type.equals("search") ? Words.pick(rng, Words.SEARCH_TERMS) : null;
                    out.text(path(type, query, rng)).text(query).endRow();
                    at += 5 + rng.nextInt(240);
                }
                remaining -= events;
            }
        }
    }

    private static String type(SplittableRandom rng, boolean last) {
        int r = rng.nextInt(10);
        if (last && r < 2) {
            return r == 0 ? "checkout" : "logout";
        }
        return r < 6 ? "page_view" : r < 8 ? "search" : "add_to_cart";
    }

    private String path(String type, String query, SplittableRandom rng) {
        return switch (type) {
            case "page_view" -> rng.nextBoolean() ? PAGES[rng.nextInt(PAGES.length)]
                    : "/cafes/" + (1 + rng.nextInt(cafes)) + "/menu/" + FakeText.slug(Words.pick(rng, Words.DISH_NOUNS));
            case "search" -> "/search?q=" + query.replace(' ', '+');
            case "add_to_cart", "checkout" -> "/cart";
            default -> null;
        };
    }
}
