package dev.cellar.drill;

import java.time.Duration;

/**
 * The recovery objectives one scope of data carries: the drill's default (configuration or
 * command line), or a category of the database's data policy ({@code rto:} / {@code rpo:}).
 *
 * @param scope what the objective applies to, as a report names it: "default" or "category financial"
 * @param rto   the longest acceptable time to a copy ready for the application, or null when the scope sets none
 * @param rpo   the longest acceptable window of lost commits, or null when the scope sets none
 */
public record Objective(String scope, Duration rto, Duration rpo) {
}
