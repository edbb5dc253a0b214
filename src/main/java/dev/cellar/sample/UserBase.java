package dev.cellar.sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * When each generated user signed up and was last active. User ids follow sign-up order; about a
 * third of the users lapse and stop appearing, which gives the "2 years after last activity"
 * retention rule real candidates. Holds two ints per user, so even scale 1000 fits easily.
 */
final class UserBase implements UserPicker {
    private static final int PICK_ATTEMPTS = 6;

    private final int[] signupDay;
    private final int[] lastSeenDay;

    private UserBase(int[] signupDay, int[] lastSeenDay) {
        this.signupDay = signupDay;
        this.lastSeenDay = lastSeenDay;
    }

    static UserBase generate(int users, long firstDay, long lastDay, long seed) {
        SplittableRandom rng = Seeds.stream(seed, "users");
        int historyDays = (int) (lastDay - firstDay + 1);
        int[] signup = new int[users];
        for (int i = 0; i < users; i++) {
            // a quarter were customers before the history starts, the rest join over it (front-loaded)
            signup[i] = rng.nextInt(4) == 0
                    ? (int) (firstDay - 1 - rng.nextInt(730))
                    : (int) (firstDay + (long) (historyDays * Math.pow(rng.nextDouble(), 1.3)));
        }
        Arrays.sort(signup);
        int[] lastSeen = new int[users];
        for (int i = 0; i < users; i++) {
            lastSeen[i] = rng.nextInt(3) == 0
                    ? (int) Math.min(lastDay, signup[i] + 14 + rng.nextInt(700))
                    : (int) lastDay;
        }
        return new UserBase(signup, lastSeen);
    }

    int count() {
        return signupDay.length;
    }

    int signupDay(long userId) {
        return signupDay[(int) (userId - 1)];
    }

    int lastSeenDay(long userId) {
        return lastSeenDay[(int) (userId - 1)];
    }

    /** A user who had signed up by that day and, if possible, had not lapsed yet. */
    @Override
    public long pick(SplittableRandom rng, long epochDay) {
        int known = signedUpBy(epochDay);
        int index = 0;
        for (int attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
            index = rng.nextInt(known);
            if (lastSeenDay[index] >= epochDay) {
                break;
            }
        }
        return index + 1L;
    }

    private int signedUpBy(long epochDay) {
        int lo = 0;
        int hi = signupDay.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (signupDay[mid] <= epochDay) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return Math.max(1, lo);
    }
}
