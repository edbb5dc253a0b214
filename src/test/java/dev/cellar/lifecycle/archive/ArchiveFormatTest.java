package dev.cellar.lifecycle.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.lifecycle.TableName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchiveFormatTest {

    @Test
    void theManifestReadsBackEqualFromItsJson() {
        ArchiveManifest manifest = new ArchiveManifest(ArchiveManifest.FORMAT, "shop", "monthly", "2026-10", "2026-11-01T04:00:00Z", "monthly archive",
                "shop.yaml", new ArchiveManifest.Snapshot("2026-11-01T04:00:00.000000Z", "100:100:", "15.8"), "2036-11-01T00:00:00Z",
                "COMPLIANCE", true, new ArchiveManifest.ObjectDigest("archives/shop/monthly/2026-10/schema.sql", "ab", 10, 39),
                List.of(new ArchiveManifest.ArchivedTable("public.orders", "archives/shop/monthly/2026-10/tables/public.orders.csv.gz", 3, 2,
                        "cd", 120, 80, 109, List.of(new ArchiveManifest.Column("id", "bigint"), new ArchiveManifest.Column("status", "\"public\".\"order_status\"")))),
                Map.of("public.users", List.of("01", "ff")));
        byte[] json = ArchiveManifestJson.write(manifest);
        assertThat(ArchiveManifestJson.read(json, "m")).isEqualTo(manifest);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"format\" : \"cellar-archive/1\"").contains("\"lockedUntil\" : \"2036-11-01T00:00:00Z\"");
        assertThat(manifest.rows()).isEqualTo(3);
        assertThat(manifest.storedBytes()).isEqualTo(148);
    }

    @Test
    void aManifestOfAnotherFormatIsRefusedByName() {
        assertThatThrownBy(() -> ArchiveManifestJson.read("{\"format\":\"cellar-archive/9\"}".getBytes(StandardCharsets.UTF_8), "m"))
                .isInstanceOf(CellarException.class).hasMessageContaining("cellar-archive/9");
    }

    @Test
    void anyIdentifierMakesOnePathSegmentAndTheIdRoundTrips() {
        ArchiveLayout layout = new ArchiveLayout("my db", "retention", "run/7");
        assertThat(layout.id()).isEqualTo("my%20db/retention/run%2F7");
        assertThat(ArchiveLayout.ofId(layout.id())).isEqualTo(layout);
        assertThat(layout.tableKey(new TableName("Loyalty", "Stamp.ö"))).isEqualTo("archives/my%20db/retention/run%2F7/tables/Loyalty.Stamp%2E%C3%B6.csv.gz");
        assertThat(layout.manifestKey()).endsWith("/run%2F7/manifest.json");
    }

    @Test
    void recordsAreCountedOutsideQuotesSoANewlineInAFieldIsNotARow() {
        byte[] csv = "id,note\n1,\"two\nlines\"\n2,\"a \"\"quoted\"\" word\"\n3,\n".getBytes(StandardCharsets.UTF_8);
        assertThat(CsvDigest.of(csv).records()).isEqualTo(3);
        assertThat(CsvDigest.of("id,note\n".getBytes(StandardCharsets.UTF_8)).records()).isZero();
        assertThat(CsvDigest.of("id\n1".getBytes(StandardCharsets.UTF_8)).records()).isEqualTo(1);
        assertThat(CsvDigest.sha256Hex(new byte[0])).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
