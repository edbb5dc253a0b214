package dev.cellar.server.http;

import dev.cellar.app.NeverPrompt;
import dev.cellar.config.ConfigKey;
import dev.cellar.config.HttpsConfig;
import dev.cellar.config.ListenAddress;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * cellar server's one HTTP server: Javalin on Jetty, listening on {@code server.listen}, serving
 * whatever {@link HttpRoutes} it is given, over HTTPS only when it has a certificate. Closing it
 * stops Jetty and frees the port.
 */
public final class CellarHttpServer implements AutoCloseable {
    /** Scrapes and health checks are few and short; a small pool keeps an idle server's memory low. */
    private static final int MAX_THREADS = 16;
    private static final int MIN_THREADS = 2;
    /** TLS 1.0 and 1.1 are broken and refused by every current browser. */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final Javalin app;
    private final ListenAddress bound;
    private final boolean https;

    private CellarHttpServer(Javalin app, ListenAddress bound, boolean https) {
        this.app = app;
        this.bound = bound;
        this.https = https;
    }

    /**
     * Starts cellar server's endpoints as configured: monitoring always; the dashboard and the
     * REST API ({@code web}) only where {@link WebExposure} allows, with one line on {@code log}
     * saying why when it does not.
     *
     * @throws CellarException {@code CONFIG_INVALID} when the keystore cannot be used or the address cannot be bound
     */
    public static CellarHttpServer serve(ListenAddress listen, HttpsConfig httpsConfig, Map<String, String> env, Clock clock,
            List<HttpRoutes> monitoring, List<HttpRoutes> web, Consumer<String> log) {
        SSLContext tls = httpsConfig.enabled()
                ? TlsKeystore.open(httpsConfig.keystore(), httpsConfig.keystorePassword().resolve(new NeverPrompt(), env), clock)
                : null;
        WebExposure exposure = WebExposure.decide(tls != null, listen, httpsConfig.allowHttpOnLoopback());
        List<HttpRoutes> routes = new ArrayList<>(monitoring);
        if (exposure.servesWeb()) {
            routes.addAll(web);
        }
        CellarHttpServer server = start(listen, tls, routes);
        if (!web.isEmpty()) {
            log.accept(exposure.reason());
        }
        return server;
    }

    /** Starts listening on {@code listen} over plain HTTP with every route group added. */
    public static CellarHttpServer start(ListenAddress listen, List<HttpRoutes> routes) {
        return start(listen, null, routes);
    }

    /**
     * Starts listening on {@code listen} with every route group added: over HTTPS only (TLS 1.2
     * and 1.3) when {@code tls} is given, over plain HTTP when it is null.
     *
     * @throws CellarException {@code CONFIG_INVALID} when the address cannot be bound (in use, not this host's)
     */
    public static CellarHttpServer start(ListenAddress listen, SSLContext tls, List<HttpRoutes> routes) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = listen.host();
            config.jetty.port = listen.port();
            QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
            pool.setName("cellar-http");
            config.jetty.threadPool = pool;
            if (tls != null) {
                // the only connector: Javalin adds its plain one only when none is given
                config.jetty.addConnector((server, httpConfig) -> httpsConnector(server, httpConfig, tls, listen));
            }
            routes.forEach(group -> group.addTo(config.routes));
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            app.stop();
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot listen on " + listen + ": " + rootMessage(e),
                    "another process may hold the port (ss -ltnp | grep " + listen.port() + "), or the address is not this host's; set "
                            + ConfigKey.SERVER_LISTEN.withEnv() + " to a free host:port");
        }
        return new CellarHttpServer(app, new ListenAddress(listen.host(), app.port()), tls != null);
    }

    private static ServerConnector httpsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration httpConfig, SSLContext tls,
            ListenAddress listen) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls);
        ssl.setIncludeProtocols(PROTOCOLS);
        HttpConfiguration secure = new HttpConfiguration(httpConfig);
        secure.setSecureScheme("https");
        secure.setSecurePort(listen.port());
        // names and addresses on which the dashboard is reached vary (proxies, tunnels); the certificate check is the browser's
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        customizer.setSniHostCheck(false);
        secure.addCustomizer(customizer);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(secure));
        connector.setHost(listen.host());
        connector.setPort(listen.port());
        return connector;
    }

    /**
     * Whether {@code ctx} came over HTTPS: then cookies it sets must carry the {@code Secure} flag.
     * Behind no proxy of ours, the connection's own scheme is the truth (a forwarded header is not trusted).
     */
    public static boolean overHttps(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme());
    }

    /** Whether this server speaks HTTPS. */
    public boolean https() {
        return https;
    }

    /** The address it listens on, with the real port when port 0 was asked for. */
    public ListenAddress address() {
        return bound;
    }

    @Override
    public void close() {
        app.stop();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
