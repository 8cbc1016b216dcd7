package io.aegis.pipelines;

import io.aegis.sequences.FastaRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The search step's commands for one batch, expanded from a pipeline's definition: the worker runs
 * them on each batch, and the artifact service runs the archiving one again on a job whose small
 * search kept no archive ({@link StepDefinition#direct}).
 */
public final class SearchCommands {

    private static final String SEARCH = "search";

    private SearchCommands() {
    }

    /**
     * The files one run reads and writes.
     *
     * @param batch    the batch's queries (FASTA)
     * @param database the database, as {@code -db} names it
     * @param out      the tabular hits
     * @param archive  the tool's archive
     */
    public record Files(String batch, String database, String out, String archive) {
    }

    /**
     * The search one batch runs: the direct one when the step has one and this search keeps no archive
     * ({@link StepDefinition#archives(long, long)}), else the step's command.
     */
    public static List<String> search(PipelineDefinition pipeline, ParameterRules.Resolved params, boolean archives,
                                      Files files) {
        return step(pipeline).searchesDirectly(archives) ? direct(pipeline, params, files)
                : archiving(pipeline, params, files);
    }

    /** The search that keeps the tool's archive ({@code command}), or, without one, writes the hits. */
    public static List<String> archiving(PipelineDefinition pipeline, ParameterRules.Resolved params, Files files) {
        return search(pipeline, step(pipeline).command(), params, files);
    }

    /** The search writing its tabular hits itself, without archive ({@code direct}). */
    public static List<String> direct(PipelineDefinition pipeline, ParameterRules.Resolved params, Files files) {
        return search(pipeline, step(pipeline).direct(), params, files);
    }

    /** The command that tabulates a batch's hits from its archive; empty when the search keeps no archive. */
    public static List<String> format(PipelineDefinition pipeline, Files files) {
        return CommandTemplate.expand(step(pipeline).format(),
                Map.of("archive", files.archive(), "out", files.out(), "columns", columns(pipeline)), List.of());
    }

    /** The name a search gives the job's query at {@code index} (0-based): {@code Q1}, {@code Q2}, … */
    public static String queryId(int index) {
        return "Q" + (index + 1);
    }

    /**
     * The queries as a search carries them: named by their position in the job ({@link #queryId}), without
     * description, so every hit finds its query even where a tool rewrites ids it does not like.
     */
    public static List<FastaRecord> renamed(List<FastaRecord> queries) {
        List<FastaRecord> renamed = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            renamed.add(new FastaRecord(queryId(i), "", queries.get(i).sequence()));
        }
        return renamed;
    }

    /**
     * The query residues times the database's residues, the size {@link StepDefinition#archives(long, long)}
     * decides by: what a search costs grows with both. Saturates rather than overflowing; an unknown size
     * (zero) counts as the largest.
     */
    public static long searchSpace(long queryResidues, long databaseResidues) {
        if (queryResidues <= 0 || databaseResidues <= 0 || queryResidues > Long.MAX_VALUE / databaseResidues) {
            return Long.MAX_VALUE;
        }
        return queryResidues * databaseResidues;
    }

    private static List<String> search(PipelineDefinition pipeline, List<String> template, ParameterRules.Resolved params,
                                       Files files) {
        Map<String, String> values = new HashMap<>(params.asText());
        values.put("batch", files.batch());
        values.put("database", files.database());
        values.put("out", files.out());
        values.put("archive", files.archive());
        values.put("columns", columns(pipeline));
        return CommandTemplate.expand(template, values, params.flags());
    }

    private static StepDefinition step(PipelineDefinition pipeline) {
        return pipeline.step(SEARCH).orElseThrow(() -> new IllegalArgumentException(
                "Pipeline " + pipeline.name() + " has no search step"));
    }

    private static String columns(PipelineDefinition pipeline) {
        return String.join(" ", pipeline.columns().stream().map(PipelineDefinition.Column::name).toList());
    }
}
