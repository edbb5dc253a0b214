package dev.cellar.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.config.TlsMinVersion;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * s3.tls-min-version: the S3 client's sockets against a server that speaks TLS 1.2 at most: a
 * handshake with the 1.2 minimum succeeds, with 1.3 it is refused, and ca-bundle still decides trust.
 */
class S3TlsSocketsTest {
    @TempDir
    static Path folder;
    private static SSLServerSocket server;
    private static Thread acceptor;
    private static Path caPem;

    @BeforeAll
    static void startTls12OnlyServer() throws Exception {
        Path keystore = folder.resolve("server.p12");
        caPem = folder.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "s3", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=cellar tls test",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit"));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "s3", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", caPem.toString()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(new String[] {"TLSv1.2"});
        acceptor = Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                    accepted.startHandshake();
                } catch (Exception refusedOrClosed) {
                    // a refused handshake is what one test wants; the loop serves the next
                }
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        acceptor.join(5000);
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static Socket handshake(SSLConnectionSocketFactory factory) throws Exception {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        return factory.createLayeredSocket(plain, "127.0.0.1", server.getLocalPort(), null);
    }

    @Test
    void withTheDefaultMinimumATls12ServerIsReached() throws Exception {
        try (Socket socket = handshake(S3TlsSockets.factory(TlsMinVersion.TLS_1_2, CaBundleTrust.load(caPem).trustManagers()))) {
            assertThat(((SSLSocket) socket).getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void withTls13AsTheMinimumATls12ServerIsRefused() {
        assertThatThrownBy(() -> handshake(S3TlsSockets.factory(TlsMinVersion.TLS_1_3, CaBundleTrust.load(caPem).trustManagers())).close())
                .isInstanceOf(SSLException.class);
    }

    @Test
    void theCaBundleStillDecidesTrust() {
        assertThatThrownBy(() -> handshake(S3TlsSockets.factory(TlsMinVersion.TLS_1_2, null)).close())
                .isInstanceOf(SSLException.class).hasMessageContaining("PKIX");
    }
}
