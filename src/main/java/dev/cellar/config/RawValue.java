package dev.cellar.config;

/**
 * One setting's text before it is typed, with where it came from ("/etc/cellar.yaml line 4",
 * "CELLAR_DATABASE_PORT", "the command line") so that an error can point at the culprit.
 */
record RawValue(String text, String origin) {
}
