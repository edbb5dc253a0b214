package dev.cellar.report;

import dev.cellar.repo.AuditRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The annual report's security assessment from what the repository itself holds: the cipher
 * every object is sealed with, the key slots, and who did what according to the audit trail
 * (with the verdict of its hash chain).
 */
public final class SecurityAssessment {
    static final String ENCRYPTION = "encryption on for every object kind";
    static final String KEYS = "key slots";
    static final String AUDIT = "audit trail: who did what";

    private SecurityAssessment() {
    }

    /** @param cipher the repository header's cipher; every chunk, manifest, WAL file, archive and report is sealed under it */
    static ReportCheck encryption(String cipher) {
        if (cipher == null || !cipher.startsWith("AES-256-GCM")) {
            return ReportCheck.judged(ENCRYPTION, "the repository's cipher is " + cipher,
                    List.of(new ReportFinding("cellar.json", "the repository header names the cipher " + cipher + ", not AES-256-GCM",
                            List.of("cellar.json"))), List.of());
        }
        return ReportCheck.judged(ENCRYPTION, "every object kind sealed with " + cipher, List.of(),
                List.of("cellar.json names " + cipher + "; chunks, manifests, WAL files, archives, erasure ledger and reports "
                        + "are sealed under keys derived from the repository's data key (docs/repository-format.md)"));
    }

    /** @param slots the objects under keys/ (each a passphrase or key file wrapping the data key) */
    static ReportCheck keySlots(List<String> slots) {
        if (slots.isEmpty()) {
            return ReportCheck.judged(KEYS, "no key slot found",
                    List.of(new ReportFinding("keys/", "the repository holds no key slot under keys/", List.of())), List.of());
        }
        return ReportCheck.judged(KEYS, slots.size() + " key slot(s)", List.of(), slots.stream().map(s -> "slot " + s).toList());
    }

    /**
     * @param chainProblems what breaks the audit trail's hash chain; empty when intact
     */
    static ReportCheck auditTrail(ReportPeriod period, List<AuditRecord> trail, List<String> chainProblems) {
        Map<String, long[]> byUserAndOperation = new TreeMap<>();
        for (AuditRecord record : trail) {
            if (!period.contains(record.time())) {
                continue;
            }
            long[] counts = byUserAndOperation.computeIfAbsent(record.user() + " " + record.operation(),
                    k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
            counts[0]++;
            counts[1] = Math.min(counts[1], record.sequence());
            counts[2] = Math.max(counts[2], record.sequence());
        }
        List<String> evidence = new ArrayList<>();
        byUserAndOperation.forEach((key, c) -> evidence.add(key + ": " + c[0] + " record(s), #" + c[1] + " to #" + c[2]));
        List<ReportFinding> failures = chainProblems.stream()
                .map(p -> new ReportFinding("audit trail", "the audit chain is broken: " + p, List.of())).toList();
        long records = byUserAndOperation.values().stream().mapToLong(c -> c[0]).sum();
        return ReportCheck.judged(AUDIT, records + " audit record(s) in " + period.label() + "; chain "
                + (chainProblems.isEmpty() ? "intact" : "broken"), failures, evidence);
    }

    static final String TLS = "TLS";
    static final String MFA = "web users with a second factor";

    /**
     * @param serverKeystore the server's PKCS#12 keystore (server.tls.keystore), or null when the server speaks plain HTTP
     */
    static ReportCheck tls(String serverKeystore) {
        if (serverKeystore == null) {
            return ReportCheck.judged(TLS, "the server has no TLS keystore", List.of(new ReportFinding("server.tls.keystore",
                    "server.tls.keystore is not set: the dashboard and REST API are served without TLS", List.of("configuration"))), List.of());
        }
        return ReportCheck.judged(TLS, "the server serves HTTPS", List.of(),
                List.of("server.tls.keystore = " + serverKeystore, "PostgreSQL connections: Cellar's configuration sets no TLS mode "
                        + "(libpq's defaults and the server's pg_hba.conf decide); not assessed"));
    }

    /** A user of the catalog as the assessment reads it. */
    public record WebUserFact(String name, String role, boolean secondFactorEnrolled, boolean disabled) {
    }

    /** @param users the catalog's web users, or null when no catalog is configured */
    static ReportCheck mfa(List<WebUserFact> users, String noCatalogReason) {
        if (users == null) {
            return new ReportCheck(MFA, CheckStatus.NOT_EVIDENCED, "not assessed: " + noCatalogReason, List.of(), List.of());
        }
        List<ReportFinding> failures = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        for (WebUserFact user : users) {
            if (user.disabled()) {
                evidence.add(user.name() + " (" + user.role() + "): disabled");
            } else if (user.secondFactorEnrolled()) {
                evidence.add(user.name() + " (" + user.role() + "): second factor enrolled");
            } else {
                failures.add(new ReportFinding(user.name(), "web user " + user.name() + " (" + user.role() + ") has no second factor enrolled",
                        List.of("catalog users table")));
            }
        }
        return ReportCheck.judged(MFA, (users.size() - failures.size()) + " of " + users.size() + " web user(s) with a second factor or disabled",
                failures, evidence);
    }
}
