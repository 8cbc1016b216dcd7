package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.pipelines.PipelineDefinition.Column;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HitsMergerTest {

    private static final List<Column> COLUMNS = List.of(new Column("qseqid", "string"), new Column("sseqid", "string"),
            new Column("pident", "number"), new Column("length", "integer"), new Column("evalue", "number"));
    private static final List<HitsMerger.Query> QUERIES = List.of(new HitsMerger.Query("sp|P1|A", "first", 10),
            new HitsMerger.Query("q2", "", 20), new HitsMerger.Query("q3", "", 30), new HitsMerger.Query("q4", "", 40));

    private record Output(String tsv, JsonNode json, HitsMerger.Merged merged) {
    }

    private static Output merge(String... batches) throws Exception {
        StringWriter tsv = new StringWriter();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        HitsMerger.Merged merged = HitsMerger.merge(Arrays.stream(batches)
                .map(b -> new BufferedReader(new StringReader(b))).toList(), QUERIES, COLUMNS, tsv, json);
        return new Output(tsv.toString(), new ObjectMapper().readTree(json.toByteArray()), merged);
    }

    @Test
    void hitsComeBackUnderTheSubmittedIdsInQueryOrderWithEveryQueryListed() throws Exception {
        Output out = merge("Q1\ts1\t99.5\t10\t1e-20\nQ1\ts2\t80\t9\t0.001\n", "", "Q3\ts9\t50.0\t30\t2.5\n");
        assertThat(out.tsv()).isEqualTo("sp|P1|A\ts1\t99.5\t10\t1e-20\nsp|P1|A\ts2\t80\t9\t0.001\nq3\ts9\t50.0\t30\t2.5\n");
        assertThat(out.merged()).isEqualTo(new HitsMerger.Merged(3, 2));
        JsonNode queries = out.json().get("queries");
        assertThat(queries).extracting(q -> q.get("id").asText()).containsExactly("sp|P1|A", "q2", "q3", "q4");
        assertThat(queries.get(0).get("description").asText()).isEqualTo("first");
        assertThat(queries.get(0).get("hits")).hasSize(2);
        assertThat(queries.get(1).get("hits")).isEmpty();
        assertThat(queries.get(3).get("length").asInt()).isEqualTo(40);
        JsonNode hit = queries.get(0).get("hits").get(0);
        assertThat(hit.get("sseqid").asText()).isEqualTo("s1");
        assertThat(hit.get("pident").asDouble()).isEqualTo(99.5);
        assertThat(hit.get("length").isIntegralNumber()).isTrue();
        assertThat(hit.get("evalue").asDouble()).isEqualTo(1e-20);
        assertThat(hit.has("qseqid")).isFalse();
        assertThat(out.json().get("columns")).extracting(JsonNode::asText)
                .containsExactly("qseqid", "sseqid", "pident", "length", "evalue");
    }

    @Test
    void theColumnTypesAreRecordedBeforeTheHitsAndAValueThatDoesNotParseStaysItsText() throws Exception {
        Output out = merge("Q1\ts1\tn/a\t10.5\t1e999\n");
        assertThat(out.json().get("types")).extracting(JsonNode::asText)
                .containsExactly("string", "string", "number", "integer", "number");
        assertThat(out.json().fieldNames()).toIterable().containsExactly("columns", "types", "queries");
        JsonNode hit = out.json().get("queries").get(0).get("hits").get(0);
        assertThat(hit.get("pident").isTextual()).isTrue();
        assertThat(hit.get("pident").asText()).isEqualTo("n/a");
        assertThat(hit.get("length").asText()).isEqualTo("10.5");
        assertThat(hit.get("evalue").isTextual()).isTrue();
        assertThat(hit.get("evalue").asText()).isEqualTo("1e999");
    }

    @Test
    void noHitsAtAllStillListsEveryQuery() throws Exception {
        Output out = merge("", "");
        assertThat(out.tsv()).isEmpty();
        assertThat(out.json().get("queries")).hasSize(4).allSatisfy(q -> assertThat(q.get("hits")).isEmpty());
    }

    @Test
    void aHitForAnUnknownQueryOrOutOfOrderIsRefused() {
        assertThatThrownBy(() -> merge("Q9\ts\t1\t1\t1\n")).hasMessageContaining("'Q9'");
        assertThatThrownBy(() -> merge("nonsense\ts\t1\t1\t1\n")).hasMessageContaining("'nonsense'");
        assertThatThrownBy(() -> merge("Q2\ts\t1\t1\t1\n", "Q1\ts\t1\t1\t1\n")).hasMessageContaining("after later queries");
    }
}
