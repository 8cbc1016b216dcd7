package io.aegis.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.contracts.http.JobSubmission;
import io.aegis.contracts.problem.Problem;
import io.aegis.contracts.problem.ProblemException;
import io.aegis.pipelines.Pipelines;
import io.aegis.sequences.SequenceType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubmissionRulesTest {

    private static final SubmissionRules.Limits LIMITS = new SubmissionRules.Limits(10_000, 3, 50, 20);
    private static final Optional<Map<String, KnownDatabase>> CATALOG = Optional.of(Map.of(
            "demo", new KnownDatabase(SequenceType.PROTEIN, "v1"), "nt", new KnownDatabase(SequenceType.NUCLEOTIDE, "v7")));
    private static final Pipelines PIPELINES = Pipelines.load(Optional.empty());
    private static final String PROTEINS = ">q1 first\nMKTAYIAKQR\nQISFVK\n>q2\nMSTNPKPQRK\n";

    private static SubmitRequest request(String fasta, String database, Map<String, Object> params) {
        return new SubmitRequest(fasta, "q.fasta", null, database, params, "my job", null);
    }

    private static String code(SubmitRequest request) {
        try {
            SubmissionRules.validate(request, LIMITS, PIPELINES, CATALOG);
        } catch (ProblemException e) {
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().errors()).isNotEmpty();
            return e.problem().code();
        }
        throw new AssertionError("accepted: " + request);
    }

    @Test
    void aValidSubmissionIsNormalizedAndCounted() {
        JobSubmission job = SubmissionRules.validate(request(PROTEINS, "demo", Map.of("program", "blastp", "evalue", 1e-5)),
                LIMITS, PIPELINES, CATALOG);
        assertThat(job.pipeline()).isEqualTo("blast");
        assertThat(job.sequenceCount()).isEqualTo(2);
        assertThat(job.residueCount()).isEqualTo(26);
        assertThat(job.fasta()).isEqualTo(">q1 first\nMKTAYIAKQRQISFVK\n>q2\nMSTNPKPQRK\n");
        assertThat(job.params()).containsEntry("program", "blastp").containsEntry("evalue", 1e-5);
        assertThat(job.fileName()).isEqualTo("q.fasta");
        assertThat(job.databaseVersion()).isEqualTo("v1");
        assertThat(job.reuseAllowed()).isTrue();
    }

    @Test
    void theSubmitterCanOptOutOfResultReuse() {
        SubmitRequest fresh = new SubmitRequest(PROTEINS, null, null, "demo", null, null, false);
        assertThat(SubmissionRules.validate(fresh, LIMITS, PIPELINES, CATALOG).reuseAllowed()).isFalse();
    }

    @Test
    void theProgramTaskAndEvalueDefaultToBlastsOwnSoTheStoredParametersSayWhatRuns() {
        assertThat(SubmissionRules.validate(request(PROTEINS, "demo", null), LIMITS, PIPELINES, CATALOG).params())
                .isEqualTo(Map.of("program", "blastp", "task", "blastp", "evalue", 10.0));
    }

    @Test
    void translatedSearchesTakeTheOtherAlphabet() {
        String dna = ">g1\nATGGCGTACGTTAGCATGCAAGCT\n";
        assertThat(SubmissionRules.validate(request(dna, "demo", Map.of("program", "blastx")), LIMITS, PIPELINES, CATALOG)
                .params()).containsEntry("program", "blastx");
        assertThat(SubmissionRules.validate(request(PROTEINS, "nt", Map.of("program", "tblastn")), LIMITS, PIPELINES,
                CATALOG).database()).isEqualTo("nt");
        assertThat(code(request(dna, "demo", Map.of("program", "tblastx")))).isEqualTo("DATABASE_TYPE_MISMATCH");
        assertThat(code(request(PROTEINS, "nt", Map.of("program", "tblastx")))).isEqualTo("ALPHABET_MISMATCH");
    }

    @Test
    void eachBadInputHasItsCode() {
        assertThat(code(request("just text", "demo", null))).isEqualTo("INVALID_FASTA");
        assertThat(code(request("", "demo", null))).isEqualTo("INVALID_FASTA");
        assertThat(code(request(">a\n>b\nMK\n", "demo", null))).isEqualTo("INVALID_FASTA");
        assertThat(code(request(">dna\nACGTACGTACGTACGTAAAC\n", "demo", null))).isEqualTo("ALPHABET_MISMATCH");
        assertThat(code(request(PROTEINS, "nt", Map.of("program", "blastn")))).isEqualTo("ALPHABET_MISMATCH");
        assertThat(code(request(">a\nM\n>b\nM\n>c\nM\n>d\nM\n", "demo", null))).isEqualTo("TOO_MANY_SEQUENCES");
        assertThat(code(request(">a\n" + "M".repeat(51) + "\n", "demo", null))).isEqualTo("SEQUENCE_TOO_LONG");
        assertThat(code(request(">" + "q".repeat(21) + "\nMKT\n", "demo", null))).isEqualTo("ID_TOO_LONG");
        assertThat(code(request(">a\n" + "M".repeat(10_001) + "\n", "demo", null))).isEqualTo("INPUT_TOO_LARGE");
        assertThat(code(request(PROTEINS, "nope", null))).isEqualTo("UNKNOWN_DATABASE");
        assertThat(code(request(PROTEINS, "../etc", null))).isEqualTo("INVALID_PARAMETER");
        assertThat(code(request(PROTEINS, "nt", null))).isEqualTo("DATABASE_TYPE_MISMATCH");
        assertThat(code(new SubmitRequest(PROTEINS, null, "hmmer", "demo", null, null, null))).isEqualTo("UNKNOWN_PIPELINE");
    }

    @Test
    void aQueryWithoutAResidueLetterOrWithAControlCharacterInItsIdIsRefused() {
        assertThat(code(request(">stop\n*\n", "demo", null))).isEqualTo("INVALID_FASTA");
        assertThat(code(request(">q1\u001B[31m\nMKTAYIAKQR\n", "demo", null))).isEqualTo("INVALID_FASTA");
    }

    @Test
    void aJobOrFileNameHoldingAControlCharacterIsRefusedNamingTheField() {
        SubmitRequest escaped = new SubmitRequest(PROTEINS, null, null, "demo", null, "run \u001B[2J", null);
        SubmitRequest brokenLine = new SubmitRequest(PROTEINS, "q\r\n.fasta", null, "demo", null, null, null);
        assertThat(code(escaped)).isEqualTo("INVALID_PARAMETER");
        assertThat(code(brokenLine)).isEqualTo("INVALID_PARAMETER");
        assertThatThrownBy(() -> SubmissionRules.validate(brokenLine, LIMITS, PIPELINES, CATALOG))
                .isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.problem().errors().getFirst().field()).isEqualTo("file"));
    }

    @Test
    void aBodyOfTheWrongShapeGetsTheCodeOfTheFieldItGotWrong() {
        assertThat(SubmissionRules.mistyped("").problem().code()).isEqualTo("INVALID_REQUEST");
        assertThat(SubmissionRules.mistyped("fasta").problem().code()).isEqualTo("INVALID_FASTA");
        assertThat(SubmissionRules.mistyped("params").problem().errors().getFirst())
                .isEqualTo(new Problem.FieldError("params", "params must be a JSON object of parameters."));
        assertThat(SubmissionRules.mistyped("reuse").problem().code()).isEqualTo("INVALID_PARAMETER");
        assertThat(SubmissionRules.mistyped("name").problem().detail()).isEqualTo("name must be a string.");
        assertThat(SubmissionRules.notJson().problem().code()).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void unknownAndOutOfRangeParametersAreNamed() {
        Map<String, Object> unknown = new HashMap<>(Map.of("program", "blastp", "colour", 3));
        assertThatThrownBy(() -> SubmissionRules.validate(request(PROTEINS, "demo", unknown), LIMITS, PIPELINES, CATALOG))
                .isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.problem().errors().getFirst().field()).isEqualTo("params.colour"));
        assertThat(code(request(PROTEINS, "demo", Map.of("program", "blastz")))).isEqualTo("INVALID_PARAMETER");
        assertThat(code(request(PROTEINS, "demo", Map.of("word_size", 9)))).isEqualTo("INVALID_PARAMETER");
        assertThat(code(request(PROTEINS, "nt", Map.of("program", "blastn", "matrix", "BLOSUM62"))))
                .isEqualTo("INVALID_PARAMETER");
        assertThat(code(request(PROTEINS, "demo", Map.of("evalue", -1)))).isEqualTo("INVALID_PARAMETER");
        assertThat(code(request(PROTEINS, "demo", Map.of("evalue", "lots")))).isEqualTo("INVALID_PARAMETER");
        assertThat(code(request(PROTEINS, "demo", Map.of("max_target_seqs", 0)))).isEqualTo("INVALID_PARAMETER");
        assertThat(code(request(PROTEINS, "demo", Map.of("max_target_seqs", 2.5)))).isEqualTo("INVALID_PARAMETER");
        assertThat(SubmissionRules.validate(request(PROTEINS, "demo", Map.of("max_target_seqs", "50")), LIMITS, PIPELINES, CATALOG)
                .params()).containsEntry("max_target_seqs", 50L);
    }

    @Test
    void withoutACatalogTheDatabaseIsLeftToTheWorker() {
        assertThat(SubmissionRules.validate(request(PROTEINS, "anything", null), LIMITS, PIPELINES, Optional.empty()).database())
                .isEqualTo("anything");
    }
}
