package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSanitizerTest {

    @Test
    void colourAndCursorSequencesAreStripped() {
        assertThat(LogSanitizer.sanitize("\u001B[1;31mError\u001B[0m: bad \u001B[2K\u001B[1Gline"))
                .isEqualTo("Error: bad line");
    }

    @Test
    void oscTitlesAndHyperlinksAreStrippedButTheirTextStays() {
        assertThat(LogSanitizer.sanitize("\u001B]0;my title\u0007done")).isEqualTo("done");
        assertThat(LogSanitizer.sanitize("see \u001B]8;;http://x\u001B\\link\u001B]8;;\u001B\\ here"))
                .isEqualTo("see link here");
    }

    @Test
    void controlCharactersGoButTabsStay() {
        assertThat(LogSanitizer.sanitize("a\u0000b\rc\td\u0008")).isEqualTo("abc\td");
    }

    @Test
    void secretsAreMasked() {
        assertThat(LogSanitizer.sanitize("Authorization: Bearer eyJhbGciOi.abc.def"))
                .isEqualTo("Authorization: Bearer ***").doesNotContain("eyJ");
        assertThat(LogSanitizer.sanitize("fetching https://user:hunter2@db.example.org/x"))
                .isEqualTo("fetching https://user:***@db.example.org/x");
        assertThat(LogSanitizer.sanitize("GET https://acct.blob.core.windows.net/c/f?sv=2020&sig=abc%2Bdef&se=1"))
                .contains("sig=***").doesNotContain("abc%2Bdef").contains("se=1");
        assertThat(LogSanitizer.sanitize("key AKIAIOSFODNN7EXAMPLE used")).isEqualTo("key *** used");
        assertThat(LogSanitizer.sanitize("password=s3cret token: 'abc def' api_key=XYZ"))
                .isEqualTo("password=*** token: *** api_key=***");
    }

    @Test
    void ordinaryBlastOutputIsLeftAlone() {
        String line = "Warning: [blastp] Query_1 T01: Could not calculate ungapped Karlin-Altschul parameters";
        assertThat(LogSanitizer.sanitize(line)).isEqualTo(line);
    }

    @Test
    void hugeLinesAreCut() {
        assertThat(LogSanitizer.sanitize("x".repeat(10_000))).hasSize(4097);
    }
}
