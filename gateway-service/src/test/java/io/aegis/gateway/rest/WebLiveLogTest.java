package io.aegis.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.service.Identity;
import io.aegis.testing.HeadlessBrowser;
import io.aegis.testing.RedisServerResource;
import io.aegis.testing.TcpRelay;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A running job followed live in a real browser (headless Chromium) whatever happens to the
 * connection: the browser reaches the gateway through a {@link TcpRelay} the test cuts, and the job's
 * events come from a stand-in stream the test writes line by line, with ids as log-stream-service
 * gives them. However the stream breaks (a 10 s outage, a reload), every log line is shown exactly
 * once and in order once it is back, and the history row tells what the job page tells. A job opened
 * after its stream lost early lines shows its whole log from the chunks artifact-service keeps.
 * Cancel asks first, and a cancelled job says so, even when the cancel's answer comes after the job's
 * end. (That test used to fail under load: the answer read before the end set the job back to
 * CANCELLING, and a sign-in check ending after the token was pasted opened the job again, hiding it
 * meanwhile; the page now keeps a job's end and opens it again only for a new token.)
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class WebLiveLogTest {

    private static final int LINES = 34;

    @Inject
    Identity identity;

    @TestHTTPResource("/")
    URL gateway;

    private HeadlessBrowser browser;
    private ChromeDriver driver;
    private TcpRelay network;
    private String app;
    private final String job = UUID.randomUUID().toString();
    private BackendStandIn.LiveStream stream;

    @BeforeEach
    void open() {
        BackendStandIn.SEEN.clear();
        BackendStandIn.OWNERS.put(job, "carol");
        BackendStandIn.JOBS.put(job, new JsonObject().put("id", job).put("owner", "carol").put("name", "live search")
                .put("database", "demo").put("status", "RUNNING").put("step", "search").put("attempt", 1)
                .put("createdAt", Instant.now().toString()).put("progress", new JsonObject().put("done", 0).put("total", LINES)));
        stream = new BackendStandIn.LiveStream();
        BackendStandIn.LIVE.put(job, stream);
        network = TcpRelay.to(gateway.getHost(), gateway.getPort());
        app = "http://127.0.0.1:" + network.port();
        browser = HeadlessBrowser.start();
        driver = browser.driver();
    }

    @AfterEach
    void close() {
        browser.close();
        network.close();
        BackendStandIn.LIVE.remove(job);
        BackendStandIn.ARTIFACTS.remove(job);
        BackendStandIn.LOG_CHUNKS.remove(job);
        BackendStandIn.JOBS.remove(job);
        BackendStandIn.OWNERS.remove(job);
    }

    @Test
    void afterATenSecondOutageEveryLogLineIsShownExactlyOnceInOrder() throws InterruptedException {
        signIn();
        openFromHistory();
        write(1, 10);
        awaitLines(10);

        network.cut();
        write(11, 25);
        Thread.sleep(10_000); // the outage itself: nothing to wait for but time
        network.restore();

        write(26, LINES);
        stream.end(job, "SUCCEEDED");
        browser.until(ExpectedConditions.textToBe(By.id("status"), "SUCCEEDED"));
        awaitLines(LINES);
        assertThat(shownLines()).containsExactlyElementsOf(expected(LINES));
        // the stream was opened again after the outage, from the last event shown before it, not from the start
        assertThat(BackendStandIn.SEEN).filteredOn(seen -> seen.path().equals("/api/v1/jobs/" + job + "/events"))
                .extracting(BackendStandIn.Seen::query)
                .anyMatch(query -> query.contains("lastEventId=" + BackendStandIn.LiveStream.EPOCH + "-"));
    }

    @Test
    void aReloadMidRunResumesTheJobAndItsWholeLog() {
        signIn();
        driver.get(app + "/jobs/" + job);
        write(1, 5);
        awaitLines(5);
        // the history row and the job page tell the same
        browser.until(ExpectedConditions.textToBe(By.id("progress-text"), "5 of 34 sequences · search"));
        browser.until(ExpectedConditions.textToBe(By.xpath("//tbody[@id='history']/tr[td='live search']/td[4]"), "RUNNING"));
        browser.until(ExpectedConditions.textToBe(By.xpath("//tbody[@id='history']/tr[td='live search']/td[5]"), "5 / 34"));

        driver.navigate().refresh();
        browser.until(ExpectedConditions.textToBe(By.id("job-id"), job));
        awaitLines(5);
        write(6, 8);
        stream.end(job, "SUCCEEDED");
        browser.until(ExpectedConditions.textToBe(By.id("status"), "SUCCEEDED"));
        awaitLines(8);
        assertThat(shownLines()).containsExactlyElementsOf(expected(8));
        assertThat(driver.getCurrentUrl()).isEqualTo(app + "/jobs/" + job);
    }

    @Test
    void cancelAsksFirstAndACancelledJobSaysCancelled() {
        signIn();
        openFromHistory();
        write(1, 1);
        awaitLines(1);

        browser.click(By.id("cancel"));
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("cancel-confirm")));
        browser.click(By.id("cancel-no"));
        browser.until(ExpectedConditions.invisibilityOfElementLocated(By.id("cancel-confirm")));
        assertThat(BackendStandIn.SEEN).noneMatch(seen -> seen.path().endsWith("/cancel"));
        assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("RUNNING");

        browser.click(By.id("cancel"));
        browser.click(By.id("cancel-yes"));
        browser.until(ExpectedConditions.textToBe(By.id("status"), "CANCELLED"));
        browser.until(ExpectedConditions.textToBe(By.id("job-note"), "Cancelled."));
        // the cancel's own answer (CANCELLING, read before the job ended) comes after the end: it undoes nothing
        browser.until("the cancel answered", d -> "false".equals(d.findElement(By.id("cancel")).getDomProperty("disabled")));
        assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("CANCELLED");
        assertThat(driver.findElement(By.id("job-note")).getText()).isEqualTo("Cancelled.");
        assertThat(driver.findElement(By.id("cancel")).isDisplayed()).isFalse();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("log"), "— search: cancelled"));
        assertThat(driver.findElement(By.id("log")).getText()).doesNotContain("failed");
        assertThat(driver.findElement(By.id("job-error")).isDisplayed()).isFalse();
        assertThat(BackendStandIn.SEEN).filteredOn(seen -> seen.path().endsWith("/cancel"))
                .extracting(BackendStandIn.Seen::user).containsExactly("carol");
    }

    /** Opens the job from its history row, as a user does (a link to it is another test's). */
    private void openFromHistory() {
        browser.click(By.xpath("//tbody[@id='history']/tr[td='live search']"));
        browser.until(ExpectedConditions.textToBe(By.id("job-id"), job));
    }

    @Test
    void aJobOpenedLaterShowsItsWholeLogFromTheKeptChunksWhereTheStreamNoLongerHasIt() throws IOException {
        // the job ended; its stream's buffer no longer holds the first two lines (and their progress)
        stream.add("gap", new JsonObject().put("skipped", 4));
        write(3, 4);
        stream.end(job, "SUCCEEDED");
        // artifact-service kept every line: one chunk, each line `at [source] line`
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(chunk)) {
            for (int seq = 1; seq <= 4; seq++) {
                gzip.write(("2026-12-05T04:00:0" + seq + "Z [blastp] line " + seq + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        BackendStandIn.LOG_CHUNKS.put(job, chunk.toByteArray());
        BackendStandIn.ARTIFACTS.put(job, new JsonArray().add(new JsonObject().put("name", "log-0001.txt.gz")
                .put("kind", "file").put("state", "ready").put("size", chunk.size())));

        signIn();
        openFromHistory();
        browser.until(ExpectedConditions.textToBe(By.id("status"), "SUCCEEDED"));
        browser.until("the whole log, each line once", d -> shownLines().equals(expected(4)));
    }

    private void write(int from, int to) {
        for (int seq = from; seq <= to; seq++) {
            stream.log(job, seq, "line " + seq, LINES);
        }
    }

    private void awaitLines(int count) {
        browser.until(count + " log lines shown", d -> shownLines().size() >= count);
    }

    private List<String> shownLines() {
        return driver.findElement(By.id("log")).getDomProperty("textContent").lines().filter(line -> line.startsWith("[blastp]")).toList();
    }

    private static List<String> expected(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(seq -> "[blastp] line " + seq).toList();
    }

    /** Signs in as carol with a pasted token, kept for the tab, so the pages opened next have it. */
    private void signIn() {
        driver.get(app + "/");
        browser.click(By.cssSelector("#paste summary"));
        driver.findElement(By.id("token")).sendKeys(
                identity.tokens().orElseThrow().issue("carol", Duration.ofMinutes(5), Instant.now()), Keys.TAB);
        browser.until(ExpectedConditions.textToBe(By.id("who"), "Signed in as carol."));
    }
}
