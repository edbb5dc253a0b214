package dev.cellar.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Where cellar server's HTTP endpoints listen: a host (name, IPv4 address, or IPv6 address in
 * brackets) and a port; port 0 takes any free port, which only tests want.
 */
public record ListenAddress(String host, int port) {
    public ListenAddress {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 0..65535");
        }
    }

    /** Reads {@code host:port} or {@code [v6]:port}; empty when the text is not of that form. */
    public static Optional<ListenAddress> parse(String text) {
        String value = text.strip();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            return Optional.empty();
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            return host.isEmpty() || port < 0 || port > 65535 ? Optional.empty() : Optional.of(new ListenAddress(host, port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
