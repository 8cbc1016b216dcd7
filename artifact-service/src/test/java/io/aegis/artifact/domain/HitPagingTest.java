package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.pipelines.HitValues;
import io.aegis.pipelines.PipelineDefinition.Column;
import io.aegis.pipelines.Pipelines;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    void aJobsColumnsTakeTheTypesRecordedWithItsHits() {
        JobHitColumns columns = new JobHitColumns(Pipelines.load(Optional.empty()));
        // an operator's pipeline: its own column, and a BLAST column name declared otherwise
        List<Column> own = columns.of("qseqid\tscore\tpident", "string\tinteger\tstring");
        assertThat(own).containsExactly(new Column("qseqid", "string"), new Column("score", "integer"),
                new Column("pident", "string"));
        assertThat(new HitValues(own).of("q1\t42\t99.5")).containsExactly(
                Map.entry("qseqid", "q1"), Map.entry("score", 42L), Map.entry("pident", "99.5"));
    }

    @Test
    void hitsWithoutRecordedTypesAreTypedAsTheBuiltInPipelinesDeclareTheirColumns() {
        JobHitColumns columns = new JobHitColumns(Pipelines.load(Optional.empty()));
        assertThat(columns.of("qseqid\tscore\tpident", null)).containsExactly(new Column("qseqid", "string"),
                new Column("score", null), new Column("pident", "number"));
        assertThat(columns.of("qseqid\tpident", "string")).as("types that do not fit the columns are not used")
                .containsExactly(new Column("qseqid", "string"), new Column("pident", "number"));
        assertThat(columns.of(null, null)).extracting(Column::name).startsWith("qseqid", "sseqid", "pident", "length");
    }
}
