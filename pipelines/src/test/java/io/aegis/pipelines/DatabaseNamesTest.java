package io.aegis.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseNamesTest {

    @Test
    void aNameIsLettersDigitsDotsUnderscoresAndDashesStartingWithALetterOrDigit() {
        assertThat(DatabaseNames.valid("demo")).isTrue();
        assertThat(DatabaseNames.valid("swissprot_2026-12.v1")).isTrue();
        assertThat(DatabaseNames.valid("9")).isTrue();
        assertThat(DatabaseNames.valid("x".repeat(64))).isTrue();
    }

    @Test
    void anythingElseIsRefused() {
        assertThat(DatabaseNames.valid(null)).isFalse();
        assertThat(DatabaseNames.valid("")).isFalse();
        assertThat(DatabaseNames.valid(".failed")).as("a leading dot would hide it among the worker's folders").isFalse();
        assertThat(DatabaseNames.valid("-rf")).isFalse();
        assertThat(DatabaseNames.valid("x".repeat(65))).isFalse();
        assertThat(DatabaseNames.valid("../etc")).isFalse();
        assertThat(DatabaseNames.valid("a b")).isFalse();
        assertThat(DatabaseNames.valid("nr\u0000")).isFalse();
    }
}
