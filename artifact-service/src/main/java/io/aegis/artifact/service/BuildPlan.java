package io.aegis.artifact.service;

import io.aegis.artifact.domain.Manifest;
import io.aegis.artifact.repository.FinalizationRepository.Claim;
import io.aegis.events.JobStatus;
import io.aegis.events.StoreLayout;
import io.aegis.pipelines.PipelineDefinition.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What an attempt found in the job's {@code results/} and so builds; or, before the job's finalization
 * starts, what it will build ({@link #forecast}).
 *
 * @param results      the job's results folder
 * @param files        the worker's files in it, each its own artifact
 * @param hits         whether the hit artifacts are built: there is a hits.tsv, or the job succeeded
 *                     (then a missing one is an error to show)
 * @param columns      the hit columns from hits.json, null when they could not be read
 * @param columnsError why they could not be read
 * @param alignments   whether {@code alignments.txt} is built: the hits have {@code qseq} and {@code sseq}
 */
record BuildPlan(Path results, List<Path> files, boolean hits, List<Column> columns, String columnsError,
                 boolean alignments) {

    /**
     * Looks at the job's results, after linking in those of the job it reused, if any. Blocking I/O.
     */
    static BuildPlan of(StoreLayout store, Claim claim) throws IOException {
        Path results = store.results(claim.jobId());
        if (claim.reusedFrom() != null) {
            ReusedResults.link(store.results(claim.reusedFrom()), results);
        }
        List<Path> files = files(results);
        boolean hits = Files.isRegularFile(results.resolve(HitsFile.TSV)) || claim.status() == JobStatus.SUCCEEDED;
        return read(results, files, hits);
    }

    /**
     * What the finalization of a job will plan, as far as the store tells before it starts, changing
     * nothing: the results the job will have (the earlier job's, for a job that reused them) and, for a
     * job that succeeded or has not ended, the merged hits a success brings ({@code hits.tsv} and
     * {@code hits.json}, which the worker writes last) with what is built from them. The columns, and so
     * {@code alignments.txt}, are known once hits.json is there. Blocking I/O.
     *
     * @param reusedFrom the job whose results this one reused, or null
     */
    static BuildPlan forecast(StoreLayout store, UUID jobId, JobStatus status, UUID reusedFrom) throws IOException {
        Path results = store.results(reusedFrom != null ? reusedFrom : jobId);
        List<Path> files = new ArrayList<>(files(results));
        boolean success = status == JobStatus.SUCCEEDED || !status.isTerminal();
        if (success) {
            for (String merged : List.of(HitsFile.TSV, HitsFile.JSON)) {
                if (files.stream().noneMatch(file -> file.getFileName().toString().equals(merged))) {
                    files.add(results.resolve(merged));
                }
            }
            files.sort(null);
        }
        boolean hits = success || Files.isRegularFile(results.resolve(HitsFile.TSV));
        return read(results, List.copyOf(files), hits);
    }

    /** The worker's files in {@code results}, by name (none when the folder is not there). */
    private static List<Path> files(Path results) throws IOException {
        if (!Files.isDirectory(results)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(results)) {
            return paths.filter(Files::isRegularFile).filter(p -> !AtomicFiles.isPart(p)).sorted().toList();
        }
    }

    private static BuildPlan read(Path results, List<Path> files, boolean hits) {
        List<Column> columns = null;
        String columnsError = null;
        if (hits) {
            try {
                columns = HitsFile.columns(results.resolve(HitsFile.JSON));
            } catch (IOException e) {
                columnsError = e.getMessage();
            }
        }
        boolean alignments = columns != null && names(columns).contains("qseq") && names(columns).contains("sseq");
        return new BuildPlan(results, files, hits, columns, columnsError, alignments);
    }

    /** The artifacts this attempt plans, known before it starts (the log chunks are not: the spool decides). */
    List<String> names() {
        List<String> names = new ArrayList<>();
        files.forEach(file -> names.add(file.getFileName().toString()));
        if (hits) {
            names.add(SummaryPart.NAME);
            names.add(HitTable.NAME);
        }
        if (alignments) {
            names.add(AlignmentsPart.NAME);
        }
        names.add(StepsPart.NAME);
        names.add(Manifest.NAME);
        return names;
    }

    boolean isResult(String name) {
        return files.stream().anyMatch(p -> p.getFileName().toString().equals(name));
    }

    Path hitsTsv() {
        return results.resolve(HitsFile.TSV);
    }

    /** The hit columns, or the reason they could not be read as the failure of the part that needs them. */
    List<Column> hitColumns() throws IOException {
        if (columns == null) {
            throw new IOException(columnsError);
        }
        return columns;
    }

    /** The hit columns' names, or the reason they could not be read. */
    List<String> hitColumnNames() throws IOException {
        return names(hitColumns());
    }

    private static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::name).toList();
    }
}
