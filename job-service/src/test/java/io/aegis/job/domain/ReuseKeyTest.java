package io.aegis.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.contracts.http.JobSubmission;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReuseKeyTest {

    private static JobSubmission submission(String fasta, String version, Map<String, Object> params) {
        return new JobSubmission("n", "f.fasta", "blast", "demo", params, fasta, 1, 5, version, null);
    }

    @Test
    void sameInputPipelineDatabaseVersionAndParamsMatchWhateverTheNameOrParamOrder() {
        ReuseKey a = ReuseKey.of(submission(">q\nMKV\n", "v1", Map.of("program", "blastp", "evalue", 1e-5)));
        ReuseKey b = ReuseKey.of(new JobSubmission("other", null, "blast", "demo",
                new java.util.TreeMap<>(Map.of("evalue", 0.00001, "program", "blastp")), ">q\nMKV\n", 1, 5, "v1", false));
        assertThat(a.key()).isNotNull().isEqualTo(b.key());
        assertThat(a.inputDigest()).hasSize(64);
    }

    @Test
    void anyDifferenceInInputVersionOrParamsIsAnotherComputation() {
        ReuseKey base = ReuseKey.of(submission(">q\nMKV\n", "v1", Map.of("program", "blastp")));
        assertThat(ReuseKey.of(submission(">q\nMKW\n", "v1", Map.of("program", "blastp"))).key()).isNotEqualTo(base.key());
        assertThat(ReuseKey.of(submission(">q\nMKV\n", "v2", Map.of("program", "blastp"))).key()).isNotEqualTo(base.key());
        assertThat(ReuseKey.of(submission(">q\nMKV\n", "v1", Map.of("program", "blastp", "evalue", 1))).key())
                .isNotEqualTo(base.key());
    }

    @Test
    void anUnknownDatabaseVersionIsNeverMatched() {
        assertThat(ReuseKey.of(submission(">q\nMKV\n", null, Map.of())).key()).isNull();
    }
}
