package io.aegis.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.service.Identity;
import io.aegis.testing.HeadlessBrowser;
import io.aegis.testing.RedisServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A finished job's downloads in a real browser (headless Chromium): BLAST's own formats are offered
 * to be made when asked, shown being made, then downloaded, or shown failed with the reason; every
 * download and the export zip is a plain link the browser follows and writes to disk itself, signed
 * by the gateway for that one path, never a file read into the page.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class WebDownloadsTest {

    @Inject
    Identity identity;

    @TestHTTPResource("/")
    URL app;

    @TempDir
    Path downloads;

    private HeadlessBrowser browser;
    private ChromeDriver driver;
    private final String job = UUID.randomUUID().toString();

    @BeforeEach
    void open() {
        BackendStandIn.SEEN.clear();
        BackendStandIn.OWNERS.put(job, "carol");
        BackendStandIn.JOBS.put(job, new JsonObject().put("id", job).put("owner", "carol").put("name", "finished search")
                .put("database", "demo").put("status", "SUCCEEDED").put("attempt", 1).put("createdAt", Instant.now().toString())
                .put("progress", new JsonObject().put("done", 2).put("total", 2)));
        BackendStandIn.ARTIFACTS.put(job, new JsonArray()
                .add(new JsonObject().put("name", "hits").put("kind", "table").put("state", "ready"))
                .add(new JsonObject().put("name", "hits.tsv").put("kind", "file").put("state", "ready")
                        .put("size", BackendStandIn.content("hits.tsv").length))
                .add(new JsonObject().put("name", "hits.xml").put("kind", "file").put("state", "on_request"))
                .add(new JsonObject().put("name", "hits.sam").put("kind", "file").put("state", "on_request")));
        browser = HeadlessBrowser.start();
        driver = browser.driver();
        // the browser saves downloads here, without asking
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    }

    @AfterEach
    void close() {
        browser.close();
        BackendStandIn.ARTIFACTS.remove(job);
        BackendStandIn.JOBS.remove(job);
        BackendStandIn.OWNERS.remove(job);
    }

    @Test
    void aBlastFormatIsMadeWhenAskedShownBeingMadeThenDownloadedThroughALink() {
        openJob();
        By xml = By.cssSelector("#artifacts li[data-name='hits.xml']");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(xml, "BLAST XML — made when you ask"));
        assertThat(BackendStandIn.SEEN).noneMatch(seen -> seen.path().endsWith("/artifacts/hits.xml"));

        browser.click(By.xpath("//li[@data-name='hits.xml']/button[.='Make BLAST XML']"));
        browser.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#artifacts li[data-name='hits.xml'][data-state='pending'] progress[aria-label='BLAST XML being made']")));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(xml, "being made…"));
        assertThat(BackendStandIn.SEEN).filteredOn(seen -> seen.path().equals("/api/v1/jobs/" + job + "/artifacts/hits.xml"))
                .extracting(BackendStandIn.Seen::user).containsOnly("carol");

        BackendStandIn.made(job, "hits.xml", null);
        browser.click(By.cssSelector("#artifacts li[data-name='hits.xml'] a[download]"));
        assertThat(downloaded("hits.xml")).isEqualTo(BackendStandIn.XML);
        // the browser fetched it itself, through a link signed for that path
        assertThat(driver.findElement(By.cssSelector("#artifacts li[data-name='hits.xml'] a")).getDomProperty("href"))
                .startsWith(app + "api/v1/jobs/" + job + "/artifacts/hits.xml?link=");
        // as carol, the link itself left at the gateway: the make and the download
        assertThat(BackendStandIn.SEEN).filteredOn(seen -> seen.path().endsWith("/artifacts/hits.xml"))
                .hasSizeGreaterThanOrEqualTo(2).allSatisfy(seen -> assertThat(String.valueOf(seen.query())).doesNotContain("link="))
                .extracting(BackendStandIn.Seen::user).containsOnly("carol");
    }

    @Test
    void aFormatThatCouldNotBeMadeSaysWhy() {
        openJob();
        browser.click(By.xpath("//li[@data-name='hits.sam']/button[.='Make SAM']"));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#artifacts li[data-name='hits.sam']"), "being made…"));
        BackendStandIn.made(job, "hits.sam", "SAM is only made for blastn");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#artifacts li[data-name='hits.sam']"),
                "failed: SAM is only made for blastn"));
        assertThat(driver.findElements(By.cssSelector("#artifacts li[data-name='hits.sam'] a"))).isEmpty();
    }

    @Test
    void aReadyFileAndTheExportAreLinksTheBrowserDownloads() {
        openJob();
        browser.click(By.cssSelector("#artifacts li[data-name='hits.tsv'] a[download]"));
        assertThat(downloaded("hits.tsv")).isEqualTo(BackendStandIn.content("hits.tsv"));

        browser.click(By.id("export"));
        assertThat(downloaded("aegis-j1.zip")).isEqualTo(BackendStandIn.EXPORT);
        assertThat(driver.findElement(By.id("export")).getDomProperty("href")).startsWith(app + "api/v1/jobs/" + job + "/export?link=");
        assertThat(driver.findElement(By.id("job-problem")).isDisplayed()).isFalse();
    }

    /** The file the browser saved under {@code name}, once whole. */
    private byte[] downloaded(String name) {
        Path file = downloads.resolve(name);
        browser.until(name + " downloaded", d -> Files.isRegularFile(file) && !Files.exists(downloads.resolve(name + ".crdownload")));
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openJob() {
        driver.get(app.toString());
        browser.click(By.cssSelector("#paste summary"));
        driver.findElement(By.id("token")).sendKeys(
                identity.tokens().orElseThrow().issue("carol", Duration.ofMinutes(5), Instant.now()), Keys.TAB);
        browser.until(ExpectedConditions.textToBe(By.id("who"), "Signed in as carol."));
        driver.get(app + "jobs/" + job);
        browser.until(ExpectedConditions.textToBe(By.id("status"), "SUCCEEDED"));
    }
}
