package dev.cellar.storage.s3;

import dev.cellar.config.TlsMinVersion;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;

/**
 * The TLS sockets of the S3 client: only the protocols at or above s3.tls-min-version, the
 * certificate checked against the trusted roots (the JDK's, plus ca-bundle's) and the host name
 * checked as the SDK does.
 */
final class S3TlsSockets {
    private S3TlsSockets() {
    }

    /** @param trust the trust managers; null for the JDK's default roots */
    static SSLConnectionSocketFactory factory(TlsMinVersion minVersion, TrustManager[] trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            return new SSLConnectionSocketFactory(context, minVersion.protocols().toArray(String[]::new), null,
                    new DefaultHostnameVerifier());
        } catch (GeneralSecurityException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot set up TLS for S3: " + e.getMessage(),
                    "check s3.tls-min-version and s3.ca-bundle", e);
        }
    }
}
