package dev.cellar.lifecycle.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pseudonyms are deterministic, fit the column's type and length, and keep unique columns unique. */
class PseudonymTest {
    private static final String HASH = "0123456789abcdef".repeat(4);

    private static ColumnFacts text(String name, boolean unique, boolean email, Integer max) {
        return new ColumnFacts(name, max == null ? "text" : "character varying(" + max + ")", 'S', false, max, unique, email);
    }

    @Test
    void aTextColumnGetsErasedAndTwelveHexOfTheHash() {
        Pseudonym.Expression e = Pseudonym.of("users", text("full_name", false, false, null), HASH, null);

        assertThat(e.sql()).isEqualTo("CAST(? AS text)");
        assertThat(e.parameters()).containsExactly("erased-0123456789ab");
    }

    @Test
    void anEmailColumnGetsAnAddressUnderTheReservedInvalidDomain() {
        Pseudonym.Expression e = Pseudonym.of("users", text("email", true, true, null), HASH, null);

        assertThat(e.parameters()).containsExactly("erased-0123456789ab@erased.invalid");
    }

    @Test
    void aUniqueColumnOfATableWithSeveralRowsOfTheSubjectGetsTheRowKeyAppended() {
        Pseudonym.Expression e = Pseudonym.of("contacts", text("email", true, true, null), HASH, "\"id\"::text");

        assertThat(e.sql()).isEqualTo("CAST(? || \"id\"::text || ? AS text)");
        assertThat(e.parameters()).containsExactly("erased-0123456789ab-", "@erased.invalid");
    }

    @Test
    void aLengthLimitIsRespected() {
        Pseudonym.Expression e = Pseudonym.of("users", text("nick", false, false, 10), HASH, null);

        assertThat(e.sql()).isEqualTo("CAST(left(?, 10) AS character varying(10))");
    }

    @Test
    void jsonBecomesAnObjectSayingItWasErased() {
        ColumnFacts json = new ColumnFacts("details", "jsonb", 'U', false, null, false, false);

        assertThat(Pseudonym.of("orders", json, HASH, null).parameters()).containsExactly("{\"erased\": \"erased-0123456789ab\"}");
    }

    @Test
    void aNullableColumnOfAnotherTypeIsNulledAndANotNullOneIsRefused() {
        ColumnFacts nullableIp = new ColumnFacts("ip", "inet", 'I', true, null, false, false);
        ColumnFacts requiredDate = new ColumnFacts("born", "date", 'D', false, null, false, false);

        assertThat(Pseudonym.of("t", nullableIp, HASH, null)).isEqualTo(new Pseudonym.Expression("NULL", List.of()));
        assertThatThrownBy(() -> Pseudonym.of("t", requiredDate, HASH, null)).isInstanceOf(CellarException.class)
                .hasMessageContaining("cannot pseudonymise column born of t");
    }
}
