package io.aegis.artifact.blast;

import java.util.List;

/**
 * BLAST's own formats, as a job's artifacts: each made again from the job's archive (outfmt 11) by
 * {@code blast_formatter}, a batch at a time, and merged into one document per job as if one BLAST run
 * had searched the whole input ({@link BatchMerger}).
 */
public enum BlastFormat {

    /** BLAST XML. */
    XML("hits.xml", "5"),
    /** Tabular with comment lines, the columns {@link #TABULAR_COLUMNS} unless the operator sets others. */
    COMMENTED_TABULAR("hits.commented.tsv", "7"),
    /** The pairwise report BLAST prints by default. */
    PAIRWISE("hits.txt", "0"),
    /** BLAST JSON, one report per query in a {@code BlastOutput2} array. */
    JSON("hits.blast.json", "15"),
    /** SAM: BLAST writes it for nucleotide-to-nucleotide searches only ({@code blastn}). */
    SAM("hits.sam", "17");

    /**
     * The columns of {@code hits.commented.tsv} by default: BLAST's twelve standard ones, then what the job's own
     * hits.tsv leaves out: the subject's title (its description), the query's and subject's lengths, the
     * query's coverage by the subject's alignments, and the subject's taxonomy ids ({@code 0} for a
     * database built without them). The query id comes first: the merge puts the submitted id there.
     */
    public static final List<String> TABULAR_COLUMNS = List.of("qseqid", "sseqid", "pident", "length", "mismatch",
            "gapopen", "qstart", "qend", "sstart", "send", "evalue", "bitscore", "stitle", "qlen", "slen", "qcovs",
            "staxids");

    private final String artifact;
    private final String outfmt;

    BlastFormat(String artifact, String outfmt) {
        this.artifact = artifact;
        this.outfmt = outfmt;
    }

    /** The artifact's name, under {@code artifacts/}. */
    public String artifact() {
        return artifact;
    }

    /** {@code blast_formatter}'s {@code -outfmt} argument, commented tabular with the default columns. */
    public String outfmt() {
        return outfmt(TABULAR_COLUMNS);
    }

    /** {@code blast_formatter}'s {@code -outfmt} argument, commented tabular with {@code columns}. */
    public String outfmt(List<String> columns) {
        return this == COMMENTED_TABULAR ? outfmt + " " + String.join(" ", columns) : outfmt;
    }

    /**
     * The columns an operator set for {@code hits.commented.tsv}, checked: BLAST's field names (lower
     * case, such as {@code sscinames}), each once, the query id first (the merge puts the submitted id
     * there). BLAST itself refuses a name it does not know, and the part fails with its words.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static List<String> tabularColumns(List<String> columns) {
        if (columns.isEmpty() || !columns.getFirst().equals("qseqid")) {
            throw new IllegalArgumentException("The commented table's columns must start with qseqid; they are "
                    + String.join(" ", columns));
        }
        for (String column : columns) {
            if (!column.matches("[a-z_]{1,32}")) {
                throw new IllegalArgumentException("'" + column + "' is not a BLAST field name (lower case letters "
                        + "and underscores, such as sscinames)");
            }
        }
        if (columns.stream().distinct().count() != columns.size()) {
            throw new IllegalArgumentException("The commented table's columns name one twice: " + String.join(" ", columns));
        }
        return List.copyOf(columns);
    }

    /** Whether BLAST writes this format for a search by {@code program}. */
    public boolean supports(String program) {
        return this != SAM || "blastn".equals(program);
    }

    /** Whether {@code artifact} names one of BLAST's formats (those are made only when asked for). */
    public static boolean isArtifact(String artifact) {
        for (BlastFormat format : values()) {
            if (format.artifact().equals(artifact)) {
                return true;
            }
        }
        return false;
    }

    /** The formats a search by {@code program} gets, in the order they are built. */
    public static List<BlastFormat> forProgram(String program) {
        return List.of(values()).stream().filter(format -> format.supports(program)).toList();
    }
}
