package dev.cellar.sample;

/**
 * Everything the table generators share, derived once from a {@link SampleSpec}: volumes, the
 * history's days, the menu and the users' lifetimes. Generators take their structure from here
 * and draw free text from their own random streams, so tables stay consistent with each other.
 */
record SampleWorld(SampleSpec spec, SampleVolumes volumes, long firstDay, long lastDay, Menu menu, UserBase users) {
    static SampleWorld of(SampleSpec spec) {
        SampleVolumes volumes = SampleVolumes.of(spec.scale());
        long first = spec.startDate().toEpochDay();
        long last = spec.endDate().toEpochDay();
        return new SampleWorld(spec, volumes, first, last, Menu.generate(volumes, spec.seed()),
                UserBase.generate(volumes.users(), first, last, spec.seed()));
    }

    int days() {
        return (int) (lastDay - firstDay + 1);
    }

    long seed() {
        return spec.seed();
    }

    /** The first second after the history: the generated database's "now". */
    long endSecond() {
        return (lastDay + 1) * Timestamps.SECONDS_PER_DAY;
    }

    /** Day the cafe opened: before the history, so every cafe has orders from its first day. */
    long cafeOpenedDay(int cafeId) {
        return firstDay - 90 - Math.floorMod(Seeds.mix(seed() + cafeId), 2000);
    }
}
