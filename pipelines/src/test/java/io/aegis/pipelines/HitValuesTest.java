package io.aegis.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.pipelines.PipelineDefinition.Column;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HitValuesTest {

    @Test
    void valuesAreTypedAsTheColumnsAreDeclared() {
        HitValues values = new HitValues(List.of(new Column("qseqid", "string"), new Column("sseqid", "string"),
                new Column("pident", "number"), new Column("length", "integer"), new Column("evalue", "number"),
                new Column("extra", null)));
        assertThat(values.of("q1\t007\t99.5\t50\t1e-30\t42")).containsExactly(
                Map.entry("qseqid", "q1"), Map.entry("sseqid", "007"), Map.entry("pident", 99.5),
                Map.entry("length", 50L), Map.entry("evalue", 1e-30), Map.entry("extra", "42"));
        assertThat(values.of("q1\ts1\tn/a\t5.5\tInfinity")).containsExactly(
                Map.entry("qseqid", "q1"), Map.entry("sseqid", "s1"), Map.entry("pident", "n/a"),
                Map.entry("length", "5.5"), Map.entry("evalue", "Infinity"));
        assertThat(values.names()).containsExactly("qseqid", "sseqid", "pident", "length", "evalue", "extra");
    }

    @Test
    void aDecimalThatIsNotFiniteStaysTheTextTheToolWrote() {
        Column score = new Column("score", "number");
        assertThat(HitValues.typed(score, "NaN")).isEqualTo("NaN");
        assertThat(HitValues.typed(score, "1e999")).isEqualTo("1e999");
        assertThat(HitValues.typed(score, "-Infinity")).isEqualTo("-Infinity");
        assertThat(HitValues.typed(score, "0")).isEqualTo(0.0);
        assertThat(HitValues.typed(score, "")).isEqualTo("");
    }

    @Test
    void aWholeNumberColumnTakesOnlyWholeNumbers() {
        Column length = new Column("length", "integer");
        assertThat(HitValues.typed(length, "-12")).isEqualTo(-12L);
        assertThat(HitValues.typed(length, "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(HitValues.typed(length, "9223372036854775808")).isEqualTo("9223372036854775808");
        assertThat(HitValues.typed(length, "1e3")).isEqualTo("1e3");
        assertThat(HitValues.typed(length, " 7")).isEqualTo(" 7");
    }

    @Test
    void aColumnDeclaredAnythingElseOrNothingIsAString() {
        assertThat(HitValues.type(new Column("flag", "boolean"))).isEqualTo(HitValues.STRING);
        assertThat(HitValues.type(new Column("note", null))).isEqualTo(HitValues.STRING);
        assertThat(HitValues.type(new Column("bitscore", "number"))).isEqualTo(HitValues.NUMBER);
        assertThat(HitValues.typed(new Column("flag", "boolean"), "12")).isEqualTo("12");
    }

    @Test
    void everyColumnBlastDeclaresHasATypeTheRuleKnows() {
        PipelineDefinition blast = Pipelines.load(Optional.empty()).find("blast").orElseThrow();
        assertThat(blast.columns()).allSatisfy(column -> assertThat(HitValues.type(column)).isEqualTo(column.type()));
        assertThat(blast.columns()).filteredOn(column -> HitValues.type(column).equals(HitValues.INTEGER))
                .extracting(Column::name).contains("length", "qstart", "send");
    }
}
