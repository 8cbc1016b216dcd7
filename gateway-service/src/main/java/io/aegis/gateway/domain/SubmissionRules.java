package io.aegis.gateway.domain;

import io.aegis.events.JobSubmission;
import io.aegis.events.Problem;
import io.aegis.events.ProblemException;
import io.aegis.pipelines.InvalidParameter;
import io.aegis.pipelines.ParameterRules;
import io.aegis.pipelines.PipelineDefinition;
import io.aegis.pipelines.Pipelines;
import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaException;
import io.aegis.sequences.FastaRecord;
import io.aegis.sequences.SequenceType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules a submission must meet before anything is stored: a known pipeline and database,
 * parameters the pipeline accepts (checked by the pipeline's own definition, the same rules the
 * worker applies), parseable FASTA within the limits, and queries whose alphabet fits the chosen
 * program. Every violation is a 400 problem with a stable code naming the field.
 */
public final class SubmissionRules {

    public record Limits(long maxFastaBytes, int maxSequences, int maxSequenceLength, int maxIdLength) {
    }

    public static final String DEFAULT_PIPELINE = "blast";
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
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
        if (database == null || !DATABASE.matcher(database).matches()) {
            throw invalid("INVALID_PARAMETER", "database", "A database name (letters, digits, '.', '_', '-') is required.");
        }
        if (databases.isPresent()) {
            KnownDatabase known = databases.get().get(database);
            if (known == null) {
                throw invalid("UNKNOWN_DATABASE", "database", "There is no database '" + database + "'; available: "
                        + String.join(", ", databases.get().keySet().stream().sorted().toList()) + ".");
            }
            if (params.database() != null && known.type() != params.database()) {
                throw invalid("DATABASE_TYPE_MISMATCH", "database", chosen(pipeline, params) + " searches "
                        + lower(params.database()) + " databases; '" + database + "' is " + lower(known.type()) + ".");
            }
        }
        if (request.name() != null && request.name().length() > MAX_NAME) {
            throw invalid("INVALID_PARAMETER", "name", "A job name has at most " + MAX_NAME + " characters.");
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
        FastaRecord mismatch = params.query() == null ? null : params.query().firstMismatch(records);
        if (mismatch != null) {
            throw invalid("ALPHABET_MISMATCH", "fasta", chosen(pipeline, params) + " needs " + lower(params.query())
                    + " queries; '" + mismatch.id() + "' looks " + lower(SequenceType.of(mismatch.sequence())) + ".");
        }
        long residues = records.stream().mapToLong(FastaRecord::length).sum();
        return new JobSubmission(blankToNull(request.name()), blankToNull(request.fileName()), pipeline.name(), database,
                params.values(), Fasta.write(records), records.size(), residues,
                databases.map(known -> known.get(database).version()).orElse(null), request.reuse());
    }

    /** What a user chose that decides the alphabets: the program, or the pipeline itself. */
    private static String chosen(PipelineDefinition pipeline, ParameterRules.Resolved params) {
        Object program = params.values().get("program");
        return program != null ? program.toString() : "Pipeline " + pipeline.name();
    }

    private static ProblemException invalid(String code, String field, String detail) {
        return new ProblemException(Problem.of(400, code, "Invalid job", detail)
                .withErrors(List.of(new Problem.FieldError(field, detail))));
    }

    private static String lower(SequenceType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private SubmissionRules() {
    }
}
