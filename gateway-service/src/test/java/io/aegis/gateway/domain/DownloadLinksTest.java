package io.aegis.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DownloadLinksTest {

    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private static final UUID JOB = UUID.fromString("0b6c1f9e-5b8e-4a63-9f5e-1f0f6c1a2b3c");
    private static final String XML = "/api/v1/jobs/" + JOB + "/artifacts/hits.xml";
    private final DownloadLinks links = new DownloadLinks("a key of thirty-two bytes or more!".getBytes(StandardCharsets.UTF_8));

    private static String linkOf(DownloadLinks.Link link) {
        return URI.create(link.url()).getQuery().substring(DownloadLinks.PARAM.length() + 1);
    }

    @Test
    void theLinkIsTakenOutOfTheQueryPassedOnAndEverythingElseKeptInOrder() {
        assertThat(DownloadLinks.withoutLink("link=1.YQ.c2ln")).isNull();
        assertThat(DownloadLinks.withoutLink("a=1&link=1.YQ.c2ln&b=2")).isEqualTo("a=1&b=2");
        assertThat(DownloadLinks.withoutLink("linked=1&b=2")).isEqualTo("linked=1&b=2");
        assertThat(DownloadLinks.withoutLink(null)).isNull();
    }

    @Test
    void aLinkOpensItsPathForItsUserWithGetUntilItExpires() {
        DownloadLinks.Link link = links.issue("carol", XML, NOW, DownloadLinks.TTL);
        assertThat(link.url()).startsWith(XML + "?link=");
        assertThat(link.expiresAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(links.verify("GET", XML, linkOf(link), NOW.plusSeconds(59))).contains("carol");
        assertThat(links.verify("GET", XML, linkOf(link), NOW.plusSeconds(60))).isEmpty();
        assertThat(links.verify("POST", XML, linkOf(link), NOW)).isEmpty();
        assertThat(links.verify("GET", "/api/v1/jobs/" + JOB + "/artifacts/hits.tsv", linkOf(link), NOW)).isEmpty();
        assertThat(links.verify("GET", "/api/v1/jobs/" + JOB + "/export", linkOf(link), NOW)).isEmpty();
    }

    @Test
    void anAlteredLinkOrOneSignedWithAnotherKeyOpensNothing() {
        String value = linkOf(links.issue("carol", XML, NOW, DownloadLinks.TTL));
        String[] parts = value.split("\\.");
        String asBob = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("bob".getBytes()) + "." + parts[2];
        String later = (Long.parseLong(parts[0]) + 30) + "." + parts[1] + "." + parts[2];
        String flipped = value.substring(0, value.length() - 1) + (value.endsWith("A") ? "B" : "A");
        for (String altered : new String[] {asBob, later, flipped, value + "=", value + ".x", "", "1.2.3"}) {
            assertThat(links.verify("GET", XML, altered, NOW)).as(altered).isEmpty();
        }
        DownloadLinks other = new DownloadLinks("another key of thirty-two bytes!!".getBytes(StandardCharsets.UTF_8));
        assertThat(other.verify("GET", XML, value, NOW)).isEmpty();
    }

    @Test
    void aLinkLongerThanItsMinuteIsNotTakenEvenWhenSigned() {
        String value = linkOf(links.issue("carol", XML, NOW, Duration.ofHours(1)));
        assertThat(links.verify("GET", XML, value, NOW)).isEmpty();
    }

    @Test
    void onlyAJobsArtifactsAndExportCanBeLinked() {
        assertThat(DownloadLinks.path(JOB, "export")).contains("/api/v1/jobs/" + JOB + "/export");
        assertThat(DownloadLinks.path(JOB, "artifacts/log-0001.txt.gz")).contains("/api/v1/jobs/" + JOB + "/artifacts/log-0001.txt.gz");
        for (String what : new String[] {null, "", "artifacts/", "artifacts/..", "artifacts/a/b", "artifacts/a b",
                "artifacts/%2e%2e", "results/hits", "events", "cancel"}) {
            assertThat(DownloadLinks.path(JOB, what)).as(what).isEmpty();
        }
        assertThat(DownloadLinks.linkable("/api/v1/jobs/" + JOB + "/results/hits")).isFalse();
        assertThat(DownloadLinks.linkable("/api/v1/jobs/j1/export")).isFalse();
        assertThatThrownBy(() -> links.issue("carol", "/api/v1/jobs", NOW, DownloadLinks.TTL))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
