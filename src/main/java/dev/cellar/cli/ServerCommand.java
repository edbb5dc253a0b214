package dev.cellar.cli;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.server.daemon.CellarServer;
import dev.cellar.server.run.RetryPolicy;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "server", description = {"Run Cellar as a daemon: the schedules of cellar.yaml (schedule.*, databases:), the catalog "
        + "(backup_log, backup_monitoring), alerts (e-mail, webhooks) and /metrics + /health for Prometheus and systemd.",
        "Several servers on one catalog (catalog.url) share the work: each scheduled run happens once, on one of them; a run whose "
                + "server dies is retried by another. SIGTERM lets the runs going on finish (up to --shutdown-grace) and records "
                + "the rest as interrupted. See docs/server.md."},
        footer = {"", "Examples:",
                "  cellar server -c /etc/cellar/cellar.yaml",
                "  cellar server --node db-backup-2          # a second node on the same catalog.url",
                "  cellar schedule list                      # what it will run, and when",
                "  cellar status                             # what it has done"})
final class ServerCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $CELLAR_CONFIG, then ./cellar.yaml).")
    Path config;

    @Option(names = "--node", paramLabel = "NAME", description = "This server's name among the servers on one catalog "
            + "(default: the host name).")
    String node;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", defaultValue = "300",
            description = "On SIGTERM, how long the runs going on may take to finish before they are stopped and recorded as "
                    + "interrupted (default: ${DEFAULT-VALUE}; give systemd's TimeoutStopSec more than this).")
    int shutdownGraceSeconds;

    @Option(names = "--lease", paramLabel = "SECONDS", defaultValue = "60",
            description = "A run whose server sent no heartbeat for this long is taken for abandoned and retried by another "
                    + "server (default: ${DEFAULT-VALUE}).")
    int leaseSeconds;

    @Option(names = "--observe-every", paramLabel = "SECONDS", defaultValue = "30",
            description = "How often the catalog, alerts and metrics are brought up to date (default: ${DEFAULT-VALUE}; also "
                    + "after every run).")
    int observeSeconds;

    @Option(names = "--no-http", description = "Serve neither /metrics nor /health (server.listen is then unused).")
    boolean noHttp;

    @Override
    public Integer call() throws InterruptedException {
        if (shutdownGraceSeconds < 0 || leaseSeconds < 5 || observeSeconds < 1) {
            throw new CellarException(ErrorCode.USAGE, "--shutdown-grace must be >= 0, --lease >= 5 and --observe-every >= 1",
                    "the defaults suit most sites: cellar server -c /etc/cellar/cellar.yaml");
        }
        CellarConfig cellarConfig = ConfigLoader.load(config, System.getenv(), Map.of());
        CellarServer.Options options = new CellarServer.Options(node != null ? node : hostName(), Duration.ofSeconds(1),
                Duration.ofSeconds(observeSeconds), Duration.ofSeconds(shutdownGraceSeconds),
                new RetryPolicy(Duration.ofSeconds(leaseSeconds), RetryPolicy.DEFAULT.maxAttempts()), !noHttp);
        CellarServer server = CellarServer.start(cellarConfig, options, System.out);
        Thread stopOnSignal = new Thread(server::close, "cellar-server-stop");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        server.awaitStop();
        return 0;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "cellar";
        }
    }
}
