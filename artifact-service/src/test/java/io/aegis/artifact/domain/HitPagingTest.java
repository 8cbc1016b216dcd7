package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HitPagingTest {

    @Test
    void sortsAreNamedByTheirColumnAndEvalueIsTheDefault() {
        assertThat(HitSort.named(null)).contains(HitSort.EVALUE);
        assertThat(HitSort.named("")).contains(HitSort.EVALUE);
        assertThat(HitSort.named("BitScore")).contains(HitSort.BITSCORE);
        assertThat(HitSort.named("identity")).contains(HitSort.IDENTITY);
        assertThat(HitSort.named("pident")).isEmpty();
        assertThat(HitSort.named("evalue; drop table hit")).isEmpty();
    }

    @Test
    void aCursorCarriesItsKeyExactly() {
        for (double key : new double[] {0.0, -0.0, 1e-180, 2.5e-308, 4.9e-324, 99.123456789, 1e300}) {
            HitCursor cursor = new HitCursor(HitSort.EVALUE, key, 123_456_789L);
            String text = cursor.encode();
            assertThat(text).matches("[A-Za-z0-9_-]+");
            assertThat(HitCursor.decode(text, HitSort.EVALUE)).contains(cursor);
        }
    }

    @Test
    void aCursorOfAnotherSortOrNoCursorAtAllIsRefused() {
        String bitscore = new HitCursor(HitSort.BITSCORE, 50, 3).encode();
        assertThat(HitCursor.decode(bitscore, HitSort.EVALUE)).isEmpty();
        for (String garbage : new String[] {"", "!!", "bm90IGEgY3Vyc29y", "ZXZhbHVlOjE6", "ZXZhbHVlOnp6OjE",
                "ZXZhbHVlOjdmZjgwMDAwMDAwMDAwMDA6MQ", "ZXZhbHVlOjA6LTE"}) {
            assertThat(HitCursor.decode(garbage, HitSort.EVALUE)).as(garbage).isEmpty();
        }
    }

    @Test
    void valuesAreTypedAsTheColumnsAreDeclared() {
        HitValues values = new HitValues(List.of("qseqid", "sseqid", "pident", "length", "evalue", "extra"),
                Map.of("qseqid", "string", "sseqid", "string", "pident", "number", "length", "integer", "evalue", "number"));
        assertThat(values.of("q1\t007\t99.5\t50\t1e-30\t42")).containsExactly(
                Map.entry("qseqid", "q1"), Map.entry("sseqid", "007"), Map.entry("pident", 99.5),
                Map.entry("length", 50L), Map.entry("evalue", 1e-30), Map.entry("extra", "42"));
        assertThat(values.of("q1\ts1\tn/a\t5.5\tInfinity")).containsExactly(
                Map.entry("qseqid", "q1"), Map.entry("sseqid", "s1"), Map.entry("pident", "n/a"),
                Map.entry("length", "5.5"), Map.entry("evalue", "Infinity"));
    }
}
