package dev.cellar.storage.s3;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import software.amazon.awssdk.http.TlsTrustManagersProvider;

/**
 * Trusts a private CA's certificates (a PEM bundle) in addition to the JDK's own: an on-premise
 * MinIO or Ceph behind an internal CA works without touching the JVM's cacerts, and public
 * endpoints keep working.
 */
final class CaBundleTrust implements TlsTrustManagersProvider {
    private final X509TrustManager combined;

    private CaBundleTrust(X509TrustManager combined) {
        this.combined = combined;
    }

    static CaBundleTrust load(Path pemFile) {
        List<X509Certificate> certificates = readCertificates(pemFile);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("cellar-ca-" + i, certificates.get(i));
            }
            return new CaBundleTrust(new Either(trustManagerOf(null), trustManagerOf(store)));
        } catch (GeneralSecurityException | IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot build a trust store from ca-bundle " + pemFile + ": " + e.getMessage(),
                    "ca-bundle must be a PEM file of CA certificates", e);
        }
    }

    @Override
    public TrustManager[] trustManagers() {
        return new TrustManager[] {combined};
    }

    private static List<X509Certificate> readCertificates(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : read) {
                certificates.add((X509Certificate) c);
            }
            if (certificates.isEmpty()) {
                throw new CertificateException("no certificate found");
            }
            return certificates;
        } catch (IOException | CertificateException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot read ca-bundle " + pemFile + ": " + e.getMessage(),
                    "ca-bundle must name a readable PEM file holding one or more CA certificates", e);
        }
    }

    private static X509TrustManager trustManagerOf(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }

    /** Accepts a server chain that either trust manager accepts. */
    private record Either(X509TrustManager jdk, X509TrustManager bundle) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                jdk.checkClientTrusted(chain, authType);
            } catch (CertificateException e) {
                bundle.checkClientTrusted(chain, authType);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                jdk.checkServerTrusted(chain, authType);
            } catch (CertificateException notPublic) {
                try {
                    bundle.checkServerTrusted(chain, authType);
                } catch (CertificateException notPrivate) {
                    notPrivate.addSuppressed(notPublic);
                    throw notPrivate;
                }
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = jdk.getAcceptedIssuers();
            X509Certificate[] b = bundle.getAcceptedIssuers();
            X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}
