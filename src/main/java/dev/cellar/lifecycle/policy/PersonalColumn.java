package dev.cellar.lifecycle.policy;

/** A personal-data column and what erasure does to it; {@code reason} is set exactly when the action is keep. */
public record PersonalColumn(String column, ErasureAction action, String reason) {
}
