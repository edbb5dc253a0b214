package dev.cellar.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.pg.ArchiveToc;
import dev.cellar.pg.ArchiveToc.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Plans of table restores over tables of contents shaped as pg_dump 15 writes them (dump ids,
 * kinds, tags and dependencies as read from a real archive of a ledger database: accounts,
 * invoices, entries partitioned by year, views, a materialized view, a publication).
 */
class TocFilterTest {
    private static final List<Entry> LEDGER = List.of(
            entry(6, "SCHEMA", "", "Ledger"),
            entry(7, "SCHEMA", "", "reporting"),
            entry(3457, "ACL", "", "SCHEMA \"Ledger\"", 6),
            entry(230, "FUNCTION", "Ledger", "touch_updated_at()", 6),
            entry(218, "TABLE", "Ledger", "Account", 6),
            entry(3459, "COMMENT", "Ledger", "TABLE \"Account\"", 218),
            entry(3461, "COMMENT", "Ledger", "CONSTRAINT \"CreditLimit_not_negative\" ON \"Account\"", 218),
            entry(3462, "ACL", "Ledger", "TABLE \"Account\"", 218),
            entry(3463, "ACL", "Ledger", "COLUMN \"Account\".\"AccountId\"", 218, 3462),
            entry(216, "SEQUENCE", "Ledger", "Account_AccountId_seq", 218, 6),
            entry(217, "SEQUENCE", "Ledger", "Account_legacy_no_seq", 6, 218),
            entry(3466, "SEQUENCE OWNED BY", "Ledger", "Account_legacy_no_seq", 217),
            entry(226, "VIEW", "Ledger", "ActiveAccounts", 218, 218, 6),
            entry(3467, "ACL", "Ledger", "TABLE \"ActiveAccounts\"", 226),
            entry(222, "TABLE", "Ledger", "Entry", 6),
            entry(224, "TABLE", "Ledger", "Entry_2026", 222, 6),
            entry(3469, "COMMENT", "Ledger", "TABLE \"Entry_2026\"", 224),
            entry(220, "TABLE", "Ledger", "Invoice", 6),
            entry(227, "VIEW", "reporting", "Account Balances", 218, 222, 7),
            entry(228, "VIEW", "reporting", "overdrawn", 227, 7),
            entry(229, "MATERIALIZED VIEW", "reporting", "tenant_totals", 218, 7),
            entry(3475, "COMMENT", "reporting", "MATERIALIZED VIEW tenant_totals", 229),
            entry(3242, "TABLE ATTACH", "Ledger", "Entry_2026", 224, 222),
            entry(3246, "DEFAULT", "Ledger", "Account legacy_no", 218, 217, 218),
            entry(3443, "TABLE DATA", "Ledger", "Account", 218),
            entry(3448, "TABLE DATA", "Ledger", "Entry_2026", 224),
            entry(3445, "TABLE DATA", "Ledger", "Invoice", 220),
            entry(3477, "SEQUENCE SET", "Ledger", "Account_AccountId_seq", 216),
            entry(3478, "SEQUENCE SET", "Ledger", "Account_legacy_no_seq", 217),
            entry(3254, "CONSTRAINT", "Ledger", "Account Account_pkey", 218),
            entry(3260, "CONSTRAINT", "Ledger", "Entry Entry_pkey", 222, 222),
            entry(3266, "CONSTRAINT", "Ledger", "Entry_2026 Entry_2026_pkey", 3260, 224, 224),
            entry(3252, "INDEX", "Ledger", "Account_lower_DisplayName_idx", 218, 218),
            entry(3270, "INDEX", "reporting", "tenant_totals_tenant_key", 229),
            entry(3274, "INDEX ATTACH", "Ledger", "Entry_2026_pkey", 3266, 224, 3260, 222),
            entry(3277, "STATISTICS", "Ledger", "Account_Tenant_Status_stats", 218, 218, 6),
            entry(3281, "TRIGGER", "Ledger", "Account Account_touch", 218, 230),
            entry(3282, "TRIGGER", "Ledger", "ActiveAccounts ActiveAccounts_rename", 226),
            entry(3279, "FK CONSTRAINT", "Ledger", "Entry Entry_Account_fk", 222, 218, 3254),
            entry(3278, "FK CONSTRAINT", "Ledger", "Invoice Invoice_Account_fk", 218, 3254, 220),
            entry(3429, "ROW SECURITY", "Ledger", "Account", 218),
            entry(3432, "ROW SECURITY", "Ledger", "Entry_2026", 224),
            entry(3433, "POLICY", "Ledger", "Account tenant_isolation", 218, 218),
            entry(3435, "POLICY", "Ledger", "Invoice invoice_tenant", 218, 220, 220, 218),
            entry(3437, "POLICY", "Ledger", "Entry_2026 small amounts only", 224, 224, 224),
            entry(3438, "PUBLICATION", "", "ledger_changes"),
            entry(3439, "PUBLICATION TABLE", "Ledger", "ledger_changes Account", 218, 3438),
            entry(3450, "MATERIALIZED VIEW DATA", "reporting", "tenant_totals", 229, 3452));

    private static final ArchiveToc BACKUP = new ArchiveToc(LEDGER);

    private static final List<String> ACCOUNT_OWN = List.of("TABLE Ledger.Account", "COMMENT on TABLE \"Account\" in schema Ledger",
            "COMMENT on CONSTRAINT \"CreditLimit_not_negative\" ON \"Account\" in schema Ledger", "ACL on TABLE \"Account\" in schema Ledger",
            "ACL on COLUMN \"Account\".\"AccountId\" in schema Ledger", "SEQUENCE Ledger.Account_AccountId_seq",
            "SEQUENCE Ledger.Account_legacy_no_seq", "SEQUENCE OWNED BY Ledger.Account_legacy_no_seq", "DEFAULT Ledger.Account legacy_no",
            "TABLE DATA Ledger.Account", "SEQUENCE SET Ledger.Account_AccountId_seq", "SEQUENCE SET Ledger.Account_legacy_no_seq",
            "CONSTRAINT Ledger.Account Account_pkey", "INDEX Ledger.Account_lower_DisplayName_idx",
            "STATISTICS Ledger.Account_Tenant_Status_stats", "TRIGGER Ledger.Account Account_touch", "ROW SECURITY Ledger.Account",
            "POLICY Ledger.Account tenant_isolation", "PUBLICATION TABLE Ledger.ledger_changes Account");

    private static final List<String> ACCOUNT_DEPENDENTS = List.of("VIEW Ledger.ActiveAccounts",
            "ACL on TABLE \"ActiveAccounts\" in schema Ledger", "VIEW reporting.Account Balances", "VIEW reporting.overdrawn",
            "MATERIALIZED VIEW reporting.tenant_totals", "COMMENT on MATERIALIZED VIEW tenant_totals in schema reporting",
            "INDEX reporting.tenant_totals_tenant_key", "TRIGGER Ledger.ActiveAccounts ActiveAccounts_rename",
            "FK CONSTRAINT Ledger.Entry Entry_Account_fk", "FK CONSTRAINT Ledger.Invoice Invoice_Account_fk",
            "POLICY Ledger.Invoice invoice_tenant", "MATERIALIZED VIEW DATA reporting.tenant_totals");

    @Test
    void tableComesBackWithEverythingThatBelongsToItIncludingRowSecurityAndPublicationMembership() {
        // the target lost the table and, with DROP ... CASCADE, everything built on it
        ArchiveToc live = liveWithout(e -> isIn(e, ACCOUNT_OWN) || isIn(e, ACCOUNT_DEPENDENTS));

        TableRestorePlan plan = TocFilter.plan(BACKUP, live, List.of("Ledger.Account"), false);

        assertThat(described(plan.entries())).containsExactlyInAnyOrderElementsOf(concat(ACCOUNT_OWN, ACCOUNT_DEPENDENTS));
        assertThat(plan.entries()).isSortedAccordingTo((a, b) -> Integer.compare(LEDGER.indexOf(a), LEDGER.indexOf(b)));
        assertThat(plan.conflicts()).isEmpty();
        assertThat(plan.recreated()).isEmpty();
        assertThat(plan.added()).contains("MATERIALIZED VIEW reporting.tenant_totals", "INDEX reporting.tenant_totals_tenant_key",
                "VIEW reporting.overdrawn", "POLICY Ledger.Invoice invoice_tenant").doesNotContain("TABLE Ledger.Account");
        assertThat(plan.listFile()).first().isEqualTo("218; 1259 16218 TABLE Ledger Account owner");
    }

    @Test
    void dependentsThatEqualTheBackupsAreRecreatedAndTheTablesOwnEntriesAreNotCompared() {
        // the live table has drifted (its own entries differ), its dependents have not
        List<Entry> drifted = new ArrayList<>();
        for (Entry e : LEDGER) {
            drifted.add(isIn(e, ACCOUNT_OWN) ? withDefinition(e, "changed since the backup") : e);
        }

        TableRestorePlan plan = TocFilter.plan(BACKUP, new ArchiveToc(drifted), List.of("Ledger.Account"), false);

        assertThat(plan.conflicts()).isEmpty();
        assertThat(described(plan.entries())).containsExactlyInAnyOrderElementsOf(concat(ACCOUNT_OWN, ACCOUNT_DEPENDENTS));
        assertThat(plan.recreated()).containsExactly("VIEW Ledger.ActiveAccounts", "VIEW reporting.Account Balances",
                "VIEW reporting.overdrawn", "MATERIALIZED VIEW reporting.tenant_totals", "INDEX reporting.tenant_totals_tenant_key",
                "TRIGGER Ledger.ActiveAccounts ActiveAccounts_rename", "FK CONSTRAINT Ledger.Entry Entry_Account_fk",
                "FK CONSTRAINT Ledger.Invoice Invoice_Account_fk", "POLICY Ledger.Invoice invoice_tenant");
        assertThat(plan.added()).isEmpty();
    }

    @Test
    void dependentChangedSinceTheBackupIsAConflict() {
        List<Entry> live = new ArrayList<>(LEDGER);
        live.replaceAll(e -> e.dumpId() == 226 ? withDefinition(e, "CREATE VIEW ... with one more column") : e);

        TableRestorePlan plan = TocFilter.plan(BACKUP, new ArchiveToc(live), List.of("Ledger.Account"), false);

        assertThat(plan.conflicts()).singleElement().asString().startsWith("VIEW Ledger.ActiveAccounts: differs");
        assertThatThrownBy(() -> plan.requireNoConflicts(List.of("Ledger.Account"), "ledger"))
                .hasMessageContaining("nothing was changed").hasMessageContaining("VIEW Ledger.ActiveAccounts");
    }

    @Test
    void dependentOwnedBySomeoneElseNowIsAConflict() {
        List<Entry> live = new ArrayList<>(LEDGER);
        live.replaceAll(e -> e.dumpId() == 229 ? new Entry(e.dumpId(), e.catalogTable(), e.catalogOid(), e.desc(), e.namespace(), e.tag(),
                "someone_else", e.definition(), e.dependencies()) : e);

        TableRestorePlan plan = TocFilter.plan(BACKUP, new ArchiveToc(live), List.of("Ledger.Account"), false);

        assertThat(plan.conflicts()).singleElement().asString().startsWith("MATERIALIZED VIEW reporting.tenant_totals: differs");
    }

    @Test
    void dependentCreatedAfterTheBackupIsAConflict() {
        List<Entry> live = new ArrayList<>(LEDGER);
        live.add(entry(9001, "VIEW", "reporting", "new_report", 218));
        live.add(entry(9002, "ACL", "reporting", "TABLE new_report", 9001));

        TableRestorePlan plan = TocFilter.plan(BACKUP, new ArchiveToc(live), List.of("Ledger.Account"), false);

        assertThat(plan.conflicts()).hasSize(2).first().asString()
                .isEqualTo("VIEW reporting.new_report: depends on the table but is not in the backup (created after it?), and restoring would drop it");
    }

    @Test
    void tableInheritingFromTheRestoredOneIsAConflictWhenPresentAndLeftOutWhenMissing() {
        List<Entry> withChild = new ArrayList<>(LEDGER);
        withChild.add(entry(9010, "TABLE", "Ledger", "AccountArchive", 218, 6));
        withChild.add(entry(9011, "TABLE DATA", "Ledger", "AccountArchive", 9010));
        ArchiveToc backup = new ArchiveToc(withChild);

        TableRestorePlan childPresent = TocFilter.plan(backup, backup, List.of("Ledger.Account"), false);
        TableRestorePlan childMissing = TocFilter.plan(backup, new ArchiveToc(LEDGER), List.of("Ledger.Account"), false);

        assertThat(childPresent.conflicts()).anyMatch(c -> c.startsWith("TABLE Ledger.AccountArchive: depends on the table and holds data"));
        assertThat(childMissing.conflicts()).isEmpty();
        assertThat(described(childMissing.entries())).doesNotContain("TABLE Ledger.AccountArchive", "TABLE DATA Ledger.AccountArchive");
        assertThat(childMissing.leftOut()).anyMatch(reason -> reason.startsWith("TABLE Ledger.AccountArchive"));
    }

    @Test
    void noOwnerRefusesToRecreateDependentsButNotToAddMissingOnes() {
        TableRestorePlan present = TocFilter.plan(BACKUP, BACKUP, List.of("Ledger.Account"), true);
        TableRestorePlan dropped = TocFilter.plan(BACKUP, liveWithout(e -> isIn(e, ACCOUNT_OWN) || isIn(e, ACCOUNT_DEPENDENTS)),
                List.of("Ledger.Account"), true);

        assertThat(present.conflicts()).anyMatch(c -> c.startsWith("VIEW Ledger.ActiveAccounts: would be re-created without its owner"));
        assertThat(dropped.conflicts()).isEmpty();
    }

    @Test
    void intoAnEmptyDatabaseTheSchemaComesAlongAndWhatPointsOutsideIsLeftOut() {
        TableRestorePlan plan = TocFilter.plan(BACKUP, ArchiveToc.empty(), List.of("Ledger.Account"), false);

        assertThat(described(plan.entries())).contains("SCHEMA Ledger", "ACL on SCHEMA \"Ledger\"",
                "TABLE Ledger.Account", "ROW SECURITY Ledger.Account", "MATERIALIZED VIEW reporting.tenant_totals", "SCHEMA reporting");
        assertThat(plan.leftOut()).anyMatch(r -> r.startsWith("PUBLICATION TABLE Ledger.ledger_changes Account: needs PUBLICATION ledger_changes"))
                .anyMatch(r -> r.startsWith("VIEW reporting.Account Balances: needs TABLE Ledger.Entry"))
                .anyMatch(r -> r.startsWith("VIEW reporting.overdrawn: needs VIEW reporting.Account Balances"))
                .anyMatch(r -> r.startsWith("FK CONSTRAINT Ledger.Invoice Invoice_Account_fk"));
        assertThat(described(plan.entries())).doesNotContain("PUBLICATION TABLE Ledger.ledger_changes Account", "VIEW reporting.overdrawn",
                "FK CONSTRAINT Ledger.Invoice Invoice_Account_fk", "POLICY Ledger.Invoice invoice_tenant");
        // the table's own trigger needs a function the target lacks: kept, so that pg_restore names it and nothing is half done
        assertThat(described(plan.entries())).contains("TRIGGER Ledger.Account Account_touch");
        assertThat(plan.foreignKeysLeftOut()).isEmpty();
    }

    @Test
    void ownForeignKeyToATableMissingFromTheTargetIsLeftOutAndReported() {
        ArchiveToc live = liveWithout(e -> e.namespace().equals("Ledger") && e.tag().startsWith("Account")
                || e.dumpId() == 3279 || e.dumpId() == 3278 || isIn(e, ACCOUNT_DEPENDENTS) || e.tag().startsWith("Entry"));

        TableRestorePlan plan = TocFilter.plan(BACKUP, live, List.of("Ledger.Entry", "Ledger.Entry_2026"), false);

        assertThat(plan.foreignKeysLeftOut()).containsExactly("Ledger.Entry Entry_Account_fk");
        assertThat(described(plan.entries())).contains("TABLE Ledger.Entry", "TABLE Ledger.Entry_2026", "TABLE ATTACH Ledger.Entry_2026",
                "INDEX ATTACH Ledger.Entry_2026_pkey", "ROW SECURITY Ledger.Entry_2026", "POLICY Ledger.Entry_2026 small amounts only",
                "COMMENT on TABLE \"Entry_2026\" in schema Ledger").doesNotContain("FK CONSTRAINT Ledger.Entry Entry_Account_fk");
    }

    @Test
    void partitionRestoredAloneIsAttachedToItsLiveParentWithItsRowSecurity() {
        ArchiveToc live = liveWithout(e -> e.tag().startsWith("Entry_2026") || e.tag().equals("TABLE \"Entry_2026\""));

        TableRestorePlan plan = TocFilter.plan(BACKUP, live, List.of("Ledger.Entry_2026"), false);

        // attached last, so that ATTACH PARTITION adopts the partition's primary key instead of adding a second one
        assertThat(described(plan.entries())).containsExactly("TABLE Ledger.Entry_2026", "COMMENT on TABLE \"Entry_2026\" in schema Ledger",
                "TABLE DATA Ledger.Entry_2026", "CONSTRAINT Ledger.Entry_2026 Entry_2026_pkey", "ROW SECURITY Ledger.Entry_2026",
                "POLICY Ledger.Entry_2026 small amounts only", "TABLE ATTACH Ledger.Entry_2026", "INDEX ATTACH Ledger.Entry_2026_pkey");
        assertThat(described(plan.tableParts())).doesNotContain("TABLE Ledger.Entry_2026").contains("CONSTRAINT Ledger.Entry_2026 Entry_2026_pkey");
        assertThat(plan.conflicts()).isEmpty();
    }

    @Test
    void tableOfTheSameNameInAnotherSchemaIsNotSelected() {
        List<Entry> toc = new ArrayList<>(LEDGER);
        toc.add(entry(9020, "TABLE", "archive", "Account"));
        toc.add(entry(9021, "TABLE DATA", "archive", "Account", 9020));

        TableRestorePlan plan = TocFilter.plan(new ArchiveToc(toc), new ArchiveToc(LEDGER), List.of("archive.Account"), false);

        assertThat(described(plan.entries())).containsExactly("TABLE archive.Account", "TABLE DATA archive.Account");
    }

    @Test
    void unknownTableIsRefused() {
        assertThatThrownBy(() -> TocFilter.plan(BACKUP, BACKUP, List.of("Ledger.Nope"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ledger.Nope");
    }

    private static Entry entry(int dumpId, String desc, String namespace, String tag, Integer... dependencies) {
        return new Entry(dumpId, "1259", Integer.toString(16000 + dumpId), desc, namespace, tag, "owner", "-- definition of " + dumpId,
                Arrays.asList(dependencies));
    }

    private static Entry withDefinition(Entry e, String definition) {
        return new Entry(e.dumpId(), e.catalogTable(), e.catalogOid(), e.desc(), e.namespace(), e.tag(), e.owner(), definition, e.dependencies());
    }

    private static ArchiveToc liveWithout(Predicate<Entry> dropped) {
        return new ArchiveToc(LEDGER.stream().filter(dropped.negate()).toList());
    }

    private static boolean isIn(Entry e, List<String> descriptions) {
        return descriptions.contains(e.describe());
    }

    private static List<String> described(List<Entry> entries) {
        return entries.stream().map(Entry::describe).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
