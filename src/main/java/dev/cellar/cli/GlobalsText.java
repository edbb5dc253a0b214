package dev.cellar.cli;

import dev.cellar.restore.GlobalsReport;

/** The human lines about a restore's cluster-wide objects: roles created, database properties, what --no-owner skipped. */
final class GlobalsText {

    private GlobalsText() {
    }

    /** Lines to append to a restore's summary, each starting with a newline; empty when there is nothing to say. */
    static String of(GlobalsReport report) {
        StringBuilder text = new StringBuilder();
        if (!report.rolesCreated().isEmpty()) {
            text.append("\nroles created (").append(report.rolesCreated().size()).append("): ").append(String.join(", ", report.rolesCreated()));
        }
        if (!report.membershipsGranted().isEmpty()) {
            text.append("\nmemberships granted (role -> member): ").append(String.join(", ", report.membershipsGranted()));
        }
        if (!report.databaseProperties().isEmpty()) {
            text.append("\ndatabase owner, settings, ACL and comment:");
            report.databaseProperties().forEach(sql -> text.append("\n  ").append(sql));
        }
        if (!report.skippedByNoOwner().isEmpty()) {
            text.append("\nskipped by --no-owner (").append(report.skippedByNoOwner().size()).append(" ownerships and grants):");
            report.skippedByNoOwner().forEach(sql -> text.append("\n  ").append(sql));
        }
        report.notes().forEach(note -> text.append("\nnote: ").append(note));
        return text.toString();
    }
}
