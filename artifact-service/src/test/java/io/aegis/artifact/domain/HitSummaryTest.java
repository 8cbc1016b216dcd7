package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class HitSummaryTest {

    private static final List<String> COLUMNS = List.of("qseqid", "sseqid", "pident", "length", "mismatch", "gapopen",
            "qstart", "qend", "sstart", "send", "evalue", "bitscore", "qseq", "sseq");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String hit(String query, String subject, double pident, String evalue, double bitscore) {
        return String.join("\t", query, subject, Double.toString(pident), "100", "0", "0", "1", "100", "1", "100",
                evalue, Double.toString(bitscore), "MKV", "MKV");
    }

    private static JsonNode json(HitSummary summary) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        summary.toJson(out);
        return MAPPER.readTree(out.toByteArray());
    }

    @Test
    void countsHitsAndKeepsTheBestPerQueryInOrderOfFirstAppearance() throws IOException {
        HitSummary summary = HitSummary.forColumns(COLUMNS);
        summary.acceptLine(hit("q2", "s1", 99.0, "1e-50", 200));
        summary.acceptLine(hit("q2", "s2", 80.0, "1e-60", 150));
        summary.acceptLine(hit("q1", "s1", 70.0, "0.001", 40.5));

        assertThat(summary.hits()).isEqualTo(3);
        assertThat(summary.queriesWithHits()).isEqualTo(2);
        JsonNode json = json(summary);
        assertThat(json.get("hits").asLong()).isEqualTo(3);
        assertThat(json.get("queriesWithHits").asInt()).isEqualTo(2);
        JsonNode perQuery = json.get("perQuery");
        assertThat(perQuery).hasSize(2);
        assertThat(perQuery.get(0).get("query").asText()).isEqualTo("q2");
        assertThat(perQuery.get(0).get("hits").asLong()).isEqualTo(2);
        assertThat(perQuery.get(0).get("bestEvalue").asDouble()).isEqualTo(1e-60);
        assertThat(perQuery.get(0).get("bestBitscore").asDouble()).isEqualTo(200);
        assertThat(perQuery.get(1).get("query").asText()).isEqualTo("q1");
        assertThat(perQuery.get(1).get("bestEvalue").asDouble()).isEqualTo(0.001);
        assertThat(perQuery.get(1).get("bestBitscore").asDouble()).isEqualTo(40.5);
    }

    @Test
    void listsEveryDeclaredQueryInInputOrderThoseWithoutHitsWithNoBestValues() throws IOException {
        HitSummary summary = HitSummary.forColumns(COLUMNS);
        for (String id : List.of("q1", "q2", "q3", "q4")) {
            summary.query(id);
        }
        summary.acceptLine(hit("q3", "s1", 99.0, "1e-50", 200));
        summary.acceptLine(hit("q3", "s2", 80.0, "1e-60", 150));
        summary.acceptLine(hit("q1", "s1", 70.0, "0.001", 40.5));

        assertThat(summary.queries()).isEqualTo(4);
        assertThat(summary.queriesWithHits()).isEqualTo(2);
        JsonNode json = json(summary);
        assertThat(json.get("hits").asLong()).isEqualTo(3);
        assertThat(json.get("queries").asInt()).isEqualTo(4);
        assertThat(json.get("queriesWithHits").asInt()).isEqualTo(2);
        JsonNode perQuery = json.get("perQuery");
        assertThat(perQuery).extracting(row -> row.get("query").asText()).containsExactly("q1", "q2", "q3", "q4");
        assertThat(perQuery).extracting(row -> row.get("hits").asLong()).containsExactly(1L, 0L, 2L, 0L);
        assertThat(perQuery.get(0).get("bestEvalue").asDouble()).isEqualTo(0.001);
        assertThat(perQuery.get(2).get("bestEvalue").asDouble()).isEqualTo(1e-60);
        assertThat(perQuery.get(2).get("bestBitscore").asDouble()).isEqualTo(200);
        for (int none : new int[] {1, 3}) {
            assertThat(perQuery.get(none).has("bestEvalue")).isFalse();
            assertThat(perQuery.get(none).has("bestBitscore")).isFalse();
        }
    }

    @Test
    void withoutDeclaredQueriesThereIsNoTotalAndAQueryWithHitsOutsideTheInputComesLast() throws IOException {
        HitSummary undeclared = HitSummary.forColumns(COLUMNS);
        undeclared.acceptLine(hit("q1", "s1", 70.0, "0.001", 40.5));
        assertThat(json(undeclared).has("queries")).isFalse();

        HitSummary declared = HitSummary.forColumns(COLUMNS);
        declared.query("q1");
        declared.query("q1");
        declared.acceptLine(hit("x9", "s1", 70.0, "0.001", 40.5));
        JsonNode json = json(declared);
        assertThat(json.get("perQuery")).extracting(row -> row.get("query").asText()).containsExactly("q1", "x9");
        assertThat(json.get("queries").asInt()).isEqualTo(2);
        assertThat(json.get("queriesWithHits").asInt()).isEqualTo(1);
    }

    @Test
    void blankLinesAndCommentsAreNotHits() {
        HitSummary summary = HitSummary.forColumns(COLUMNS);
        summary.acceptLine("");
        summary.acceptLine("# BLASTP 2.16.0+");
        summary.acceptLine(hit("q1", "s1", 50, "1e-5", 30));
        assertThat(summary.hits()).isEqualTo(1);
    }

    @Test
    void identityFallsInBinsOfFivePercentWithAHundredInTheLast() throws IOException {
        HitSummary summary = HitSummary.forColumns(COLUMNS);
        for (double pident : new double[] {0, 4.99, 5, 52.5, 99.99, 100, 100}) {
            summary.acceptLine(hit("q1", "s1", pident, "1", 10));
        }
        JsonNode identity = json(summary).get("identity");
        assertThat(identity.get("binWidth").asInt()).isEqualTo(5);
        assertThat(identity.get("counts")).hasSize(20);
        long[] counts = new long[20];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = identity.get("counts").get(i).asLong();
        }
        assertThat(counts[0]).isEqualTo(2);
        assertThat(counts[1]).isEqualTo(1);
        assertThat(counts[10]).isEqualTo(1);
        assertThat(counts[19]).isEqualTo(3);
    }

    @Test
    void eValuesFallInDecadesFromTheFloorToInfinity() {
        assertThat(HitSummary.evalueBin(0)).isZero();
        assertThat(HitSummary.evalueBin(3e-250)).isZero();
        assertThat(HitSummary.evalueBin(1e-180)).isZero();
        assertThat(HitSummary.evalueBin(1.5e-180)).isEqualTo(1);
        assertThat(HitSummary.evalueBin(1e-5)).isEqualTo(175);
        assertThat(HitSummary.evalueBin(2e-5)).isEqualTo(176);
        assertThat(HitSummary.evalueBin(1)).isEqualTo(180);
        assertThat(HitSummary.evalueBin(10)).isEqualTo(181);
        assertThat(HitSummary.evalueBin(1000)).isEqualTo(183);
        assertThat(HitSummary.evalueBin(1000.5)).isEqualTo(184);
    }

    @Test
    void theEValueBinsAreLabelledByTheirUpperBound() throws IOException {
        HitSummary summary = HitSummary.forColumns(COLUMNS);
        summary.acceptLine(hit("q1", "s1", 90, "0.0", 500));
        summary.acceptLine(hit("q1", "s2", 90, "2e-5", 50));
        summary.acceptLine(hit("q1", "s3", 90, "5000", 5));

        JsonNode bins = json(summary).get("evalue").get("bins");
        assertThat(bins).hasSize(185);
        assertThat(bins.get(0).get("upTo").asText()).isEqualTo("1e-180");
        assertThat(bins.get(0).get("count").asLong()).isEqualTo(1);
        assertThat(bins.get(176).get("upTo").asText()).isEqualTo("1e-4");
        assertThat(bins.get(176).get("count").asLong()).isEqualTo(1);
        assertThat(bins.get(183).get("upTo").asText()).isEqualTo("1e3");
        assertThat(bins.get(184).get("upTo").asText()).isEqualTo("inf");
        assertThat(bins.get(184).get("count").asLong()).isEqualTo(1);
    }

    @Test
    void topSubjectsAreExactWhileTheyFitAndListTheTwentyMostHit() {
        HitSummary summary = HitSummary.forColumns(COLUMNS);
        for (int s = 1; s <= 25; s++) {
            for (int h = 0; h < s; h++) {
                summary.acceptLine(hit("q" + h, "s" + s, 90, "1e-10", s * 10 + h));
            }
        }

        assertThat(summary.topSubjectsExact()).isTrue();
        List<HitSummary.Subject> top = summary.topSubjects();
        assertThat(top).hasSize(HitSummary.TOP_SUBJECTS);
        assertThat(top.getFirst()).isEqualTo(new HitSummary.Subject("s25", 25, 274));
        assertThat(top.getLast()).isEqualTo(new HitSummary.Subject("s6", 6, 65));
    }

    @Test
    void tiesBetweenSubjectsGoToTheBetterBitScore() {
        HitSummary summary = HitSummary.forColumns(COLUMNS);
        summary.acceptLine(hit("q1", "weak", 90, "1e-10", 20));
        summary.acceptLine(hit("q1", "strong", 90, "1e-10", 80));
        assertThat(summary.topSubjects()).extracting(HitSummary.Subject::subject).containsExactly("strong", "weak");
    }

    @Test
    void heavyHittersSurviveWhenDistinctSubjectsExceedTheCapacity() {
        int capacity = 50;
        HitSummary summary = HitSummary.forColumns(COLUMNS, capacity);
        String[] heavy = {"h1", "h2", "h3", "h4"};
        long[] trueCounts = {900, 700, 500, 300};
        List<String> lines = new ArrayList<>();
        long[] left = trueCounts.clone();
        int noise = 0;
        boolean any = true;
        while (any) {
            any = false;
            for (int i = 0; i < heavy.length; i++) {
                if (left[i]-- > 0) {
                    lines.add(hit("q1", heavy[i], 90, "1e-10", 100 + i));
                    any = true;
                }
            }
            for (int n = 0; n < 5; n++) {
                lines.add(hit("q1", "noise" + noise++, 90, "1e-10", 1));
            }
        }
        lines.forEach(summary::acceptLine);
        long total = summary.hits();
        long tolerance = total / capacity;

        assertThat(summary.topSubjectsExact()).isFalse();
        List<HitSummary.Subject> top = summary.topSubjects();
        assertThat(top).hasSizeLessThanOrEqualTo(HitSummary.TOP_SUBJECTS);
        assertThat(top.subList(0, 4)).extracting(HitSummary.Subject::subject).containsExactly(heavy);
        for (int i = 0; i < heavy.length; i++) {
            assertThat(top.get(i).hits()).isBetween(trueCounts[i], trueCounts[i] + tolerance);
        }
    }

    @Test
    void aMillionHitsOfDistinctSubjectsStayWithinTheFixedCapacity() {
        HitSummary summary = HitSummary.forColumns(COLUMNS);
        String[] fields = hit("q1", "x", 90, "1e-10", 50).split("\t");
        for (int i = 0; i < 1_000_000; i++) {
            fields[0] = i < 500_000 ? "q1" : "q2";
            fields[1] = i % 10 == 0 ? "frequent" : "s" + i;
            summary.accept(fields);
        }
        assertThat(summary.hits()).isEqualTo(1_000_000);
        assertThat(summary.queriesWithHits()).isEqualTo(2);
        assertThat(summary.topSubjectsExact()).isFalse();
        assertThat(summary.topSubjects().getFirst().subject()).isEqualTo("frequent");
        assertThat(summary.topSubjects().getFirst().hits()).isBetween(100_000L, 100_000L + 1_000_000 / 10_000);
    }

    @Test
    void theJsonHasTheAgreedShape() throws IOException {
        HitSummary summary = HitSummary.forColumns(COLUMNS);
        summary.acceptLine(hit("q1", "s1", 90, "1e-10", 50));

        JsonNode json = json(summary);
        assertThat(json.fieldNames()).toIterable().containsExactly("hits", "queriesWithHits", "perQuery", "identity",
                "evalue", "topSubjects", "topSubjectsExact");
        assertThat(json.get("perQuery").get(0).fieldNames()).toIterable()
                .containsExactly("query", "hits", "bestEvalue", "bestBitscore");
        assertThat(json.get("evalue").get("bins").get(0).fieldNames()).toIterable().containsExactly("upTo", "count");
        assertThat(json.get("topSubjects").get(0).fieldNames()).toIterable()
                .containsExactly("subject", "hits", "bestBitscore");
        assertThat(json.get("topSubjects").get(0).get("subject").asText()).isEqualTo("s1");
        assertThat(json.get("topSubjectsExact").isBoolean()).isTrue();
        assertThat(json.get("topSubjectsExact").asBoolean()).isTrue();
    }

    @Test
    void noHitsGiveAnEmptyButCompleteSummary() throws IOException {
        JsonNode json = json(HitSummary.forColumns(COLUMNS));
        assertThat(json.get("hits").asLong()).isZero();
        assertThat(json.get("perQuery")).isEmpty();
        assertThat(json.get("identity").get("counts")).hasSize(20);
        assertThat(json.get("topSubjects")).isEmpty();
        assertThat(json.get("topSubjectsExact").asBoolean()).isTrue();
    }

    @Test
    void toJsonLeavesTheStreamOpen() throws IOException {
        var out = new ByteArrayOutputStream() {
            boolean closed;

            @Override
            public void close() {
                closed = true;
            }
        };
        HitSummary.forColumns(COLUMNS).toJson(out);
        assertThat(out.closed).isFalse();
        assertThat(out.size()).isPositive();
    }

    @Test
    void missingColumnsAreNamed() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HitSummary.forColumns(List.of("qseqid", "sseqid", "length", "bitscore")))
                .withMessageContaining("pident, evalue")
                .withMessageContaining("qseqid, sseqid, length, bitscore");
    }

    @Test
    void aCapacityBelowOneIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> HitSummary.forColumns(COLUMNS, 0));
    }

    @Test
    void aShortLineOrAnUnreadableNumberIsRejectedWithoutBeingCounted() {
        HitSummary summary = HitSummary.forColumns(COLUMNS);
        assertThatIllegalArgumentException().isThrownBy(() -> summary.acceptLine("q1\ts1\t90"))
                .withMessageContaining("3 fields");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> summary.acceptLine(hit("q1", "s1", 90, "1e-10", 50).replace("1e-10", "often")))
                .withMessageContaining("evalue").withMessageContaining("often");
        assertThat(summary.hits()).isZero();
        assertThat(summary.queriesWithHits()).isZero();
    }
}
