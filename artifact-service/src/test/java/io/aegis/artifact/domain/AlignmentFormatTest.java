package io.aegis.artifact.domain;

import static io.aegis.artifact.domain.AlignmentFormat.JSON;
import static io.aegis.artifact.domain.AlignmentFormat.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AlignmentFormatTest {

    @Test
    void theFormatParameterWinsOverAccept() {
        assertThat(AlignmentFormat.of("text", "application/json")).contains(TEXT);
        assertThat(AlignmentFormat.of("json", "text/plain")).contains(JSON);
        assertThat(AlignmentFormat.of("xml", null)).isEmpty();
    }

    @Test
    void acceptChoosesTextOnlyWhenItPrefersIt() {
        assertThat(AlignmentFormat.of(null, null)).contains(JSON);
        assertThat(AlignmentFormat.of(null, "*/*")).contains(JSON);
        assertThat(AlignmentFormat.of(null, "text/plain")).contains(TEXT);
        assertThat(AlignmentFormat.of(null, "text/plain, */*;q=0.1")).contains(TEXT);
        assertThat(AlignmentFormat.of(null, "application/json, text/plain")).contains(JSON);
        assertThat(AlignmentFormat.of(null, "application/json;q=0.5, text/plain;q=0.9")).contains(TEXT);
        assertThat(AlignmentFormat.of(null, "text/*")).contains(TEXT);
    }
}
