package dev.cellar.sample;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The word lists of {@code sample/words.txt}. They live in a resource rather than in code so the
 * vocabulary can grow without touching the generators.
 */
final class Words {
    static final String[] FIRST_NAMES;
    static final String[] LAST_NAMES;
    static final String[] STREET_NAMES;
    static final String[] STREET_TYPES;
    static final String[] CITIES;
    static final String[] DISH_ADJECTIVES;
    static final String[] DISH_NOUNS;
    static final String[] INGREDIENTS;
    static final String[] NOTE_PHRASES;
    static final String[] USER_AGENTS;
    static final String[] SEARCH_TERMS;
    static final String[] EMAIL_DOMAINS;

    static {
        Map<String, String[]> lists = load("/sample/words.txt");
        FIRST_NAMES = require(lists, "first_names");
        LAST_NAMES = require(lists, "last_names");
        STREET_NAMES = require(lists, "street_names");
        STREET_TYPES = require(lists, "street_types");
        CITIES = require(lists, "cities");
        DISH_ADJECTIVES = require(lists, "dish_adjectives");
        DISH_NOUNS = require(lists, "dish_nouns");
        INGREDIENTS = require(lists, "ingredients");
        NOTE_PHRASES = require(lists, "note_phrases");
        USER_AGENTS = require(lists, "user_agents");
        SEARCH_TERMS = require(lists, "search_terms");
        EMAIL_DOMAINS = require(lists, "email_domains");
    }

    private Words() {
    }

    static String pick(SplittableRandom rng, String[] list) {
        return list[rng.nextInt(list.length)];
    }

    private static String[] require(Map<String, String[]> lists, String name) {
        String[] list = lists.get(name);
        if (list == null || list.length == 0) {
            throw new CellarException(ErrorCode.INTERNAL, "word list '" + name + "' missing from sample/words.txt");
        }
        return list;
    }

    private static Map<String, String[]> load(String resource) {
        Map<String, String[]> lists = new HashMap<>();
        try (InputStream in = Words.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new CellarException(ErrorCode.INTERNAL, "resource " + resource + " missing from the build");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String name = null;
            List<String> entries = new ArrayList<>();
            for (String line; (line = reader.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    if (name != null) {
                        lists.put(name, entries.toArray(String[]::new));
                    }
                    name = line.substring(1, line.length() - 1);
                    entries = new ArrayList<>();
                } else {
                    entries.add(line);
                }
            }
            if (name != null) {
                lists.put(name, entries.toArray(String[]::new));
            }
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTERNAL, "cannot read " + resource + ": " + e.getMessage(), null, e);
        }
        return lists;
    }
}
