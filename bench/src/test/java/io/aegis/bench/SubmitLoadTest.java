package io.aegis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubmitLoadTest {

    @Test
    void everySubmittedJobIsDistinct() {
        assertThat(SubmitLoad.job(1).get("fasta")).isNotEqualTo(SubmitLoad.job(2).get("fasta"));
        assertThat(SubmitLoad.job(19).get("fasta")).isNotEqualTo(SubmitLoad.job(20).get("fasta"));
    }
}
