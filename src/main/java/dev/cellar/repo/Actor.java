package dev.cellar.repo;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who is acting on the repository: OS user, host name and process id. */
public record Actor(String user, String host, long pid) {

    public static Actor current() {
        return new Actor(System.getProperty("user.name", "unknown"), hostName(), ProcessHandle.current().pid());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "unknown-host";
        }
    }

    @Override
    public String toString() {
        return user + "@" + host + " (pid " + pid + ")";
    }
}
