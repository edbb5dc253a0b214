package dev.cellar.globals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text as PostgreSQL's own tools print it (pg_dumpall, pg_restore) into statements of
 * tokens. It knows what can hide a semicolon: string literals ({@code '…'}, {@code E'…'}),
 * quoted identifiers, dollar quotes and comments; psql meta-commands ({@code \restrict},
 * {@code \connect}) are dropped. It is a lexer, not a parser: it never judges whether SQL is valid.
 */
public final class SqlScript {

    private SqlScript() {
    }

    /** What a token is; {@link Token#value()} is unquoted for identifiers and strings. */
    public enum Kind { WORD, QUOTED_IDENTIFIER, STRING, NUMBER, SYMBOL }

    /** One token: {@code text} exactly as written, {@code value} what it means (unquoted). */
    public record Token(Kind kind, String text, String value) {

        /** A bare word equal to {@code keyword}, ignoring case. */
        public boolean is(String keyword) {
            return kind == Kind.WORD && value.equalsIgnoreCase(keyword);
        }

        /** An identifier: a bare word (as PostgreSQL folds it, to lower case) or a quoted one. */
        public boolean isIdentifier() {
            return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER;
        }

        public String identifier() {
            return kind == Kind.WORD ? value.toLowerCase(Locale.ROOT) : value;
        }
    }

    /** One statement: its tokens (without the closing semicolon) and its text as written (with it). */
    public record Statement(List<Token> tokens, String text) {

        /** Whether the statement starts with these bare words, ignoring case. */
        public boolean startsWith(String... keywords) {
            if (tokens.size() < keywords.length) {
                return false;
            }
            for (int i = 0; i < keywords.length; i++) {
                if (!tokens.get(i).is(keywords[i])) {
                    return false;
                }
            }
            return true;
        }

        /** Index of the first bare word {@code keyword} at or after {@code from}, or -1. */
        public int indexOf(String keyword, int from) {
            for (int i = from; i < tokens.size(); i++) {
                if (tokens.get(i).is(keyword)) {
                    return i;
                }
            }
            return -1;
        }

        /** The statement rebuilt from some of its tokens, separated by single spaces, with a semicolon. */
        public static String render(List<Token> tokens) {
            StringBuilder sql = new StringBuilder();
            for (Token t : tokens) {
                if (!sql.isEmpty()) {
                    sql.append(' ');
                }
                sql.append(t.text());
            }
            return sql.append(';').toString();
        }
    }

    /** Every complete statement of {@code sql}, in order; text after the last semicolon is ignored. */
    public static List<Statement> statements(String sql) {
        return new Lexer(sql).statements();
    }

    private static final class Lexer {
        private final String sql;
        private int pos;

        Lexer(String sql) {
            this.sql = sql;
        }

        List<Statement> statements() {
            List<Statement> statements = new ArrayList<>();
            List<Token> tokens = new ArrayList<>();
            int start = -1;
            while (true) {
                skipSpaceAndComments(tokens.isEmpty());
                if (pos >= sql.length()) {
                    return statements;
                }
                char c = sql.charAt(pos);
                if (c == ';') {
                    pos++;
                    if (!tokens.isEmpty()) {
                        statements.add(new Statement(List.copyOf(tokens), sql.substring(start, pos)));
                    }
                    tokens.clear();
                    continue;
                }
                if (tokens.isEmpty()) {
                    start = pos;
                }
                tokens.add(next(c));
            }
        }

        /** Skips blanks and comments, and psql meta-command lines where a statement may start. */
        private void skipSpaceAndComments(boolean atStatementStart) {
            while (pos < sql.length()) {
                char c = sql.charAt(pos);
                if (Character.isWhitespace(c)) {
                    pos++;
                } else if (sql.startsWith("--", pos) || (atStatementStart && c == '\\')) {
                    int end = sql.indexOf('\n', pos);
                    pos = end < 0 ? sql.length() : end + 1;
                } else if (sql.startsWith("/*", pos)) {
                    skipBlockComment();
                } else {
                    return;
                }
            }
        }

        private void skipBlockComment() {
            int depth = 0;
            while (pos < sql.length()) {
                if (sql.startsWith("/*", pos)) {
                    depth++;
                    pos += 2;
                } else if (sql.startsWith("*/", pos)) {
                    depth--;
                    pos += 2;
                    if (depth == 0) {
                        return;
                    }
                } else {
                    pos++;
                }
            }
        }

        private Token next(char c) {
            int begin = pos;
            if ((c == 'E' || c == 'e') && pos + 1 < sql.length() && sql.charAt(pos + 1) == '\'') {
                pos++;
                String value = quoted('\'', true);
                return new Token(Kind.STRING, sql.substring(begin, pos), value);
            }
            if (c == '\'') {
                String value = quoted('\'', false);
                return new Token(Kind.STRING, sql.substring(begin, pos), value);
            }
            if (c == '"') {
                String value = quoted('"', false);
                return new Token(Kind.QUOTED_IDENTIFIER, sql.substring(begin, pos), value);
            }
            if (c == '$') {
                String dollar = dollarQuoted();
                if (dollar != null) {
                    return new Token(Kind.STRING, sql.substring(begin, pos), dollar);
                }
            }
            if (Character.isLetter(c) || c == '_') {
                while (pos < sql.length() && isWordPart(sql.charAt(pos))) {
                    pos++;
                }
                String word = sql.substring(begin, pos);
                return new Token(Kind.WORD, word, word);
            }
            if (Character.isDigit(c)) {
                while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                    pos++;
                }
                String number = sql.substring(begin, pos);
                return new Token(Kind.NUMBER, number, number);
            }
            pos++;
            return new Token(Kind.SYMBOL, String.valueOf(c), String.valueOf(c));
        }

        private static boolean isWordPart(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }

        /** Reads a quoted token whose quote is doubled inside; with {@code backslashes}, {@code \x} escapes too. */
        private String quoted(char quote, boolean backslashes) {
            StringBuilder value = new StringBuilder();
            pos++;
            while (pos < sql.length()) {
                char c = sql.charAt(pos);
                if (backslashes && c == '\\' && pos + 1 < sql.length()) {
                    value.append(unescape(sql.charAt(pos + 1)));
                    pos += 2;
                } else if (c == quote) {
                    if (pos + 1 < sql.length() && sql.charAt(pos + 1) == quote) {
                        value.append(quote);
                        pos += 2;
                    } else {
                        pos++;
                        return value.toString();
                    }
                } else {
                    value.append(c);
                    pos++;
                }
            }
            return value.toString();
        }

        private static char unescape(char c) {
            return switch (c) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case 'b' -> '\b';
                case 'f' -> '\f';
                default -> c;
            };
        }

        /** A dollar-quoted string ({@code $tag$…$tag$}), or null (position unchanged) when this {@code $} starts none. */
        private String dollarQuoted() {
            int tagEnd = pos + 1;
            while (tagEnd < sql.length() && (Character.isLetterOrDigit(sql.charAt(tagEnd)) || sql.charAt(tagEnd) == '_')) {
                tagEnd++;
            }
            if (tagEnd >= sql.length() || sql.charAt(tagEnd) != '$' || (tagEnd > pos + 1 && Character.isDigit(sql.charAt(pos + 1)))) {
                return null;
            }
            String tag = sql.substring(pos, tagEnd + 1);
            int close = sql.indexOf(tag, tagEnd + 1);
            int end = close < 0 ? sql.length() : close;
            String value = sql.substring(tagEnd + 1, end);
            pos = close < 0 ? sql.length() : close + tag.length();
            return value;
        }
    }
}
