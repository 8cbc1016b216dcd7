package io.aegis.gateway.domain;

import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.JobStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * NCBI's BLAST URL API ({@code Blast.cgi}) as Biopython's {@code NCBIWWW.qblast} speaks it, mapped onto
 * Aegis jobs of the {@code blast} pipeline: the rules, apart from any I/O.
 *
 * <p>What qblast (Biopython 1.80) does, and what this answers:
 * <ul>
 * <li>{@code CMD=Put} (a POST form) with {@code PROGRAM}, {@code DATABASE}, {@code QUERY}, {@code EXPECT}
 *     (10.0 unless given), {@code HITLIST_SIZE} (50), {@code ENTREZ_QUERY} ({@code (none)}) and whatever else
 *     the script set. It reads {@code RID = …} and {@code RTOE = …}, each up to the end of its line, from a
 *     {@code 2xx} answer ({@link #submitted}); any other status raises urllib's {@code HTTPError}. The RID
 *     is the job's id.</li>
 * <li>{@code CMD=Get} with the RID, {@code FORMAT_TYPE=XML} and no {@code FORMAT_OBJECT}, polled at once
 *     and then every 20 s (for a server other than NCBI's; RTOE is not read). A body holding
 *     {@code Status=} is a waiting page unless the status is {@code READY}; a body without it is the
 *     result. {@code Status=FAILED} or {@code UNKNOWN} would be polled forever, so a failed or
 *     cancelled job, and an unknown RID, are HTTP errors here ({@link Poll.Ended}, {@code 404}), which end
 *     the script with an {@code HTTPError} whose reason phrase says why ({@link #reason}).</li>
 * <li>{@code FORMAT_OBJECT=SearchInfo}, as other clients of the URL API poll, answers
 *     {@code Status=WAITING} or {@code Status=READY} with {@code ThereAreHits=yes|no} ({@link #searchInfo}).</li>
 * </ul>
 */
public final class QBlast {

    /** Where the endpoint is; {@code url_base} of qblast is the gateway's address and this. */
    public static final String PATH = "/blast/Blast.cgi";
    /** The pipeline qblast's searches run as. */
    public static final String PIPELINE = "blast";
    /** The artifact a finished job's results are served from: BLAST's XML (outfmt 5), made from BLAST's archive. */
    public static final String XML_ARTIFACT = "hits.xml";
    /** The artifact built last: once it is ready, every artifact the job will have is there. */
    static final String LAST_ARTIFACT = "manifest.json";
    /** What {@code RTOE} says: a hint in seconds. qblast does not read it; it polls every 20 s. */
    public static final int RTOE_SECONDS = 10;
    /** The name a job gets when the script gives no {@code JOB_TITLE}. */
    static final String DEFAULT_NAME = "qblast";
    /** The name of a query sent as a bare sequence, as NCBI names it. */
    static final String BARE_QUERY_ID = "Query_1";

    /** qblast's parameters that set a search parameter of the {@code blast} pipeline, and which. */
    static final Map<String, String> PARAMETERS = Map.of(
            "EXPECT", "evalue",
            "HITLIST_SIZE", "max_target_seqs",
            "MATRIX_NAME", "matrix",
            "WORD_SIZE", "word_size",
            "PERC_IDENT", "perc_identity",
            "COMPOSITION_BASED_STATISTICS", "comp_based_stats");
    /**
     * Parameters that do not change what is searched or found, taken and not used: how NCBI's pages are
     * laid out and formatted, who the caller is ({@code email}, {@code tool}), and those read elsewhere.
     */
    static final Set<String> NOT_USED = Set.of("CMD", "PROGRAM", "DATABASE", "QUERY", "JOB_TITLE", "RID",
            "AUTO_FORMAT", "LAYOUT", "QUERY_BELIEVE_DEFLINE", "EMAIL", "TOOL", "FORMAT_TYPE", "FORMAT_OBJECT",
            "ALIGNMENTS", "DESCRIPTIONS", "ALIGNMENT_VIEW", "NCBI_GI", "SHOW_OVERVIEW", "ENTREZ_LINKS_NEW_WINDOW",
            "FORMAT_ENTREZ_QUERY", "RESULTS_FILE", "EXPECT_LOW", "EXPECT_HIGH");
    /** Parameters taken only at the value that changes nothing (qblast sends {@code ENTREZ_QUERY=(none)} always). */
    static final Map<String, Set<String>> ONLY_NEUTRAL = Map.of(
            "ENTREZ_QUERY", Set.of("(none)"),
            "SERVICE", Set.of("plain"));

    private static final Pattern RID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern NOT_SEQUENCE = Pattern.compile("[\\s0-9]+");

    /** What a request asks for. */
    public enum Command { PUT, GET }

    /** What a {@code CMD=Get} asks for: the search's state, or its results. */
    public enum Format { SEARCH_INFO, XML }

    /** An artifact of a job as artifact-service lists it. */
    public record Artifact(String name, String state, String error) {
    }

    /** Where a job stands for a poll. */
    public sealed interface Poll {

        /** Not finished, or its XML not built yet: the waiting page. */
        record Waiting() implements Poll {
        }

        /** Finished and its XML ready. */
        record Ready() implements Poll {
        }

        /** Finished, and its XML (made only when asked for) not asked for yet: ask for it, then the waiting page. */
        record Ask() implements Poll {
        }

        /** It will never be ready: an HTTP error that says why. */
        record Ended(ProblemException why) implements Poll {
        }
    }

    /**
     * The request's parameters, form and query alike, by upper-cased name (NCBI's names are upper case;
     * qblast's {@code email} and {@code tool} are not), the first value of each, blank values left out.
     */
    public static Map<String, String> parameters(Iterable<Map.Entry<String, String>> sent) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : sent) {
            if (entry.getValue() != null && !entry.getValue().isBlank()) {
                parameters.putIfAbsent(entry.getKey().toUpperCase(Locale.ROOT), entry.getValue());
            }
        }
        return parameters;
    }

    public static Command command(Map<String, String> parameters) {
        String cmd = parameters.get("CMD");
        if (cmd != null) {
            switch (cmd.strip().toLowerCase(Locale.ROOT)) {
                case "put" -> {
                    return Command.PUT;
                }
                case "get" -> {
                    return Command.GET;
                }
                default -> {
                    // refused below
                }
            }
        }
        throw invalid("UNKNOWN_COMMAND", "CMD", "CMD must be Put (submit a search) or Get (its state or results)"
                + (cmd == null ? "." : "; not '" + printable(cmd, 40) + "'."));
    }

    /**
     * The job a {@code CMD=Put} submits: the {@code blast} pipeline with {@code PROGRAM}, on
     * {@code DATABASE}, the {@code QUERY} as FASTA (a bare sequence, whitespace and digits dropped, becomes
     * {@value #BARE_QUERY_ID}), and the {@link #PARAMETERS} as text, checked by the pipeline's rules as
     * any job's are. A parameter that would change the search but Aegis cannot honour is refused
     * ({@code UNSUPPORTED_PARAMETER}) rather than ignored: the results are never other than asked for.
     */
    public static SubmitRequest submission(Map<String, String> parameters) {
        Set<String> unsupported = new TreeSet<>();
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : parameters.entrySet()) {
            String name = entry.getKey();
            String mapped = PARAMETERS.get(name);
            if (mapped != null) {
                params.put(mapped, entry.getValue().strip());
            } else if (ONLY_NEUTRAL.containsKey(name)) {
                if (!ONLY_NEUTRAL.get(name).contains(entry.getValue().strip())) {
                    unsupported.add(name);
                }
            } else if (!NOT_USED.contains(name)) {
                unsupported.add(name);
            }
        }
        if (!unsupported.isEmpty()) {
            String first = unsupported.iterator().next();
            throw invalid("UNSUPPORTED_PARAMETER", first, "Aegis does not support " + String.join(", ", unsupported)
                    + " (it would change the search). Supported: PROGRAM, DATABASE, QUERY, JOB_TITLE, "
                    + String.join(", ", new TreeSet<>(PARAMETERS.keySet())) + ", ENTREZ_QUERY=(none), SERVICE=plain.");
        }
        String program = parameters.get("PROGRAM");
        if (program == null) {
            throw invalid("INVALID_PARAMETER", "PROGRAM", "PROGRAM is required: blastp, blastn, blastx, tblastn or tblastx.");
        }
        params.put("program", program.strip());
        String database = parameters.get("DATABASE");
        return new SubmitRequest(fasta(parameters.get("QUERY")), null, PIPELINE,
                database == null ? null : database.strip(), params,
                parameters.getOrDefault("JOB_TITLE", DEFAULT_NAME).strip(), null);
    }

    /** {@code QUERY} as FASTA: as sent when it is FASTA, else one bare sequence named {@value #BARE_QUERY_ID}. */
    static String fasta(String query) {
        if (query == null || query.isBlank()) {
            return null;
        }
        String text = query.strip();
        if (text.startsWith(">")) {
            return text + "\n";
        }
        return ">" + BARE_QUERY_ID + "\n" + NOT_SEQUENCE.matcher(text).replaceAll("") + "\n";
    }

    /** The RID a {@code CMD=Get} names. One that no job id could be is unknown, as any other RID no job of the caller's has. */
    public static String rid(Map<String, String> parameters) {
        String rid = parameters.get("RID");
        if (rid == null) {
            throw invalid("INVALID_PARAMETER", "RID", "RID is required: the RID the Put answered.");
        }
        rid = rid.strip();
        if (!RID.matcher(rid).matches()) {
            throw unknown();
        }
        return rid;
    }

    /** The answer to a RID that names no job of the caller's, as job-service answers for one: {@code 404}. */
    static ProblemException unknown() {
        return new ProblemException(404, "JOB_NOT_FOUND", "Job not found", "No job of yours has that RID.");
    }

    /** What a {@code CMD=Get} asks for: {@code FORMAT_OBJECT=SearchInfo}, or the alignment as XML (qblast's default). */
    public static Format format(Map<String, String> parameters) {
        String object = parameters.getOrDefault("FORMAT_OBJECT", "Alignment").strip();
        if (object.equalsIgnoreCase("SearchInfo")) {
            return Format.SEARCH_INFO;
        }
        String type = parameters.getOrDefault("FORMAT_TYPE", "XML").strip();
        if (!object.equalsIgnoreCase("Alignment")) {
            throw invalid("UNSUPPORTED_FORMAT", "FORMAT_OBJECT",
                    "FORMAT_OBJECT must be SearchInfo or Alignment; not '" + printable(object, 40) + "'.");
        }
        if (!type.equalsIgnoreCase("XML")) {
            throw invalid("UNSUPPORTED_FORMAT", "FORMAT_TYPE",
                    "Aegis serves the results as FORMAT_TYPE=XML (BLAST XML); not '" + printable(type, 40) + "'.");
        }
        return Format.XML;
    }

    /**
     * Where the job stands: waiting while it is queued or runs, and once it succeeded until its XML is
     * built; ready once the XML is; ended (an HTTP error) when it failed or was cancelled, or succeeded
     * but its XML failed or will never come (the job's artifacts are all built and the XML is not among
     * them, as for a job of another pipeline). Never a waiting page for a job that cannot become ready.
     */
    public static Poll poll(String rid, JobStatus status, String error, List<Artifact> artifacts) {
        return switch (status) {
            case QUEUED, RUNNING, CANCELLING -> new Poll.Waiting();
            case FAILED -> new Poll.Ended(ended(rid, status, "JOB_FAILED", "Job failed",
                    "Job " + rid + " failed" + (error == null || error.isBlank() ? "." : ": " + error)));
            case CANCELLED -> new Poll.Ended(ended(rid, status, "JOB_CANCELLED", "Job cancelled",
                    "Job " + rid + " was cancelled."));
            case SUCCEEDED -> {
                Optional<Artifact> xml = artifacts.stream().filter(a -> XML_ARTIFACT.equals(a.name())).findFirst();
                if (xml.isPresent() && "ready".equals(xml.get().state())) {
                    yield new Poll.Ready();
                }
                if (xml.isPresent() && "on_request".equals(xml.get().state())) {
                    yield new Poll.Ask();
                }
                if (xml.isPresent() && Set.of("failed", "missing").contains(xml.get().state())) {
                    yield new Poll.Ended(ended(rid, status, "RESULTS_UNAVAILABLE", "Results unavailable",
                            "The BLAST XML of job " + rid + " is " + xml.get().state()
                                    + (xml.get().error() == null ? "." : ": " + xml.get().error())));
                }
                boolean allBuilt = artifacts.stream()
                        .anyMatch(a -> LAST_ARTIFACT.equals(a.name()) && "ready".equals(a.state()));
                yield xml.isEmpty() && allBuilt
                        ? new Poll.Ended(ended(rid, status, "RESULTS_UNAVAILABLE", "Results unavailable",
                                "Job " + rid + " has no BLAST XML (" + XML_ARTIFACT + ")."))
                        : new Poll.Waiting();
            }
        };
    }

    private static ProblemException ended(String rid, JobStatus status, String code, String title, String detail) {
        return new ProblemException(Problem.of(409, code, title, detail).withJobStatus(status));
    }

    /** The answer to a Put: the RID and RTOE in NCBI's {@code QBlastInfo} block. */
    public static String submitted(String rid) {
        return "<!--QBlastInfoBegin\n    RID = " + rid + "\n    RTOE = " + RTOE_SECONDS + "\nQBlastInfoEnd\n-->\n";
    }

    /** The waiting page, as NCBI answers a poll of an unfinished search. */
    public static String waiting() {
        return "<!--QBlastInfoBegin\n\tStatus=WAITING\nQBlastInfoEnd\n-->\n";
    }

    /** The state of a finished search ({@code FORMAT_OBJECT=SearchInfo}): ready, and whether it found anything. */
    public static String searchInfo(boolean hits) {
        return "<!--QBlastInfoBegin\n\tStatus=READY\nQBlastInfoEnd\n-->\n"
                + "<!--QBlastInfoBegin\n\tThereAreHits=" + (hits ? "yes" : "no") + "\nQBlastInfoEnd\n-->\n";
    }

    /**
     * The reason phrase of an error answer: its code and detail ({@code JOB_FAILED: Job … failed: …}).
     * urllib puts the reason phrase in its {@code HTTPError}'s message, which is what a qblast script's
     * user reads. Printable ASCII only, a line of at most 300 characters, as HTTP/1.1 allows it.
     */
    public static String reason(Problem problem) {
        String text = problem.code() == null ? problem.title()
                : problem.code() + (problem.detail() == null ? "" : ": " + problem.detail());
        return printable(text == null ? "Error" : text, 300);
    }

    private static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : c == '\n' || c == '\t' ? ' ' : '?');
        }
        return out.toString();
    }

    private static ProblemException invalid(String code, String field, String detail) {
        return new ProblemException(Problem.of(400, code, "Invalid request", detail)
                .withErrors(List.of(new Problem.FieldError(field, detail))));
    }

    private QBlast() {
    }
}
