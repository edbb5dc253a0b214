package dev.cellar.config;

import java.util.Optional;
import java.util.regex.Pattern;

/** A repository location of the form {@code s3://bucket/prefix}. */
record S3Location(String bucket, String prefix) {
    static final String SCHEME = "s3://";
    // S3's rules for new bucket names: 3-63 characters, lowercase letters, digits, dots and hyphens
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /**
     * The bucket and prefix of an {@code s3://} location (prefix normalised to "" or ending with
     * '/'); empty for anything else, which is a folder.
     *
     * @throws IllegalArgumentException with the reason when it starts with s3:// but is malformed
     */
    static Optional<S3Location> parse(String location) {
        if (!location.startsWith(SCHEME)) {
            return Optional.empty();
        }
        String rest = location.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("'" + bucket + "' is not a valid bucket name (3-63 lowercase letters, digits, '.' or '-')");
        }
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        if (prefix.contains("//")) {
            throw new IllegalArgumentException("the prefix '" + prefix + "' holds an empty folder name ('//')");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        return Optional.of(new S3Location(bucket, prefix));
    }
}
