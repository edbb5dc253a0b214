package dev.cellar.sample;

import java.util.SplittableRandom;

/** Rows of {@code users}: personal data, with sign-up and last-activity times from the world's {@link UserBase}. */
final class UserRows implements TableRows {
    private final SampleWorld world;

    UserRows(SampleWorld world) {
        this.world = world;
    }

    @Override
    public String table() {
        return "users";
    }

    @Override
    public String columns() {
        return "id, email, full_name, phone, street, city, postal_code, marketing_opt_in, created_at, last_active_at";
    }

    @Override
    public void writeTo(RowWriter out) {
        SplittableRandom rng = Seeds.stream(world.seed(), "user-text");
        UserBase users = world.users();
        for (long id = 1; id <= users.count(); id++) {
            String name = FakeText.fullName(rng);
            long created = users.signupDay(id) * Timestamps.SECONDS_PER_DAY + rng.nextInt(86_400);
            long lastActive = Math.max(created, users.lastSeenDay(id) * Timestamps.SECONDS_PER_DAY + rng.nextInt(86_400));
            lastActive = Math.min(lastActive, Math.max(created, world.endSecond() - 1));
            boolean hasAddress = rng.nextInt(10) < 7;
            out.number(id).text(FakeText.email(name, id, rng)).text(name)
                    .text(rng.nextInt(10) > 0 ? FakeText.phone(rng) : null)
                    .text(hasAddress ? FakeText.street(rng) : null)
                    .text(hasAddress ? Words.pick(rng, Words.CITIES) : null)
                    .text(hasAddress ? FakeText.postalCode(rng) : null)
                    .bool(rng.nextInt(3) == 0).timestamp(created).timestamp(lastActive)
                    .endRow();
        }
    }
}
