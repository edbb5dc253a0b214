package dev.cellar.verify;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.pg.SnapshotSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A database name reserved for one test restore, and dropped on close whatever happened in
 * between, so that a failed or interrupted test leaves nothing on the server.
 */
public final class ScratchDatabase implements AutoCloseable {
    public static final String PREFIX = "cellar_restore_test_";

    private final PgConnectionSpec server;
    private final String name;

    private ScratchDatabase(PgConnectionSpec server, String name) {
        this.server = server;
        this.name = name;
    }

    /**
     * Picks a random name no database on the server has yet, so that closing can never drop
     * someone else's database. The restore creates the database itself.
     *
     * @param server a maintenance connection to the server
     */
    public static ScratchDatabase reserve(PgConnectionSpec server, RandomGenerator random) {
        while (true) {
            byte[] suffix = new byte[4];
            random.nextBytes(suffix);
            String name = PREFIX + HexFormat.of().formatHex(suffix);
            if (!exists(server, name)) {
                return new ScratchDatabase(server, name);
            }
        }
    }

    public String name() {
        return name;
    }

    public PgConnectionSpec connection() {
        return server.withDatabase(name);
    }

    @Override
    public void close() {
        String drop = "DROP DATABASE IF EXISTS " + SnapshotSession.quoteIdentifier(name) + " WITH (FORCE)";
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute(drop);
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "cannot drop the scratch database " + name + " on "
                    + server.host() + ":" + server.port() + ": " + e.getMessage(), "drop it by hand: " + drop, e);
        }
    }

    private static boolean exists(PgConnectionSpec server, String name) {
        try (Connection c = server.connect(); PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw server.unreachable(e);
        }
    }
}
