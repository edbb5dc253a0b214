package dev.cellar.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {
    @Test
    void distanceCountsSingleCharacterEdits() {
        assertThat(Suggestions.distance("repositry", "repository")).isEqualTo(1);
        assertThat(Suggestions.distance("port", "prot")).isEqualTo(2);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void suggestsTheClosestPlausibleName() {
        List<String> sections = List.of("repository", "database", "postgres", "backup", "retention");

        assertThat(Suggestions.closest("databse", sections)).contains("database");
        assertThat(Suggestions.closest("Backup", sections)).contains("backup");
        assertThat(Suggestions.closest("notifications", sections)).isEmpty();
    }
}
