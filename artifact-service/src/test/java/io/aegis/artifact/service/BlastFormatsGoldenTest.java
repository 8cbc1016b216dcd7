package io.aegis.artifact.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.artifact.blast.BlastFormat;
import io.aegis.artifact.blast.QueryTitles;
import io.aegis.events.SearchArchive;
import io.aegis.events.StoreLayout;
import io.aegis.sequences.FastaRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BLAST's own formats merged from a job's batch archives read as one BLAST run on the whole input, held
 * against that run: real {@code blastp}/{@code blastn} searches, archived in batches as the worker does
 * ({@link ArchivedSearches}), formatted again with the real {@code blast_formatter} and merged
 * ({@link BlastFormatPart#merge}), then compared with one direct {@code blastp}/{@code blastn -outfmt N}
 * run with the same database and parameters. The inputs have queries without hits, one whose
 * description BLAST wraps and escapes, one without description, and (blastn) hits on the minus strand.
 *
 * <p>What differs between the two and is normalized ({@link #normalized}), each a property of the run, not
 * of the merge:
 * <ul>
 *   <li>the database path: the direct run shows the {@code -db} path, the merged documents the database's
 *       name (what the merge is asked to do, so the direct run's path is replaced by the name);</li>
 *   <li>each query's statistics that {@code blast_formatter} recomputes rather than reads from the
 *       search (XML {@code Statistics_hsp-len} and {@code Statistics_eff-space}, JSON {@code hsp_len} and
 *       {@code eff_space}, the pairwise {@code Lambda K H} tables and {@code Effective search space used}):
 *       {@code blast_formatter} on an archive of the whole input gives the same values as on the batches'
 *       archives and differs from the search in them just as much (checked by
 *       {@link #theStatisticsDifferAlreadyBetweenASearchAndBlastFormatterOnItsOwnArchive});</li>
 *   <li>SAM's {@code @PG CL:}, the command line that wrote the file.</li>
 * </ul>
 */
class BlastFormatsGoldenTest {

    private static final BlastFormatter FORMATTER = new BlastFormatter("blast_formatter", Duration.ofMinutes(5));

    @TempDir
    static Path root;

    private static StoreLayout store;
    private static ArchivedSearches.Database protein;
    private static ArchivedSearches.Database nucleotide;

    @BeforeAll
    static void databases() throws IOException {
        store = new StoreLayout(root);
        protein = ArchivedSearches.protein(store);
        nucleotide = ArchivedSearches.nucleotide(store);
    }

    @ParameterizedTest(name = "blastp {0}, {1} queries a batch")
    @CsvSource({"XML, 4", "XML, 1", "XML, 100", "COMMENTED_TABULAR, 4", "COMMENTED_TABULAR, 1", "PAIRWISE, 4",
            "PAIRWISE, 100", "JSON, 4", "JSON, 1"})
    void proteinFormatsMergedFromTheBatchesReadAsOneBlastpRun(BlastFormat format, int batchSize) throws Exception {
        assertMergedAsDirect(protein, ArchivedSearches.proteinQueries(), batchSize, format);
    }

    @ParameterizedTest(name = "blastn {0}, {1} queries a batch")
    @CsvSource({"XML, 3", "COMMENTED_TABULAR, 3", "PAIRWISE, 3", "JSON, 3", "SAM, 3", "SAM, 1", "SAM, 100"})
    void nucleotideFormatsMergedFromTheBatchesReadAsOneBlastnRun(BlastFormat format, int batchSize) throws Exception {
        assertMergedAsDirect(nucleotide, ArchivedSearches.nucleotideQueries(), batchSize, format);
    }

    /**
     * BLAST searches a run's queries in chunks of its own (by residues), and {@code blast_formatter}
     * closes its report once a chunk (the statistics of pairwise text, the count of commented tabular, a
     * header of SAM) where the search closes once: the mergers keep only a batch's last closing, so
     * batches larger than BLAST's chunks merge as one run too. (BLAST shows a query's low-complexity
     * masks, the lower case of pairwise text and JSON's {@code query_masking}, by its place in its chunk,
     * and a batch's chunks are not the whole input's: those are compared aside.)
     */
    @ParameterizedTest(name = "blastn {0}, batches larger than BLAST's own chunks")
    @CsvSource({"COMMENTED_TABULAR", "PAIRWISE", "SAM", "XML", "JSON"})
    void batchesLargerThanBlastsOwnChunksMergeAsOneRun(BlastFormat format) throws Exception {
        List<FastaRecord> queries = ArchivedSearches.manyNucleotideQueries(600);
        UUID job = UUID.randomUUID();
        SearchArchive search = ArchivedSearches.archive(store, job, nucleotide, queries, 300);
        assertThat(search.batches()).isEqualTo(2);
        assertThat(closings(store.archive(job).resolve(SearchArchive.batchFile(0))))
                .as("BLAST closes a batch's report more than once").isGreaterThan(1);

        String direct = ArchivedSearches.direct(store, job, nucleotide, format.outfmt());
        assertThat(masksAside(normalized(merged(job, search, format), format), format))
                .isEqualTo(masksAside(normalized(direct.replace(nucleotide.prefix().toString(), nucleotide.name()),
                        format), format));
    }

    /** How many times {@code blast_formatter} closes its commented tabular report of {@code archive}. */
    private static long closings(Path archive) throws Exception {
        return ArchivedSearches.run(List.of("blast_formatter", "-archive", archive.toString(), "-outfmt", "7"))
                .lines().filter(line -> line.startsWith("# BLAST processed ")).count();
    }

    /** Low-complexity masks set aside: the query rows of pairwise text in upper case, JSON without them. */
    private static String masksAside(String text, BlastFormat format) {
        return switch (format) {
            case PAIRWISE -> Pattern.compile("(?m)^Query  .*$").matcher(text)
                    .replaceAll(m -> Matcher.quoteReplacement(m.group().toUpperCase(Locale.ROOT)));
            case JSON -> Pattern.compile("\"qseq\": \"([^\"]*)\"")
                    .matcher(text.replaceAll("(?s)\\n *\"query_masking\": \\[.*?\\n *\\],", ""))
                    .replaceAll(m -> Matcher.quoteReplacement("\"qseq\": \"" + m.group(1).toUpperCase(Locale.ROOT) + "\""));
            default -> text;
        };
    }

    @Test
    void aCommentedTableWithTheColumnsAnOperatorChoseReadsAsOneRunWithThem() throws Exception {
        List<String> columns = BlastFormat.tabularColumns(List.of("qseqid", "sseqid", "evalue", "bitscore", "qcovhsp", "stitle"));
        BlastFormatter formatter = new BlastFormatter("blast_formatter", Duration.ofMinutes(5), columns);
        UUID job = UUID.randomUUID();
        List<FastaRecord> queries = ArchivedSearches.proteinQueries();
        SearchArchive search = ArchivedSearches.archive(store, job, protein, queries, 4);

        QueryTitles titles = QueryTitles.read(new StringReader(Files.readString(store.input(job))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BlastFormatPart.merge(formatter, BlastFormat.COMMENTED_TABULAR, store.archive(job), search, titles,
                store.artifacts(job).resolve("columns.records.part"), out);
        String direct = ArchivedSearches.direct(store, job, protein, "7 " + String.join(" ", columns));

        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("# Fields: query id, subject id, evalue, bit score, % query coverage per hsp, subject title")
                .isEqualTo(direct.replace(protein.prefix().toString(), protein.name()));
    }

    @ParameterizedTest(name = "{0} {1} of a search that kept no archive")
    @CsvSource({"protein, XML", "protein, PAIRWISE", "nucleotide, SAM", "nucleotide, JSON"})
    void aSearchThatKeptNoArchiveIsSearchedAgainOnceAndReadsAsOneRun(String kind, BlastFormat format) throws Exception {
        ArchivedSearches.Database database = kind.equals("protein") ? protein : nucleotide;
        List<FastaRecord> queries = kind.equals("protein") ? ArchivedSearches.proteinQueries()
                : ArchivedSearches.nucleotideQueries();
        UUID job = UUID.randomUUID();
        SearchArchive unarchived = ArchivedSearches.unarchived(store, job, database, queries);
        assertThat(unarchived.searchedAgain()).isTrue();

        SearchArchive search = FORMATTER.searchAgain(store.archive(job), store.input(job), unarchived);

        assertThat(search).isEqualTo(unarchived.archivedAs(1));
        assertThat(SearchArchive.read(store.archive(job))).isEqualTo(search);
        try (var files = Files.list(store.archive(job))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder(SearchArchive.FILE, SearchArchive.batchFile(0));
        }
        String direct = ArchivedSearches.direct(store, job, database, format.outfmt());
        assertThat(normalized(merged(job, search, format), format)).isEqualTo(normalized(direct.replace(
                database.prefix().toString(), database.name()), format));
    }

    @Test
    void aSearchAgainThatFailsSaysWhyAndLeavesTheRecordAsItWas() throws Exception {
        UUID job = UUID.randomUUID();
        SearchArchive unarchived = ArchivedSearches.unarchived(store, job, protein, ArchivedSearches.proteinQueries());
        SearchArchive elsewhere = new SearchArchive(unarchived.schema(), unarchived.program(), unarchived.database(),
                unarchived.databaseVersion(), root.resolve("no-such-database").toString(), 0, unarchived.queries(),
                unarchived.params(), unarchived.pipeline());
        SearchArchive unknown = new SearchArchive(unarchived.schema(), unarchived.program(), unarchived.database(),
                unarchived.databaseVersion(), unarchived.databasePath(), 0, unarchived.queries(), unarchived.params(),
                "no-such-pipeline");
        SearchArchive miscounted = new SearchArchive(unarchived.schema(), unarchived.program(), unarchived.database(),
                unarchived.databaseVersion(), unarchived.databasePath(), 0, unarchived.queries() + 1, unarchived.params(),
                unarchived.pipeline());

        assertThatThrownBy(() -> FORMATTER.searchAgain(store.archive(job), store.input(job), elsewhere))
                .isInstanceOf(IOException.class).hasMessageContaining("blastp searching again to make the archive failed");
        assertThatThrownBy(() -> FORMATTER.searchAgain(store.archive(job), store.input(job), unknown))
                .isInstanceOf(IOException.class).hasMessageContaining("no-such-pipeline is not known here");
        assertThatThrownBy(() -> FORMATTER.searchAgain(store.archive(job), store.input(job), miscounted))
                .isInstanceOf(IOException.class).hasMessageContaining("has 12 queries but its search had 13");
        assertThat(SearchArchive.read(store.archive(job))).isEqualTo(unarchived);
        try (var files = Files.list(store.archive(job))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly(SearchArchive.FILE);
        }
    }

    @Test
    void samIsOnlyPlannedWhereBlastWritesIt() {
        assertThat(BlastFormat.forProgram("blastn")).contains(BlastFormat.SAM);
        assertThat(BlastFormat.forProgram("blastp")).doesNotContain(BlastFormat.SAM).hasSize(4);
        assertThat(BlastFormat.forProgram("tblastx")).doesNotContain(BlastFormat.SAM);
    }

    @Test
    void theMergedXmlParsesWithBiopythonAsTheDirectRunDoes() throws Exception {
        UUID job = UUID.randomUUID();
        List<FastaRecord> queries = ArchivedSearches.proteinQueries();
        SearchArchive search = ArchivedSearches.archive(store, job, protein, queries, 3);
        assertThat(search.batches()).isGreaterThanOrEqualTo(3);
        Path merged = root.resolve(job + "-merged.xml");
        Path direct = root.resolve(job + "-direct.xml");
        Files.writeString(merged, merged(job, search, BlastFormat.XML));
        Files.writeString(direct, ArchivedSearches.direct(store, job, protein, "5"));

        String script = String.join("\n",
                "import sys",
                "from Bio.Blast import NCBIXML",
                "for path in sys.argv[1:]:",
                "    with open(path) as handle:",
                "        records = list(NCBIXML.parse(handle))",
                "    print(len(records), sum(len(r.alignments) for r in records),",
                "          sum(len(a.hsps) for r in records for a in r.alignments),",
                "          '|'.join(r.query + ':' + str(len(r.alignments)) for r in records))");
        List<String> lines = ArchivedSearches.run(List.of("/usr/bin/python3", "-c", script, merged.toString(),
                direct.toString())).lines().toList();

        assertThat(lines).hasSize(2);
        assertThat(lines.getFirst()).isEqualTo(lines.getLast());
        String[] counts = lines.getFirst().split(" ", 4);
        assertThat(Integer.parseInt(counts[0])).isEqualTo(queries.size());
        assertThat(Integer.parseInt(counts[1])).isGreaterThan(10);
        assertThat(counts[3]).contains("nohit-1 low complexity, hits nothing:0", "nohit-2:0",
                "sp|P0DTC2|WORDY_1 a description long enough");
    }

    @Test
    void theStatisticsDifferAlreadyBetweenASearchAndBlastFormatterOnItsOwnArchive() throws Exception {
        UUID job = UUID.randomUUID();
        SearchArchive search = ArchivedSearches.archive(store, job, protein, ArchivedSearches.proteinQueries(), 1000);
        assertThat(search.batches()).isOne();
        String formatted = merged(job, search, BlastFormat.XML);
        String direct = ArchivedSearches.direct(store, job, protein, "5").replace(protein.prefix().toString(), protein.name());

        assertThat(formatted).isNotEqualTo(direct);
        assertThat(normalized(formatted, BlastFormat.XML)).isEqualTo(normalized(direct, BlastFormat.XML));
    }

    private void assertMergedAsDirect(ArchivedSearches.Database database, List<FastaRecord> queries, int batchSize,
                                      BlastFormat format) throws Exception {
        UUID job = UUID.randomUUID();
        SearchArchive search = ArchivedSearches.archive(store, job, database, queries, batchSize);
        assertThat(search.batches()).isEqualTo((queries.size() + batchSize - 1) / batchSize);
        String merged = merged(job, search, format);
        String direct = ArchivedSearches.direct(store, job, database, format.outfmt());

        assertThat(merged).doesNotContain(database.prefix().toString()).doesNotContain("Q1\n").doesNotContain("Q1<");
        assertThat(normalized(merged, format)).isEqualTo(normalized(direct.replace(database.prefix().toString(),
                database.name()), format));
    }

    private static String merged(UUID job, SearchArchive search, BlastFormat format) throws IOException {
        QueryTitles titles = QueryTitles.read(new StringReader(Files.readString(store.input(job))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path spool = store.artifacts(job).resolve(format.artifact() + ".records.part");
        Files.createDirectories(spool.getParent());
        BlastFormatPart.merge(FORMATTER, format, store.archive(job), search, titles, spool, out);
        assertThat(spool).doesNotExist();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The run-specific fields blanked out, see the class's comment. */
    static String normalized(String text, BlastFormat format) {
        return switch (format) {
            case XML -> text.replaceAll("<Statistics_(hsp-len|eff-space)>\\d+<", "<Statistics_$1>*<");
            case JSON -> text.replaceAll("\"(hsp_len|eff_space)\": \\d+", "\"$1\": *");
            case PAIRWISE -> text.replaceAll("(?m)^Lambda .*\\n.*$", "Lambda *")
                    .replaceAll("Effective search space used: \\d+", "Effective search space used: *");
            case SAM -> text.replaceAll("\tCL:[^\t]*", "\tCL:*");
            case COMMENTED_TABULAR -> text;
        };
    }
}
