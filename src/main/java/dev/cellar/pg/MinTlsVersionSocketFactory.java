package dev.cellar.pg;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Properties;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.postgresql.ssl.LibPQFactory;
import org.postgresql.util.PSQLException;

/**
 * pgjdbc's libpq-compatible TLS (sslmode, sslrootcert, sslcert, sslkey: all checks stay pgjdbc's)
 * with a lowest protocol version, which pgjdbc has no property for. pgjdbc builds one per
 * connection from the connection's properties ({@code sslfactory}), so the minimum is per
 * connection and the JVM's other TLS clients are untouched.
 */
public final class MinTlsVersionSocketFactory extends SSLSocketFactory {
    /** The connection property naming the lowest protocol, e.g. {@code TLSv1.3}. */
    public static final String MIN_VERSION_PROPERTY = "cellarTlsMinVersion";

    private final SSLSocketFactory libpq;
    private final String[] protocols;

    /** Called by pgjdbc with the connection's properties. */
    public MinTlsVersionSocketFactory(Properties info) throws PSQLException {
        this.libpq = new LibPQFactory(info);
        this.protocols = "TLSv1.3".equals(info.getProperty(MIN_VERSION_PROPERTY))
                ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"};
    }

    private Socket restrict(Socket socket) {
        ((SSLSocket) socket).setEnabledProtocols(protocols.clone());
        return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return libpq.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return libpq.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return restrict(libpq.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return restrict(libpq.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return restrict(libpq.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return restrict(libpq.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return restrict(libpq.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return restrict(libpq.createSocket(address, port, localAddress, localPort));
    }
}
