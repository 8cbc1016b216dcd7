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
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The screenshots of the web app's main pages that README shows ({@code docs/screenshots/}), taken in
 * a real browser (headless Chromium) against the stand-in services: the new-job form, a job running,
 * a finished job's results and the history, each the part of the page that shows it. They are written to {@code target/screenshots}, or to
 * the folder {@code -Dscreenshots.dir} names (README: how to refresh them).
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class WebScreenshotsTest {

    private static final String USER = "alice";

    @Inject
    Identity identity;

    @TestHTTPResource("/")
    URL app;

    private HeadlessBrowser browser;
    private ChromeDriver driver;
    private final String running = UUID.randomUUID().toString();
    private final String finished = UUID.randomUUID().toString();
    private final Path folder = Path.of(System.getProperty("screenshots.dir", "target/screenshots")).toAbsolutePath();

    @BeforeEach
    void open() {
        BackendStandIn.USAGE.remove(USER);
        Instant at = Instant.now();
        JsonObject params = new JsonObject().put("program", "blastp").put("evalue", 0.001).put("max_target_seqs", 100);
        put(running, new JsonObject().put("name", "kinases vs demo").put("status", "RUNNING").put("fileName", "kinases.fasta")
                .put("sequenceCount", 120).put("params", params).put("createdAt", at.minusSeconds(75).toString())
                .put("startedAt", at.minusSeconds(70).toString()).put("progress", new JsonObject().put("done", 0).put("total", 120))
                .put("steps", new JsonArray().add(step("validate", "completed", 412L, at.minusSeconds(70)))
                        .add(step("split", "completed", 96L, at.minusSeconds(69))).add(step("search", "running", null, at.minusSeconds(69)))
                        .add(step("merge", "pending", null, null)).add(step("finalize", "pending", null, null))));
        put(finished, new JsonObject().put("name", "globins vs demo").put("status", "SUCCEEDED").put("fileName", "globins.fasta")
                .put("sequenceCount", 2).put("params", params).put("createdAt", at.minusSeconds(600).toString())
                .put("startedAt", at.minusSeconds(598).toString()).put("finishedAt", at.minusSeconds(590).toString())
                .put("progress", new JsonObject().put("done", 2).put("total", 2))
                .put("steps", new JsonArray().add(step("validate", "completed", 380L, null)).add(step("split", "completed", 90L, null))
                        .add(step("search", "completed", 6120L, null)).add(step("merge", "completed", 240L, null))
                        .add(step("finalize", "completed", 35L, null))));
        BackendStandIn.ARTIFACTS.put(finished, new JsonArray()
                .add(new JsonObject().put("name", "hits").put("kind", "table").put("state", "ready"))
                .add(new JsonObject().put("name", "hits.tsv").put("kind", "file").put("state", "ready").put("size", 18_432))
                .add(new JsonObject().put("name", "summary.json").put("kind", "file").put("state", "ready").put("size", 1_208))
                .add(new JsonObject().put("name", "hits.xml").put("kind", "file").put("state", "ready").put("size", 96_310))
                .add(new JsonObject().put("name", "hits.txt").put("kind", "file").put("state", "pending"))
                .add(new JsonObject().put("name", "hits.commented.tsv").put("kind", "file").put("state", "on_request"))
                .add(new JsonObject().put("name", "hits.blast.json").put("kind", "file").put("state", "on_request")));
        JsonArray hits = new JsonArray();
        for (int i = 0; i < 24; i++) {
            String query = i < 16 ? "HBA_HUMAN" : "MYG_HUMAN";
            int qlen = i < 16 ? 142 : 154;
            int from = i == 0 || i == 16 ? 1 : 1 + (i * 17) % 60;
            hits.add(new JsonObject().put("ord", i).put("qseqid", query).put("sseqid", "sp|P" + (69905 + i) + "|GLB" + i)
                    .put("pident", 99.0 - i * 2.5).put("length", qlen - from).put("qstart", from).put("qend", i % 3 == 0 ? qlen : qlen - (i * 13) % 50)
                    .put("evalue", Math.pow(10, -90 + i * 4)).put("bitscore", 290.0 - i * 11.5).put("qlen", qlen)
                    .put("stitle", "Hemoglobin-like protein " + i));
        }
        BackendStandIn.RESULTS.put(finished, new JsonObject().put("hits", hits).put("summary", new JsonObject()
                .put("hits", 24).put("queriesWithHits", 2).put("subjects", 24).put("perQuery", new JsonArray()
                        .add(new JsonObject().put("query", "HBA_HUMAN").put("hits", 16).put("bestEvalue", 1e-90).put("bestBitscore", 290.0))
                        .add(new JsonObject().put("query", "MYG_HUMAN").put("hits", 8).put("bestEvalue", 1e-26).put("bestBitscore", 106.0)))));
        BackendStandIn.LiveStream stream = new BackendStandIn.LiveStream();
        BackendStandIn.LIVE.put(running, stream);
        for (int seq = 1; seq <= 56; seq++) {
            stream.log(running, seq, "batch " + (1 + (seq - 1) / 8) + ": query " + seq + " searched", 120);
        }
        browser = HeadlessBrowser.start();
        driver = browser.driver();
        driver.get(app.toString());
        browser.click(By.cssSelector("#paste summary"));
        driver.findElement(By.id("token")).sendKeys(
                identity.tokens().orElseThrow().issue(USER, Duration.ofMinutes(5), Instant.now()), Keys.TAB);
        browser.until(ExpectedConditions.textToBe(By.id("who"), "Signed in as " + USER + " (administrator)."));
    }

    private static JsonObject step(String key, String status, Long durationMs, Instant startedAt) {
        return new JsonObject().put("key", key).put("status", status).put("durationMs", durationMs)
                .put("startedAt", startedAt == null ? null : startedAt.toString());
    }

    private static void put(String id, JsonObject job) {
        BackendStandIn.OWNERS.put(id, USER);
        BackendStandIn.JOBS.put(id, job.put("id", id).put("owner", USER).put("database", "demo").put("pipeline", "blast").put("attempt", 1));
    }

    @AfterEach
    void close() {
        browser.close();
        for (String id : List.of(running, finished)) {
            BackendStandIn.LIVE.remove(id);
            BackendStandIn.RESULTS.remove(id);
            BackendStandIn.ARTIFACTS.remove(id);
            BackendStandIn.JOBS.remove(id);
            BackendStandIn.OWNERS.remove(id);
        }
    }

    @Test
    void theMainPagesAreCaptured() throws IOException {
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//div[@data-name='evalue']")));
        driver.findElement(By.id("fasta")).sendKeys(">HBA_HUMAN\nMVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHFDLSHGSAQVKGHGKKVADALTNAVAHV\n");
        capture("new-job.png", "main > form");

        driver.get(app + "jobs/" + running);
        browser.until(ExpectedConditions.textToBe(By.id("progress-text"), "56 of 120 sequences · search"));
        capture("job-running.png", "#job");

        driver.get(app + "jobs/" + finished);
        browser.until(ExpectedConditions.textToBe(By.id("status"), "SUCCEEDED"));
        browser.until("the overview drawn", d -> d.findElements(By.cssSelector("#overview-figure svg rect[data-ord]")).size() == 16);
        browser.click(By.xpath("//tbody[@id='hits']/tr[1]//button[.='View']"));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alignment-text"), "Query= HBA_HUMAN"));
        capture("job-results.png", "#job");

        driver.get(app + "history");
        browser.until(d -> d.findElements(By.cssSelector("#history tr")).size() >= 2);
        capture("history.png", "#history-section");

        for (String name : List.of("new-job.png", "job-running.png", "job-results.png", "history.png")) {
            BufferedImage image = ImageIO.read(folder.resolve(name).toFile());
            assertThat(image).as(name).isNotNull();
            assertThat(image.getWidth()).as(name + " width").isGreaterThan(800);
            assertThat(image.getHeight()).as(name + " height").isGreaterThan(200);
        }
    }

    /** One part of the page ({@code selector}), whole however tall, with a margin around it. */
    private void capture(String name, String selector) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) driver.executeScript("""
                document.activeElement && document.activeElement.blur();
                window.scrollTo(0, 0);
                const r = document.querySelector(arguments[0]).getBoundingClientRect();
                return { x: Math.max(0, r.left - 16), y: Math.max(0, r.top - 16), width: r.width + 32, height: r.height + 32 };""",
                selector);
        Map<String, Object> clip = new java.util.HashMap<>(box);
        clip.put("scale", 1);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", clip));
        Files.createDirectories(folder);
        Files.write(folder.resolve(name), Base64.getDecoder().decode((String) shot.get("data")));
    }
}
