package dev.cellar.sample;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in a single transaction on a connection in either auto-commit mode. */
final class Transactions {
    @FunctionalInterface
    interface Work {
        void run() throws SQLException;
    }

    private Transactions() {
    }

    /**
     * With auto-commit on, opens a transaction, commits it or rolls it back, and restores
     * auto-commit. With auto-commit off, the caller owns the transaction and this just runs the work.
     */
    static void inOne(Connection c, Work work) throws SQLException {
        if (!c.getAutoCommit()) {
            work.run();
            return;
        }
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
