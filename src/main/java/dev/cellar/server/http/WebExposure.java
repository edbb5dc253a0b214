package dev.cellar.server.http;

import dev.cellar.config.ConfigKey;
import dev.cellar.config.ListenAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether cellar server may serve the dashboard and the REST API, and over what: their session
 * cookies and passwords must never cross a network in clear, so without a certificate they are
 * served only on a loopback address, and only when the operator asked for it. Monitoring
 * ({@code /metrics}, {@code /health}) is served either way.
 *
 * @param servesWeb whether the dashboard and the REST API are served
 * @param https     whether the server speaks HTTPS (then for every route, monitoring included)
 * @param reason    one line for the server's log: what is served, and when the dashboard is off, which key turns it on
 */
public record WebExposure(boolean servesWeb, boolean https, String reason) {
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    /**
     * @param keystoreSet         whether {@code server.tls.keystore} is configured
     * @param listen              {@code server.listen}
     * @param allowHttpOnLoopback {@code web.allow-http-on-loopback}
     */
    public static WebExposure decide(boolean keystoreSet, ListenAddress listen, boolean allowHttpOnLoopback) {
        if (keystoreSet) {
            return new WebExposure(true, true, "serving the dashboard and the REST API over HTTPS on " + listen);
        }
        boolean loopback = isLoopback(listen.host());
        if (loopback && allowHttpOnLoopback) {
            return new WebExposure(true, false, "serving the dashboard and the REST API over plain HTTP on loopback address " + listen
                    + " (" + ConfigKey.WEB_ALLOW_HTTP_ON_LOOPBACK.dotted() + " is true)");
        }
        String turnOn = "set " + ConfigKey.SERVER_TLS_KEYSTORE.withEnv() + " to serve them over HTTPS";
        if (loopback) {
            return new WebExposure(false, false, "the dashboard and the REST API are off: no certificate is configured; " + turnOn
                    + ", or " + ConfigKey.WEB_ALLOW_HTTP_ON_LOOPBACK.dotted() + ": true to serve them over plain HTTP on " + listen);
        }
        return new WebExposure(false, false, "the dashboard and the REST API are off: no certificate is configured and " + listen
                + " is not a loopback address, so they would cross the network in clear; " + turnOn
                + (allowHttpOnLoopback ? " (" + ConfigKey.WEB_ALLOW_HTTP_ON_LOOPBACK.dotted() + " applies to a loopback "
                        + ConfigKey.SERVER_LISTEN.dotted() + " only)" : ""));
    }

    /**
     * Whether {@code host} names this machine's loopback interface, decided from the text alone:
     * {@code localhost}, {@code 127.0.0.0/8} and {@code ::1}. Any other name counts as not
     * loopback, since what it resolves to can change after the decision.
     */
    public static boolean isLoopback(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches() || isIpv6Loopback(h);
    }

    private static boolean isIpv6Loopback(String h) {
        if (!h.contains(":") || !h.matches("[0-9a-f:]+")) {
            return false;
        }
        // ::1 in any spelling: every group zero but a last group of one
        String[] halves = h.split("::", -1);
        if (halves.length > 2) {
            return false;
        }
        List<String> groups = new ArrayList<>();
        for (String half : halves) {
            if (!half.isEmpty()) {
                groups.addAll(List.of(half.split(":", -1)));
            }
        }
        if (halves.length == 1 && groups.size() != 8 || groups.size() > 8 || groups.isEmpty()) {
            return false;
        }
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            if (group.isEmpty() || group.length() > 4) {
                return false;
            }
            int value = Integer.parseInt(group, 16);
            if (value != (i == groups.size() - 1 ? 1 : 0)) {
                return false;
            }
        }
        return true;
    }
}
