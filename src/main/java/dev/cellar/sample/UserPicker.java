package dev.cellar.sample;

import java.util.SplittableRandom;

/** Chooses which user acts (orders, browses) on a given day. */
@FunctionalInterface
interface UserPicker {
    long pick(SplittableRandom rng, long epochDay);
}
