package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompressionTest {

    @Test
    void textJsonAndTsvAreCompressedArchivesAndBinariesAreNot() {
        assertThat(Compression.compressible("text/tab-separated-values", "hits.tsv")).isTrue();
        assertThat(Compression.compressible("text/plain; charset=utf-8", "run.log")).isTrue();
        assertThat(Compression.compressible("application/json", "summary.json")).isTrue();
        assertThat(Compression.compressible("application/gzip", "log-0001.txt.gz")).isFalse();
        assertThat(Compression.compressible("text/plain", "log-0001.txt.gz")).as("by its name").isFalse();
        assertThat(Compression.compressible("application/octet-stream", "blob")).isFalse();
        assertThat(Compression.compressible(null, "x.txt")).isFalse();
    }

    @Test
    void gzipIsTakenWhenNamedOrMatchedWithAWeightAboveZero() {
        assertThat(Compression.acceptsGzip("gzip")).isTrue();
        assertThat(Compression.acceptsGzip("gzip, deflate, br")).isTrue();
        assertThat(Compression.acceptsGzip("br;q=1.0, GZIP;q=0.5")).isTrue();
        assertThat(Compression.acceptsGzip("x-gzip")).isTrue();
        assertThat(Compression.acceptsGzip("*")).isTrue();
        assertThat(Compression.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(Compression.acceptsGzip("*, gzip;q=0")).isFalse();
        assertThat(Compression.acceptsGzip("identity")).isFalse();
        assertThat(Compression.acceptsGzip("deflate, *;q=0")).isFalse();
        assertThat(Compression.acceptsGzip("gzip;q=abc")).isFalse();
        assertThat(Compression.acceptsGzip("")).isFalse();
        assertThat(Compression.acceptsGzip(null)).isFalse();
    }
}
