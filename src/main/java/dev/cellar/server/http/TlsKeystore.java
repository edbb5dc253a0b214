package dev.cellar.server.http;

import dev.cellar.config.ConfigKey;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Opens the PKCS#12 keystore cellar server serves HTTPS with, and refuses at start, with one
 * message naming the file and the fix, what would otherwise fail at the first browser visit: a
 * wrong password, a file that is no keystore, no private key, a certificate expired or not yet valid.
 */
public final class TlsKeystore {
    private TlsKeystore() {
    }

    /**
     * The TLS context for the server. The password array is cleared before returning.
     *
     * @throws CellarException {@code CONFIG_INVALID} for every problem above
     */
    public static SSLContext open(Path file, char[] password, Clock clock) {
        try {
            KeyStore store = read(file, password);
            String alias = keyAlias(store, file);
            X509Certificate certificate = leaf(store, alias, file);
            checkValidity(certificate, file, clock.instant());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (UnrecoverableKeyException e) {
            throw invalid(file + ": the private key cannot be read with the keystore password (" + e.getMessage() + ")",
                    "export the keystore again with one password for the file and the key (openssl pkcs12 -export ...)");
        } catch (GeneralSecurityException e) {
            throw invalid("cannot use HTTPS keystore " + file + ": " + e.getMessage(),
                    "check the file with: keytool -list -v -storetype PKCS12 -keystore " + file);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static KeyStore read(Path file, char[] password) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
            return store;
        } catch (NoSuchFileException e) {
            throw invalid(ConfigKey.SERVER_TLS_KEYSTORE.dotted() + " names " + file + ", which does not exist",
                    "check the path, or create the keystore: docs/web-login.md shows how");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw invalid("HTTPS keystore " + file + " does not open with the configured password",
                        "check " + ConfigKey.SERVER_TLS_KEYSTORE_PASSWORD_FILE.dotted() + " (or "
                                + ConfigKey.SERVER_TLS_KEYSTORE_PASSWORD_ENV.dotted() + "): it must hold the password the keystore was exported with");
            }
            throw invalid("HTTPS keystore " + file + " cannot be read as PKCS#12: " + e.getMessage(),
                    "give a .p12/.pfx file (openssl pkcs12 -export -in cert.pem -inkey key.pem -out cellar.p12); docs/web-login.md shows how");
        }
    }

    private static String keyAlias(KeyStore store, Path file) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return alias;
            }
        }
        throw invalid("HTTPS keystore " + file + " holds no private key, only certificates",
                "export the certificate chain together with its private key (openssl pkcs12 -export -inkey key.pem ...)");
    }

    private static X509Certificate leaf(KeyStore store, String alias, Path file) throws GeneralSecurityException {
        Certificate[] chain = store.getCertificateChain(alias);
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
            throw invalid("HTTPS keystore " + file + " has a private key without its X.509 certificate",
                    "export the certificate chain together with its private key");
        }
        return certificate;
    }

    private static void checkValidity(X509Certificate certificate, Path file, Instant now) {
        Date at = Date.from(now);
        if (at.after(certificate.getNotAfter())) {
            throw invalid("the HTTPS certificate in " + file + " (" + certificate.getSubjectX500Principal().getName()
                    + ") expired on " + certificate.getNotAfter().toInstant(),
                    "renew it (from the company CA, or certbot renew) and export a new keystore; browsers refuse an expired certificate");
        }
        if (at.before(certificate.getNotBefore())) {
            throw invalid("the HTTPS certificate in " + file + " (" + certificate.getSubjectX500Principal().getName()
                    + ") is not valid before " + certificate.getNotBefore().toInstant(),
                    "check this host's clock (timedatectl), or wait until the certificate becomes valid");
        }
    }

    private static CellarException invalid(String message, String hint) {
        return new CellarException(ErrorCode.CONFIG_INVALID, message, hint);
    }
}
