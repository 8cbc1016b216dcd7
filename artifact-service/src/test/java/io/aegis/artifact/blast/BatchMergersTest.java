package io.aegis.artifact.blast;

import static io.aegis.artifact.blast.BlastOutputs.PATH;
import static io.aegis.artifact.blast.BlastOutputs.TITLES;
import static io.aegis.artifact.blast.BlastOutputs.merge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mergers on small outputs in BLAST's layouts ({@link BlastOutputs}): five queries, two with hits,
 * in one batch, in three, or one a batch; merged, they read as the output of one run over the five
 * queries with the submitted names and the database's name in place. A batch cut short, or batches out
 * of order, are errors.
 */
class BatchMergersTest {

    private static final List<Integer> HITS = List.of(1, 4);

    @Test
    void xmlBatchesReadAsOneRunWithOneHeaderGlobalNumbersAndTheSubmittedNames() throws IOException {
        String expected = BlastOutputs.xml(1, 5, HITS)
                .replace("<BlastOutput_db>" + PATH + "<", "<BlastOutput_db>demo<")
                .replace("<BlastOutput_query-def>Q1<", "<BlastOutput_query-def>alpha first &amp; &lt;one&gt;<")
                .replace("<Iteration_query-def>Q1<", "<Iteration_query-def>alpha first &amp; &lt;one&gt;<")
                .replace("<Iteration_query-def>Q2<", "<Iteration_query-def>beta<")
                .replace("<Iteration_query-def>Q3<", "<Iteration_query-def>gamma third &quot;one&quot;<")
                .replace("<Iteration_query-def>Q4<", "<Iteration_query-def>delta<")
                .replace("<Iteration_query-def>Q5<", "<Iteration_query-def>epsilon fifth<");

        assertThat(merge(this::xml, BlastOutputs.xml(1, 5, HITS))).isEqualTo(expected);
        assertThat(merge(this::xml, BlastOutputs.xml(1, 2, HITS), BlastOutputs.xml(3, 4, HITS), BlastOutputs.xml(5, 5, HITS)))
                .isEqualTo(expected);
        assertThat(merge(this::xml, BlastOutputs.xml(1, 1, HITS), BlastOutputs.xml(2, 2, HITS), BlastOutputs.xml(3, 3, HITS),
                BlastOutputs.xml(4, 4, HITS), BlastOutputs.xml(5, 5, HITS))).isEqualTo(expected)
                .contains("<Iteration_iter-num>5</Iteration_iter-num>", "<Iteration_query-ID>Query_5</Iteration_query-ID>",
                        "<Hit_def>Q1 lookalike</Hit_def>");
    }

    @Test
    void jsonBatchesReadAsOneReportArray() throws IOException {
        String expected = BlastOutputs.json(1, 5, HITS)
                .replace("\"db\": \"" + PATH + "\"", "\"db\": \"demo\"")
                .replace("\"query_title\": \"Q1\"", "\"query_title\": \"alpha first & <one>\"")
                .replace("\"query_title\": \"Q2\"", "\"query_title\": \"beta\"")
                .replace("\"query_title\": \"Q3\"", "\"query_title\": \"gamma third \\\"one\\\"\"")
                .replace("\"query_title\": \"Q4\"", "\"query_title\": \"delta\"")
                .replace("\"query_title\": \"Q5\"", "\"query_title\": \"epsilon fifth\"");

        assertThat(merge(this::json, BlastOutputs.json(1, 5, HITS))).isEqualTo(expected);
        assertThat(merge(this::json, BlastOutputs.json(1, 3, HITS), BlastOutputs.json(4, 4, HITS), BlastOutputs.json(5, 5, HITS)))
                .isEqualTo(expected).contains("\"query_id\": \"Query_5\"").endsWith("]\n}");
    }

    @Test
    void commentedTabularBatchesReadAsOneTableWithTheSubmittedIdsAndOneClosingCount() throws IOException {
        String expected = BlastOutputs.tabular(1, 5, HITS)
                .replace("# Database: " + PATH, "# Database: demo")
                .replace("# Query: Q1\n", "# Query: alpha first & <one>\n")
                .replace("Q1\tS", "alpha\tS")
                .replace("# Query: Q2\n", "# Query: beta\n")
                .replace("# Query: Q3\n", "# Query: gamma third \"one\"\n")
                .replace("# Query: Q4\n", "# Query: delta\n")
                .replace("Q4\tS", "delta\tS")
                .replace("# Query: Q5\n", "# Query: epsilon fifth\n");

        assertThat(merge(this::tabular, BlastOutputs.tabular(1, 5, HITS))).isEqualTo(expected);
        assertThat(merge(this::tabular, BlastOutputs.tabular(1, 1, HITS), BlastOutputs.tabular(2, 4, HITS),
                BlastOutputs.tabular(5, 5, HITS))).isEqualTo(expected)
                .contains("alpha\tS1\tQ1 lookalike\n").endsWith("# BLAST processed 5 queries\n");
    }

    @Test
    void pairwiseBatchesReadAsOneReportWithOneHeaderAndTheLastFooter() throws IOException {
        String expected = BlastOutputs.pairwise(1, 5, HITS)
                .replace("Query= Q1\n", "Query= alpha first & <one>\n")
                .replace("Query= Q2\n", "Query= beta\n")
                .replace("Query= Q3\n", "Query= gamma third \"one\"\n")
                .replace("Query= Q4\n", "Query= delta\n")
                .replace("Query= Q5\n", "Query= epsilon fifth\n");

        assertThat(merge(this::pairwise, BlastOutputs.pairwise(1, 5, HITS))).isEqualTo(expected);
        assertThat(merge(this::pairwise, BlastOutputs.pairwise(1, 2, HITS), BlastOutputs.pairwise(3, 3, HITS),
                BlastOutputs.pairwise(4, 5, HITS))).isEqualTo(expected).contains(">S1 Query= lookalike");
    }

    /** blast_formatter closes every chunk of queries BLAST searched together: a batch may close more than once. */
    @Test
    void aBatchThatClosesOnceAChunkReadsAsOneRunToo() throws IOException {
        assertThat(merge(this::pairwise, BlastOutputs.pairwise(1, 2, HITS) + BlastOutputs.pairwise(3, 3, HITS),
                BlastOutputs.pairwise(4, 5, HITS)))
                .isEqualTo(merge(this::pairwise, BlastOutputs.pairwise(1, 5, HITS)));
        assertThat(merge(this::tabular, BlastOutputs.tabular(1, 2, HITS) + BlastOutputs.tabular(3, 3, HITS),
                BlastOutputs.tabular(4, 5, HITS)))
                .isEqualTo(merge(this::tabular, BlastOutputs.tabular(1, 5, HITS))).endsWith("# BLAST processed 5 queries\n");
    }

    @Test
    void pairwiseQueryLinesWrapAsBlastWrapsThem() {
        assertThat(PairwiseMerger.wrap("short one", 68)).containsExactly("short one");
        String id = "x".repeat(58);
        assertThat(PairwiseMerger.wrap(id + " y z wwwwwwww wwwwwwww", 68))
                .containsExactly(id + " y z", "wwwwwwww wwwwwwww");
        assertThat(PairwiseMerger.wrap("x".repeat(72) + " y", 68)).containsExactly("x".repeat(68), "xxxx y");
    }

    @Test
    void samBatchesShareOneHeaderWithEveryReferenceBeforeTheAlignments() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter spooled = new StringWriter();
        SamMerger merger = new SamMerger(out, new SamMerger.Spool() {
            @Override
            public Writer records() {
                return spooled;
            }

            @Override
            public java.io.Reader written() {
                return new StringReader(spooled.toString());
            }
        });
        // batches Q1..Q2, Q3..Q4, Q5: the caller counts their queries (SAM does not show those without hits)
        merger.batch(new Lines(new StringReader(BlastOutputs.sam(1, 2, HITS))), 0);
        merger.batch(new Lines(new StringReader(BlastOutputs.sam(3, 4, HITS))), 2);
        merger.batch(new Lines(new StringReader(BlastOutputs.sam(5, 5, HITS))), 4);
        merger.finish();

        assertThat(out.toString()).isEqualTo("""
                @HD\tVN:1.2\tSO:coordinate\tGO:reference
                @SQ\tSN:Query_1\tLN:200
                @SQ\tSN:Query_4\tLN:200
                @PG\tID:0\tVN:2.12.0+\tCL:blast_formatter -archive batch.asn -outfmt 17 \tPN:blastn
                CTG1\t0\tQuery_1\t1\t255\t200M\t*\t0\t0\t*\t*\tAS:i:185
                CTG4\t0\tQuery_4\t1\t255\t200M\t*\t0\t0\t*\t*\tAS:i:185
                """);
    }

    @Test
    void aBatchCutShortIsAnErrorNotAShorterDocument() {
        String xml = BlastOutputs.xml(1, 2, HITS);
        assertThatThrownBy(() -> merge(this::xml, xml.substring(0, xml.indexOf("</BlastOutput_iterations>"))))
                .isInstanceOf(IOException.class).hasMessageContaining("cut short");
        String json = BlastOutputs.json(1, 2, HITS);
        assertThatThrownBy(() -> merge(this::json, json.substring(0, json.lastIndexOf("]"))))
                .isInstanceOf(IOException.class).hasMessageContaining("cut short");
        String tsv = BlastOutputs.tabular(1, 2, HITS);
        assertThatThrownBy(() -> merge(this::tabular, tsv.substring(0, tsv.indexOf("# BLAST processed"))))
                .isInstanceOf(IOException.class).hasMessageContaining("cut short");
        String text = BlastOutputs.pairwise(1, 2, HITS);
        assertThatThrownBy(() -> merge(this::pairwise, text.substring(0, text.indexOf("  Database:"))))
                .isInstanceOf(IOException.class).hasMessageContaining("cut short");
    }

    @Test
    void batchesOutOfOrderOrNamingQueriesTheJobLacksAreErrors() {
        assertThatThrownBy(() -> merge(this::xml, BlastOutputs.xml(1, 2, HITS), BlastOutputs.xml(4, 5, HITS)))
                .isInstanceOf(IOException.class).hasMessageContaining("Q4 where query Q3 was due");
        assertThatThrownBy(() -> merge(this::tabular, BlastOutputs.tabular(1, 6, HITS)))
                .isInstanceOf(IOException.class).hasMessageContaining("'Q6'");
    }

    @Test
    void aCommentedTabularOutputCountsItsQueriesWithHitsOrWithout() throws IOException {
        assertThat(CommentedTabularMerger.queries(new Lines(new StringReader(BlastOutputs.tabular(2, 5, HITS))))).isEqualTo(4);
    }

    private BatchMerger xml(Writer out) {
        return new XmlMerger(out, TITLES, "demo");
    }

    private BatchMerger json(Writer out) {
        return new JsonMerger(out, TITLES, "demo");
    }

    private BatchMerger tabular(Writer out) {
        return new CommentedTabularMerger(out, TITLES, "demo");
    }

    private BatchMerger pairwise(Writer out) {
        return new PairwiseMerger(out, TITLES, "demo", PATH);
    }
}
