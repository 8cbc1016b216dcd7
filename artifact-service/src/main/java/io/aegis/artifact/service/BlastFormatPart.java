package io.aegis.artifact.service;

import io.aegis.artifact.blast.ArchivedDatabase;
import io.aegis.artifact.blast.BatchMerger;
import io.aegis.artifact.blast.BlastFormat;
import io.aegis.artifact.blast.CommentedTabularMerger;
import io.aegis.artifact.blast.JsonMerger;
import io.aegis.artifact.blast.PairwiseMerger;
import io.aegis.artifact.blast.QueryTitles;
import io.aegis.artifact.blast.SamMerger;
import io.aegis.artifact.blast.XmlMerger;
import io.aegis.artifact.domain.Artifact;
import io.aegis.events.ArtifactState;
import io.aegis.events.SearchArchive;
import io.aegis.events.StoreLayout;
import io.smallrye.mutiny.Uni;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One of BLAST's own formats ({@link BlastFormat}) of the job's whole search, made again from its
 * archive: the database checked to be at the version searched ({@link ArchivedDatabase}), then
 * {@code blast_formatter} run on each batch's archive in turn ({@link BlastFormatter}), its output
 * streamed into the format's merger and from there into {@code artifacts/<name>}, written whole or not
 * at all ({@link AtomicFiles}). Nothing holds a whole batch's output: memory stays the same whatever the
 * number of hits. Planned only for a job whose search was archived ({@link BuildPlan#archive}), and made
 * only once someone asked for it ({@link BuildPlan#onRequest}). A search that kept no archive as it ran
 * gets it made first ({@link BlastFormatter#searchAgain}).
 */
record BlastFormatPart(BlastFormat format, StoreLayout store, BlastFormatter formatter, BuildPool pool)
        implements ArtifactPart {

    /** The columns asked of a batch only to count its queries, for SAM (which does not show those without hits). */
    private static final String QUERY_COUNT = "7 qseqid";

    @Override
    public String name() {
        return format.artifact();
    }

    @Override
    public boolean due(BuildAttempt attempt) {
        // made on request: only once asked for, when its row turned pending ({@link ArtifactBuilder})
        return attempt.plan().blastFormats().contains(format) && attempt.state(name()) == ArtifactState.PENDING;
    }

    @Override
    public Uni<List<Artifact>> build(BuildAttempt attempt) {
        return pool.run(() -> {
            BuildPlan.Archive archive = attempt.plan().archive();
            SearchArchive searched = archive.search();
            ArchivedDatabase.check(searched.database(), searched.databaseVersion(), SearchedDatabase.marker(store, searched.database()));
            SearchArchive search = searched.searchedAgain()
                    ? formatter.searchAgain(archive.folder(), archive.input(), searched) : searched;
            QueryTitles titles;
            try (Reader input = Files.newBufferedReader(archive.input(), StandardCharsets.UTF_8)) {
                titles = QueryTitles.read(input);
            }
            if (titles.size() != search.queries()) {
                throw new IOException("The job's input has " + titles.size() + " queries but its search had "
                        + search.queries());
            }
            Path target = store.artifacts(attempt.jobId()).resolve(name());
            Path spool = target.resolveSibling(name() + ".records" + AtomicFiles.PART);
            AtomicFiles.write(target, out -> merge(formatter, format, archive.folder(), search, titles, spool, out));
            return List.of(attempt.file(ManifestWriter.describe(target), "artifacts/"));
        });
    }

    /**
     * Formats every batch of the archive in {@code folder} and merges them into {@code out}.
     *
     * @param spool where SAM's alignments wait while its header is written (removed when done)
     */
    static void merge(BlastFormatter formatter, BlastFormat format, Path folder, SearchArchive search, QueryTitles titles,
                      Path spool, OutputStream out) throws IOException {
        Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try (FileSpool records = new FileSpool(spool)) {
            BatchMerger merger = merger(format, text, titles, search, records);
            int first = 0;
            for (int i = 0; i < search.batches(); i++) {
                String batch = SearchArchive.batchFile(i);
                int from = first;
                int queries = formatter.run(folder, batch, formatter.outfmt(format), lines -> merger.batch(lines, from));
                if (queries < 0) {
                    queries = formatter.run(folder, batch, QUERY_COUNT, CommentedTabularMerger::queries);
                }
                first += queries;
            }
            if (first != search.queries()) {
                throw new IOException("The archive's " + search.batches() + " batches hold " + first
                        + " queries, the search had " + search.queries());
            }
            merger.finish();
            text.flush();
        }
    }

    /** SAM's alignments while its header is written: a file beside the target, gone when the merge ends. */
    private static final class FileSpool implements SamMerger.Spool, Closeable {

        private final Path file;
        private Writer records;

        FileSpool(Path file) {
            this.file = file;
        }

        @Override
        public Writer records() throws IOException {
            records = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
            return records;
        }

        @Override
        public Reader written() throws IOException {
            records.close();
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            try {
                if (records != null) {
                    records.close();
                }
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private static BatchMerger merger(BlastFormat format, Writer out, QueryTitles titles, SearchArchive search, FileSpool spool) {
        return switch (format) {
            case XML -> new XmlMerger(out, titles, search.database());
            case COMMENTED_TABULAR -> new CommentedTabularMerger(out, titles, search.database());
            case PAIRWISE -> new PairwiseMerger(out, titles, search.database(), search.databasePath());
            case JSON -> new JsonMerger(out, titles, search.database());
            case SAM -> new SamMerger(out, spool);
        };
    }
}
