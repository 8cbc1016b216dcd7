package io.aegis.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.aegis.gateway.service.Identity;
import io.aegis.testing.HeadlessBrowser;
import io.aegis.testing.RedisServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A user retries a failed job from the web app in a real browser (headless Chromium), signed in with
 * a pasted gateway token (no provider in this profile): the Retry button shows for the failed job,
 * the retry reaches job-service as that user, and the app follows the job's next attempt from a new
 * stream, saying why it runs again.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class WebRetryTest {

    private static final String ERROR = "blastp exited with status 2";

    @Inject
    Identity identity;

    @TestHTTPResource("/")
    URL app;

    private HeadlessBrowser browser;
    private ChromeDriver driver;
    private final String job = UUID.randomUUID().toString();

    @BeforeEach
    void open() {
        BackendStandIn.SEEN.clear();
        Instant finished = Instant.now();
        BackendStandIn.OWNERS.put(job, "carol");
        BackendStandIn.JOBS.put(job, new JsonObject().put("id", job).put("owner", "carol").put("name", "flaky search")
                .put("database", "demo").put("status", "FAILED").put("attempt", 1).put("error", ERROR)
                .put("errorCode", "TOOL_FAILED").put("worker", "worker-1")
                .put("createdAt", finished.minusSeconds(60).toString()).put("startedAt", finished.minusSeconds(50).toString())
                .put("finishedAt", finished.toString()).put("progress", new JsonObject().put("done", 1).put("total", 2))
                .put("earlierAttempts", new JsonArray()));
        browser = HeadlessBrowser.start();
        driver = browser.driver();
    }

    @AfterEach
    void close() {
        browser.close();
        BackendStandIn.JOBS.remove(job);
        BackendStandIn.OWNERS.remove(job);
    }

    @Test
    void aUserRetriesTheirFailedJobAndTheAppFollowsItsNextAttempt() {
        driver.get(app.toString());
        browser.click(By.cssSelector("#paste summary"));
        driver.findElement(By.id("token")).sendKeys(
                identity.tokens().orElseThrow().issue("carol", Duration.ofMinutes(5), Instant.now()), Keys.TAB);
        browser.until(ExpectedConditions.textToBe(By.id("who"), "Signed in as carol."));

        // the failed job, opened from the history: its stream tells how it ended
        browser.click(By.xpath("//tbody[@id='history']/tr[td='flaky search']"));
        browser.until(ExpectedConditions.textToBe(By.id("status"), "FAILED"));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("log"), "TOOL_FAILED: " + ERROR));
        assertThat(driver.findElement(By.id("cancel")).isDisplayed()).isFalse();
        assertThat(BackendStandIn.SEEN).noneMatch(seen -> seen.path().endsWith("/retry"));

        browser.click(By.id("retry"));
        browser.until(ExpectedConditions.textToBe(By.id("status"), "QUEUED"));
        browser.until(ExpectedConditions.textToBe(By.id("job-note"), "Attempt 2: retried after attempt 1 failed: " + ERROR + "."));
        assertThat(driver.findElement(By.id("retry")).isDisplayed()).as("a queued job is not retried").isFalse();
        assertThat(driver.findElement(By.id("cancel")).isDisplayed()).isTrue();

        // job-service was asked once, as carol; then the app opened the job's stream again, for the new attempt
        String events = "/api/v1/jobs/" + job + "/events";
        browser.until("an event stream of the job opened after the retry", d -> streamedAfterRetry(events));
        assertThat(BackendStandIn.SEEN).filteredOn(seen -> seen.path().endsWith("/retry"))
                .extracting(BackendStandIn.Seen::method, BackendStandIn.Seen::path, BackendStandIn.Seen::user)
                .containsExactly(tuple("POST", "/api/v1/jobs/" + job + "/retry", "carol"));
        assertThat(driver.findElement(By.id("log")).getText()).as("the new attempt's log starts empty")
                .doesNotContain(ERROR);
    }

    /** Whether an event stream of the job reached the stand-in after the retry did. */
    private boolean streamedAfterRetry(String events) {
        List<BackendStandIn.Seen> seen = List.copyOf(BackendStandIn.SEEN);
        int retry = IntStream.range(0, seen.size()).filter(i -> seen.get(i).path().endsWith("/retry")).findFirst().orElse(seen.size());
        return seen.subList(retry, seen.size()).stream().anyMatch(s -> s.path().equals(events));
    }
}
