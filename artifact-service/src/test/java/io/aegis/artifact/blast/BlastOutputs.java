package io.aegis.artifact.blast;

import io.aegis.sequences.FastaRecord;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;

/**
 * Small outputs in the layouts {@code blast_formatter} writes, for the mergers' unit tests (the golden
 * test in the service package holds the mergers against real BLAST).
 */
final class BlastOutputs {

    static final String PATH = "/srv/aegis/store/databases/demo/demo";

    /** The job's queries: {@code Q1}… in the batches. The second and the fourth have no description. */
    static final QueryTitles TITLES = new QueryTitles(List.of(
            new FastaRecord("alpha", "first & <one>", "MKT"),
            new FastaRecord("beta", "", "MKT"),
            new FastaRecord("gamma", "third \"one\"", "MKT"),
            new FastaRecord("delta", "", "MKT"),
            new FastaRecord("epsilon", "fifth", "MKT")));

    private BlastOutputs() {
    }

    /** Merges {@code batches} (each the output of one batch) with {@code merger}'s format, counting queries. */
    static String merge(java.util.function.Function<StringWriter, BatchMerger> merger, String... batches) throws IOException {
        StringWriter out = new StringWriter();
        BatchMerger merging = merger.apply(out);
        int first = 0;
        for (String batch : batches) {
            first += merging.batch(new Lines(new StringReader(batch)), first);
        }
        merging.finish();
        return out.toString();
    }

    /** Batch XML for queries {@code from..to} (1-based, inclusive); {@code hits} names the queries with a hit. */
    static String xml(int from, int to, List<Integer> hits) {
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0"?>
                <!DOCTYPE BlastOutput PUBLIC "-//NCBI//NCBI BlastOutput/EN" "http://www.ncbi.nlm.nih.gov/dtd/NCBI_BlastOutput.dtd">
                <BlastOutput>
                  <BlastOutput_program>blastp</BlastOutput_program>
                  <BlastOutput_db>%s</BlastOutput_db>
                  <BlastOutput_query-ID>Query_1</BlastOutput_query-ID>
                  <BlastOutput_query-def>Q%d</BlastOutput_query-def>
                  <BlastOutput_query-len>3</BlastOutput_query-len>
                <BlastOutput_iterations>
                """.formatted(PATH, from));
        for (int q = from; q <= to; q++) {
            int local = q - from + 1;
            xml.append("<Iteration>\n  <Iteration_iter-num>").append(local).append("</Iteration_iter-num>\n")
                    .append("  <Iteration_query-ID>Query_").append(local).append("</Iteration_query-ID>\n")
                    .append("  <Iteration_query-def>Q").append(q).append("</Iteration_query-def>\n")
                    .append("  <Iteration_query-len>3</Iteration_query-len>\n<Iteration_hits>\n");
            if (hits.contains(q)) {
                xml.append("<Hit>\n  <Hit_num>1</Hit_num>\n  <Hit_id>S").append(q).append("</Hit_id>\n  <Hit_def>Q1 lookalike</Hit_def>\n</Hit>\n");
            }
            xml.append("</Iteration_hits>\n");
            if (!hits.contains(q)) {
                xml.append("  <Iteration_message>No hits found</Iteration_message>\n");
            }
            xml.append("</Iteration>\n");
        }
        return xml.append("</BlastOutput_iterations>\n</BlastOutput>\n\n").toString();
    }

    /** Batch JSON (outfmt 15) for queries {@code from..to}; {@code hits} names the queries with a hit. */
    static String json(int from, int to, List<Integer> hits) {
        StringBuilder json = new StringBuilder("{\n\"BlastOutput2\": [\n");
        for (int q = from; q <= to; q++) {
            int local = q - from + 1;
            if (q > from) {
                json.append(",\n");
            }
            json.append("{\n    \"report\": {\n      \"search_target\": {\n        \"db\": \"").append(PATH).append("\"\n      },\n")
                    .append("      \"results\": {\n        \"search\": {\n          \"query_id\": \"Query_").append(local).append("\",\n")
                    .append("          \"query_title\": \"Q").append(q).append("\",\n          \"hits\": [\n");
            if (hits.contains(q)) {
                json.append("            {\n              \"num\": 1,\n              \"hsps\": [\n                {\n")
                        .append("                  \"num\": 1\n                }\n              ]\n            }\n");
            }
            json.append("          ]\n        }\n      }\n    }\n  }\n");
        }
        return json.append("]\n}").toString();
    }

    /** Batch commented tabular output for queries {@code from..to}. */
    static String tabular(int from, int to, List<Integer> hits) {
        StringBuilder tsv = new StringBuilder();
        for (int q = from; q <= to; q++) {
            tsv.append("# BLASTP 2.12.0+\n# Query: Q").append(q).append("\n# Database: ").append(PATH).append('\n');
            if (hits.contains(q)) {
                tsv.append("# Fields: query id, subject id, subject title\n# 2 hits found\n")
                        .append("Q").append(q).append("\tS1\tQ").append(q).append(" lookalike\n")
                        .append("Q").append(q).append("\tS2\tother\n");
            } else {
                tsv.append("# 0 hits found\n");
            }
        }
        return tsv.append("# BLAST processed ").append(to - from + 1).append(" queries\n").toString();
    }

    /** Batch pairwise text for queries {@code from..to}. */
    static String pairwise(int from, int to, List<Integer> hits) {
        StringBuilder text = new StringBuilder("BLASTP 2.12.0+\n\n\nReference: someone (1997)\n\n\n\nDatabase: demo\n"
                + "           2,000 sequences; 446,016 total letters\n\n\n\n");
        for (int q = from; q <= to; q++) {
            text.append("Query= Q").append(q).append("\n\nLength=3\n");
            text.append(hits.contains(q) ? "\n>S1 Query= lookalike\nLength=3\n\n Score = 10 bits\n" : "\n\n***** No hits found *****\n");
            text.append("\n\n\nLambda      K        H\n   0.340    0.154     1.14 \n\nEffective search space used: 100\n\n\n");
        }
        return text.append("  Database: demo\n    Posted date:  Dec 5, 2026  4:29 AM\n  Number of letters in database: 446,016\n"
                + "\n\n\nMatrix: BLOSUM62\nWindow for multiple hits: 40\n").toString();
    }

    /** Batch SAM for queries {@code from..to}: only those in {@code hits} have an {@code @SQ} line and alignments. */
    static String sam(int from, int to, List<Integer> hits) {
        StringBuilder sam = new StringBuilder("@HD\tVN:1.2\tSO:coordinate\tGO:reference\n");
        StringBuilder records = new StringBuilder();
        for (int q = from; q <= to; q++) {
            if (hits.contains(q)) {
                int local = q - from + 1;
                sam.append("@SQ\tSN:Query_").append(local).append("\tLN:200\n");
                records.append("CTG").append(q).append("\t0\tQuery_").append(local)
                        .append("\t1\t255\t200M\t*\t0\t0\t*\t*\tAS:i:185\n");
            }
        }
        sam.append("@PG\tID:0\tVN:2.12.0+\tCL:blast_formatter -archive batch.asn -outfmt 17 \tPN:blastn\n");
        return sam.append(records).toString();
    }
}
