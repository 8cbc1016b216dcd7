package io.aegis.gateway.domain;

import io.aegis.contracts.http.JobSubmission;
import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.ControlCharacters;
import io.aegis.pipelines.AlphabetRules;
import io.aegis.pipelines.DatabaseNames;
import io.aegis.pipelines.InvalidParameter;
import io.aegis.pipelines.ParameterRules;
import io.aegis.pipelines.PipelineDefinition;
import io.aegis.pipelines.Pipelines;
import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaException;
import io.aegis.sequences.FastaRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules a submission must meet before anything is stored: a known pipeline and database,
 * parameters the pipeline accepts (checked by the pipeline's own definition, the same rules the
 * worker applies), parseable FASTA within the limits, and a database and queries that fit the chosen
 * program ({@link AlphabetRules}, which the worker applies too). Every violation is a 400 problem with a
 * stable code naming the field.
 */
public final class SubmissionRules {

    public record Limits(long maxFastaBytes, int maxSequences, int maxSequenceLength, int maxIdLength) {
    }

    public static final String DEFAULT_PIPELINE = "blast";
    private static final int MAX_NAME = 200;

    /**
     * @param databases every known database, or empty when the catalog could not be read (the
     *                  worker then checks the database itself, and the job is not matched for reuse)
     */
    public static JobSubmission validate(SubmitRequest request, Limits limits, Pipelines pipelines,
                                         Optional<Map<String, KnownDatabase>> databases) {
        String name = request.pipeline() == null || request.pipeline().isBlank() ? DEFAULT_PIPELINE : request.pipeline();
        PipelineDefinition pipeline = pipelines.find(name).orElseThrow(() -> invalid("UNKNOWN_PIPELINE", "pipeline",
                "Unknown pipeline '" + name + "'; available: " + String.join(", ", pipelines.names()) + "."));
        ParameterRules.Resolved params;
        try {
            params = ParameterRules.resolve(pipeline, request.params());
        } catch (InvalidParameter e) {
            throw invalid("INVALID_PARAMETER", e.field(), e.getMessage());
        }
        String database = request.database();
        if (!DatabaseNames.valid(database)) {
            throw invalid("INVALID_PARAMETER", "database", "A database name (" + DatabaseNames.RULE + ") is required.");
        }
        if (databases.isPresent()) {
            KnownDatabase known = databases.get().get(database);
            if (known == null) {
                throw invalid("UNKNOWN_DATABASE", "database", "There is no database '" + database + "'; available: "
                        + String.join(", ", databases.get().keySet().stream().sorted().toList()) + ".");
            }
            AlphabetRules.database(pipeline, params, database, known.type()).ifPresent(SubmissionRules::refuse);
        }
        if (request.name() != null && request.name().length() > MAX_NAME) {
            throw invalid("INVALID_PARAMETER", "name", "A job name has at most " + MAX_NAME + " characters.");
        }
        // shown in every list of jobs: no terminal escape or line break
        if (request.name() != null && ControlCharacters.in(request.name())) {
            throw invalid("INVALID_PARAMETER", "name", "A job name may not hold control characters.");
        }
        if (request.fileName() != null && ControlCharacters.in(request.fileName())) {
            throw invalid("INVALID_PARAMETER", "file", "The file's name may not hold control characters.");
        }
        String fasta = request.fasta();
        if (fasta == null || fasta.isBlank()) {
            throw invalid("INVALID_FASTA", "fasta", "No FASTA was sent.");
        }
        if (fasta.getBytes(StandardCharsets.UTF_8).length > limits.maxFastaBytes()) {
            throw invalid("INPUT_TOO_LARGE", "fasta", "The FASTA is larger than " + limits.maxFastaBytes() + " bytes.");
        }
        List<FastaRecord> records;
        try {
            records = Fasta.parse(fasta, new Fasta.Limits(limits.maxSequences(), limits.maxSequenceLength(), limits.maxIdLength()));
        } catch (FastaException e) {
            throw invalid(e.code(), "fasta", e.getMessage());
        }
        AlphabetRules.queries(pipeline, params, records).ifPresent(SubmissionRules::refuse);
        long residues = records.stream().mapToLong(FastaRecord::length).sum();
        return new JobSubmission(blankToNull(request.name()), blankToNull(request.fileName()), pipeline.name(), database,
                params.values(), Fasta.write(records), records.size(), residues,
                databases.map(known -> known.get(database).version()).orElse(null), request.reuse());
    }

    private static void refuse(AlphabetRules.Mismatch mismatch) {
        throw invalid(mismatch.code(), mismatch.field(), mismatch.message());
    }

    /** The refusal of a JSON body that does not parse. */
    public static ProblemException notJson() {
        return new ProblemException(400, "INVALID_REQUEST", "Invalid job",
                "The body is not JSON; send a JSON object with fasta and database.");
    }

    /**
     * The refusal of a JSON body whose {@code field} has a type a job does not take ({@code params} a
     * string, {@code fasta} an object), or, with {@code field} empty, that is no JSON object at all
     * (an array, a string, null), with the code a bad value of that field has.
     */
    public static ProblemException mistyped(String field) {
        if (field.isEmpty()) {
            return new ProblemException(400, "INVALID_REQUEST", "Invalid job", "Send a JSON object with fasta and database.");
        }
        String top = field.split("[.\\[]", 2)[0];
        return switch (top) {
            case "fasta" -> invalid("INVALID_FASTA", "fasta", "fasta must be the FASTA text, a string.");
            case "params" -> invalid("INVALID_PARAMETER", field, "params must be a JSON object of parameters.");
            case "reuse" -> invalid("INVALID_PARAMETER", "reuse", "reuse must be true or false.");
            default -> invalid("INVALID_PARAMETER", field, top + " must be a string.");
        };
    }

    private static ProblemException invalid(String code, String field, String detail) {
        return new ProblemException(Problem.of(400, code, "Invalid job", detail)
                .withErrors(List.of(new Problem.FieldError(field, detail))));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private SubmissionRules() {
    }
}
