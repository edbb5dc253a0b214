package dev.cellar.sample;

import java.util.SplittableRandom;

/**
 * Composes realistic personal and free-form text from {@link Words} plus random digits. Mixing
 * list entries with numbers keeps the data about as compressible as a real customer database,
 * which matters because Cellar's dump sizes and timings are measured on it.
 */
final class FakeText {
    private static final char[] ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private FakeText() {
    }

    static String fullName(SplittableRandom rng) {
        return Words.pick(rng, Words.FIRST_NAMES) + " " + Words.pick(rng, Words.LAST_NAMES);
    }

    /** An address unique enough for mail, e.g. {@code olivia.nguyen417@gmail.com}; the number keeps it unique. */
    static String email(String fullName, long uniqueNumber, SplittableRandom rng) {
        int space = fullName.indexOf(' ');
        String first = fullName.substring(0, space).toLowerCase();
        String last = fullName.substring(space + 1).toLowerCase();
        String local = switch (rng.nextInt(4)) {
            case 0 -> first + "." + last;
            case 1 -> first.charAt(0) + last;
            case 2 -> first + "_" + last.charAt(0);
            default -> last + "." + first;
        };
        return local + uniqueNumber + "@" + Words.pick(rng, Words.EMAIL_DOMAINS);
    }

    static String phone(SplittableRandom rng) {
        StringBuilder sb = new StringBuilder(16).append("+1 ");
        sb.append(2 + rng.nextInt(8)).append(rng.nextInt(10)).append(rng.nextInt(10)).append(' ');
        digits(sb, rng, 3).append('-');
        return digits(sb, rng, 4).toString();
    }

    static String street(SplittableRandom rng) {
        return (1 + rng.nextInt(2400)) + " " + Words.pick(rng, Words.STREET_NAMES) + " "
                + Words.pick(rng, Words.STREET_TYPES);
    }

    static String postalCode(SplittableRandom rng) {
        return digits(new StringBuilder(5), rng, 5).toString();
    }

    static String dishName(SplittableRandom rng) {
        return Words.pick(rng, Words.DISH_ADJECTIVES) + " " + Words.pick(rng, Words.DISH_NOUNS);
    }

    /** A menu description such as "with feta, kale and lime". */
    static String dishDescription(SplittableRandom rng) {
        int count = 2 + rng.nextInt(3);
        StringBuilder sb = new StringBuilder(64).append("with ");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(i == count - 1 ? " and " : ", ");
            }
            sb.append(Words.pick(rng, Words.INGREDIENTS));
        }
        return sb.toString();
    }

    /** One or two customer note phrases, sometimes with a flat or door number. */
    static String note(SplittableRandom rng) {
        StringBuilder sb = new StringBuilder(80).append(capitalise(Words.pick(rng, Words.NOTE_PHRASES)));
        if (rng.nextInt(3) == 0) {
            sb.append(", flat ").append(1 + rng.nextInt(60)).append((char) ('A' + rng.nextInt(6)));
        }
        if (rng.nextInt(3) == 0) {
            sb.append(". ").append(capitalise(Words.pick(rng, Words.NOTE_PHRASES)));
        }
        return sb.append('.').toString();
    }

    /** A payment processor reference like {@code ch_7KQ2M9...}: random, so it barely compresses, like the real thing. */
    static String processorRef(SplittableRandom rng) {
        StringBuilder sb = new StringBuilder(27).append("ch_");
        for (int i = 0; i < 24; i++) {
            sb.append(ALNUM[rng.nextInt(ALNUM.length)]);
        }
        return sb.toString();
    }

    /** A browser or app user agent with random build digits. */
    static String userAgent(SplittableRandom rng) {
        char[] agent = Words.pick(rng, Words.USER_AGENTS).toCharArray();
        for (int i = 0; i < agent.length; i++) {
            if (agent[i] == '#') {
                agent[i] = (char) ('0' + rng.nextInt(10));
            }
        }
        return new String(agent);
    }

    static String uuid(SplittableRandom rng) {
        long hi = rng.nextLong();
        long lo = rng.nextLong();
        char[] out = new char[36];
        int pos = 0;
        for (int i = 0; i < 32; i++) {
            if (i == 8 || i == 12 || i == 16 || i == 20) {
                out[pos++] = '-';
            }
            long word = i < 16 ? hi : lo;
            int nibble = (int) (word >>> (60 - 4 * (i % 16))) & 0xF;
            out[pos++] = HEX[nibble];
        }
        return new String(out);
    }

    static String ipv4(SplittableRandom rng) {
        return (11 + rng.nextInt(212)) + "." + rng.nextInt(256) + "." + rng.nextInt(256) + "." + (1 + rng.nextInt(254));
    }

    static String slug(String text) {
        return text.toLowerCase().replace(' ', '-');
    }

    private static StringBuilder digits(StringBuilder sb, SplittableRandom rng, int count) {
        for (int i = 0; i < count; i++) {
            sb.append((char) ('0' + rng.nextInt(10)));
        }
        return sb;
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
