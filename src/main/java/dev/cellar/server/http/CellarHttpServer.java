package dev.cellar.server.http;

import dev.cellar.config.ConfigKey;
import dev.cellar.config.ListenAddress;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import io.javalin.Javalin;
import java.util.List;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * cellar server's one HTTP server: Javalin on Jetty, listening on {@code server.listen}, serving
 * whatever {@link HttpRoutes} it is given (monitoring now; the REST API and the dashboard later).
 * Closing it stops Jetty and frees the port.
 */
public final class CellarHttpServer implements AutoCloseable {
    /** Scrapes and health checks are few and short; a small pool keeps an idle server's memory low. */
    private static final int MAX_THREADS = 16;
    private static final int MIN_THREADS = 2;

    private final Javalin app;
    private final ListenAddress bound;

    private CellarHttpServer(Javalin app, ListenAddress bound) {
        this.app = app;
        this.bound = bound;
    }

    /**
     * Starts listening on {@code listen} with every route group added.
     *
     * @throws CellarException {@code CONFIG_INVALID} when the address cannot be bound (in use, not this host's)
     */
    public static CellarHttpServer start(ListenAddress listen, List<HttpRoutes> routes) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = listen.host();
            config.jetty.port = listen.port();
            QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
            pool.setName("cellar-http");
            config.jetty.threadPool = pool;
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
        return new CellarHttpServer(app, new ListenAddress(listen.host(), app.port()));
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
