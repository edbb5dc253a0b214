package dev.cellar.config;

import java.nio.file.Path;

/**
 * How cellar server protects the dashboard and the REST API: the PKCS#12 keystore it serves
 * HTTPS with, or none; and whether plain HTTP may serve them on a loopback address (see
 * docs/web-login.md for the rule).
 *
 * @param keystore            the PKCS#12 file with the certificate chain and its private key; null: no HTTPS
 * @param keystorePassword    where that file's password comes from; null when there is no keystore
 * @param allowHttpOnLoopback {@code web.allow-http-on-loopback}: the dashboard over plain HTTP when listening on loopback
 */
public record HttpsConfig(Path keystore, SecretSource keystorePassword, boolean allowHttpOnLoopback) {

    public HttpsConfig {
        if (keystore != null && keystorePassword == null) {
            throw new IllegalArgumentException("a keystore needs a password source");
        }
    }

    /** No certificate, no plain HTTP for the dashboard: what a configuration without these keys gets. */
    public static HttpsConfig none() {
        return new HttpsConfig(null, null, false);
    }

    public boolean enabled() {
        return keystore != null;
    }
}
