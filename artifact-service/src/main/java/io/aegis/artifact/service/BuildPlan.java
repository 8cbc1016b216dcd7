package io.aegis.artifact.service;

import io.aegis.artifact.blast.BlastFormat;
import io.aegis.artifact.domain.Manifest;
import io.aegis.artifact.repository.FinalizationRepository.Claim;
import io.aegis.events.JobStatus;
import io.aegis.events.SearchArchive;
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
 * @param archive      BLAST's archive of the job's search, from which BLAST's own formats are made; null
 *                     when the job has none (it did not succeed, or ran before searches were archived)
 * @param input        the job's input FASTA, published as {@code input.fasta} ({@link InputPart}) and read for
 *                     the summary's queries; null when the store has none
 */
record BuildPlan(Path results, List<Path> files, boolean hits, List<Column> columns, String columnsError,
                 boolean alignments, Archive archive, Path input) {

    /**
     * A job's archived search ({@code jobs/<id>/archive/}, the earlier job's for one that reused its
     * results), present once the worker wrote its {@link SearchArchive} record.
     *
     * @param folder the archive's folder
     * @param input  the job's input FASTA, whose queries the archive numbers {@code Q1}, {@code Q2}, …
     * @param searched what the search was, or null when the record could not be read
     * @param error    why it could not be read
     */
    record Archive(Path folder, Path input, SearchArchive searched, String error) {

        /** The search, or the reason it could not be read as the failure of the part that needs it. */
        SearchArchive search() throws IOException {
            if (searched == null) {
                throw new IOException(error);
            }
            return searched;
        }

        /** The formats BLAST has for the search's program (without SAM while the program is unknown). */
        List<BlastFormat> formats() {
            return BlastFormat.forProgram(searched != null ? searched.program() : null);
        }

        /**
         * The archive a job that succeeded has, if any. Blocking I/O.
         *
         * @param reusedFrom the job whose results (and so archive) this one reused, or null
         */
        static Archive of(StoreLayout store, UUID jobId, UUID reusedFrom) {
            Path folder = store.archive(reusedFrom != null ? reusedFrom : jobId);
            if (!Files.isRegularFile(folder.resolve(SearchArchive.FILE))) {
                return null;
            }
            Path found = BuildPlan.input(store, jobId, reusedFrom);
            Path input = found != null ? found : store.input(jobId);
            try {
                return new Archive(folder, input, SearchArchive.read(folder), null);
            } catch (IOException e) {
                return new Archive(folder, input, null, e.getMessage());
            }
        }
    }

    /**
     * The job's input FASTA in the store: its own, or for a job that reused an earlier job's results and
     * has none of its own, that job's (the same queries); null when there is neither. Blocking I/O.
     */
    static Path input(StoreLayout store, UUID jobId, UUID reusedFrom) {
        Path own = store.input(jobId);
        if (Files.isRegularFile(own)) {
            return own;
        }
        Path earlier = reusedFrom != null ? store.input(reusedFrom) : null;
        return earlier != null && Files.isRegularFile(earlier) ? earlier : null;
    }

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
        Archive archive = claim.status() == JobStatus.SUCCEEDED ? Archive.of(store, claim.jobId(), claim.reusedFrom()) : null;
        return read(results, files, hits, archive, input(store, claim.jobId(), claim.reusedFrom()));
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
        Archive archive = success ? Archive.of(store, jobId, reusedFrom) : null;
        return read(results, List.copyOf(files), hits, archive, input(store, jobId, reusedFrom));
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

    private static BuildPlan read(Path results, List<Path> files, boolean hits, Archive archive, Path input) {
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
        return new BuildPlan(results, files, hits, columns, columnsError, alignments, archive, input);
    }

    /** The artifacts this attempt plans, known before it starts (the log chunks are not: the spool decides). */
    List<String> names() {
        List<String> names = new ArrayList<>();
        files.forEach(file -> names.add(file.getFileName().toString()));
        if (publishesInput()) {
            names.add(InputPart.NAME);
        }
        if (hits) {
            names.add(SummaryPart.NAME);
            names.add(HitTable.NAME);
        }
        if (alignments) {
            names.add(AlignmentsPart.NAME);
        }
        names.add(StepsPart.NAME);
        blastFormats().forEach(format -> names.add(format.artifact()));
        names.add(Manifest.NAME);
        return names;
    }

    /** BLAST's own formats this attempt may make from the job's archive (those asked for); none without one. */
    List<BlastFormat> blastFormats() {
        return archive == null ? List.of() : archive.formats();
    }

    /**
     * Whether the planned artifact {@code name} is made only when asked for: BLAST's own formats, which
     * cost a formatter run over the whole search each and which most jobs never need.
     */
    boolean onRequest(String name) {
        return blastFormats().stream().anyMatch(format -> format.artifact().equals(name));
    }

    /** Whether {@code input.fasta} is built: the store has the job's input (and no result file takes its name). */
    boolean publishesInput() {
        return input != null && !isResult(InputPart.NAME);
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
