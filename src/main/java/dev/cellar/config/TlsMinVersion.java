package dev.cellar.config;

import java.util.List;

/**
 * The lowest TLS version a connection of Cellar's accepts (PostgreSQL, S3, SMTP, webhooks). TLS 1.0
 * and 1.1 are not offered at all: the JDK disables them, and so does libpq since PostgreSQL 13.
 */
public enum TlsMinVersion {
    TLS_1_2("1.2"),
    TLS_1_3("1.3");

    private final String setting;

    TlsMinVersion(String setting) {
        this.setting = setting;
    }

    /** The value as written in cellar.yaml: {@code 1.2} or {@code 1.3}. */
    public String setting() {
        return setting;
    }

    /** The lowest protocol by its JSSE and libpq name ({@code TLSv1.3}): PGSSLMINPROTOCOLVERSION takes the same spelling. */
    public String protocol() {
        return "TLSv" + setting;
    }

    /** The JSSE protocol names a socket may enable, newest first. */
    public List<String> protocols() {
        return this == TLS_1_3 ? List.of("TLSv1.3") : List.of("TLSv1.3", "TLSv1.2");
    }

    /** The same list, space-separated, as Jakarta Mail's {@code mail.smtp.ssl.protocols} wants it. */
    public String spaceSeparated() {
        return String.join(" ", protocols());
    }

    /** Reads {@code 1.2} or {@code 1.3} (also {@code TLSv1.3}), or null when it is neither. */
    static TlsMinVersion parse(String text) {
        String plain = text.strip();
        if (plain.regionMatches(true, 0, "TLSv", 0, 4)) {
            plain = plain.substring(4);
        }
        for (TlsMinVersion v : values()) {
            if (v.setting.equals(plain)) {
                return v;
            }
        }
        return null;
    }
}
