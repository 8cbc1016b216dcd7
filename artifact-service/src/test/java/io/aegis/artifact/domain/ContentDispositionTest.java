package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentDispositionTest {

    @Test
    void anOrdinaryNameIsKeptAsIs() {
        assertThat(ContentDisposition.attachment("hits.tsv"))
                .isEqualTo("attachment; filename=\"hits.tsv\"; filename*=UTF-8''hits.tsv");
    }

    @Test
    void pathsNeverReachTheHeader() {
        assertThat(ContentDisposition.attachment("../../etc/passwd")).contains("filename=\"passwd\"");
        assertThat(ContentDisposition.attachment("..\\..\\boot.ini")).contains("filename=\"boot.ini\"");
        assertThat(ContentDisposition.attachment("..")).contains("filename=\"download\"");
    }

    @Test
    void lineBreaksAndQuotesCannotInjectHeadersOrParameters() {
        String header = ContentDisposition.attachment("a\r\nSet-Cookie: x=1\".tsv");
        assertThat(header).doesNotContain("\r").doesNotContain("\n");
        assertThat(header).startsWith("attachment; filename=\"aSet-Cookie: x=1_.tsv\"");
        assertThat(ContentDisposition.attachment("a;b.tsv")).contains("filename=\"a_b.tsv\"").contains("a%3Bb.tsv");
    }

    @Test
    void unicodeIsCarriedInTheExtendedParameter() {
        assertThat(ContentDisposition.attachment("résumé ✓.tsv"))
                .contains("filename=\"r_sum_ _.tsv\"")
                .contains("filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%9C%93.tsv");
    }

    @Test
    void contentTypesFollowTheExtension() {
        assertThat(ContentTypes.of("hits.tsv")).isEqualTo("text/tab-separated-values");
        assertThat(ContentTypes.of("run.log")).isEqualTo("text/plain");
        assertThat(ContentTypes.of("manifest.json")).isEqualTo("application/json");
        assertThat(ContentTypes.of("blob")).isEqualTo("application/octet-stream");
    }
}
