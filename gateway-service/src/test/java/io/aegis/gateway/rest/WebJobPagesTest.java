package io.aegis.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A job and the history are pages of the web app with addresses of their own, in a real browser
 * (headless Chromium): a job's link opens it, Back and Forward walk between the history (its filters
 * in its address) and a job, an unknown or someone else's job is a page saying so, and a failed job
 * says why in a banner that goes once the job runs again. Behind the browser, the gateway answers a
 * page at these addresses and JSON under {@code /api}.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class WebJobPagesTest {

    private static final String ERROR = "blastp exited with status 2";

    @Inject
    Identity identity;

    @TestHTTPResource("/")
    URL app;

    private HeadlessBrowser browser;
    private ChromeDriver driver;
    private final String failed = UUID.randomUUID().toString();
    private final String done = UUID.randomUUID().toString();
    private final String bobs = UUID.randomUUID().toString();

    @BeforeEach
    void open() {
        BackendStandIn.SEEN.clear();
        Instant at = Instant.now();
        put(failed, "carol", new JsonObject().put("name", "failed search").put("status", "FAILED").put("attempt", 1)
                .put("error", ERROR).put("errorCode", "TOOL_FAILED").put("worker", "worker-1")
                .put("createdAt", at.minusSeconds(60).toString()).put("startedAt", at.minusSeconds(50).toString())
                .put("finishedAt", at.toString()).put("progress", new JsonObject().put("done", 1).put("total", 2))
                .put("earlierAttempts", new JsonArray()));
        put(done, "carol", new JsonObject().put("name", "good search").put("status", "SUCCEEDED").put("attempt", 1)
                .put("createdAt", at.minusSeconds(30).toString()).put("progress", new JsonObject().put("done", 2).put("total", 2)));
        put(bobs, "bob", new JsonObject().put("name", "bob's search").put("status", "SUCCEEDED")
                .put("createdAt", at.toString()));
        browser = HeadlessBrowser.start();
        driver = browser.driver();
    }

    private static void put(String id, String owner, JsonObject job) {
        BackendStandIn.OWNERS.put(id, owner);
        BackendStandIn.JOBS.put(id, job.put("id", id).put("owner", owner).put("database", "demo"));
    }

    @AfterEach
    void close() {
        browser.close();
        for (String id : new String[] {failed, done, bobs}) {
            BackendStandIn.JOBS.remove(id);
            BackendStandIn.OWNERS.remove(id);
        }
    }

    @Test
    void aLinkToAJobOpensThatJob() {
        signIn();
        driver.get(page("/jobs/" + done));
        browser.until(ExpectedConditions.textToBe(By.id("job-id"), done));
        browser.until(ExpectedConditions.textToBe(By.id("status"), "SUCCEEDED"));
        assertThat(driver.getCurrentUrl()).isEqualTo(page("/jobs/" + done));
        assertThat(driver.findElement(By.id("missing")).isDisplayed()).isFalse();
        browser.until("the job's heading has the focus", d -> "job-title".equals(d.switchTo().activeElement().getDomAttribute("id")));
    }

    @Test
    void backAndForwardWalkBetweenTheFilteredHistoryAndAJob() {
        signIn();
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("history-status"))).selectByVisibleText("FAILED");
        browser.click(By.cssSelector("#history-filter button[type=submit]"));
        browser.until(ExpectedConditions.urlToBe(page("/history?status=FAILED")));

        browser.click(By.xpath("//tbody[@id='history']/tr/td/a[.='failed search']"));
        browser.until(ExpectedConditions.urlToBe(page("/jobs/" + failed)));
        browser.until(ExpectedConditions.textToBe(By.id("status"), "FAILED"));

        driver.navigate().back();
        browser.until(ExpectedConditions.urlToBe(page("/history?status=FAILED")));
        browser.until(ExpectedConditions.invisibilityOfElementLocated(By.id("job")));
        assertThat(driver.findElement(By.id("history-status")).getDomProperty("value")).isEqualTo("FAILED");

        driver.navigate().forward();
        browser.until(ExpectedConditions.urlToBe(page("/jobs/" + failed)));
        browser.until(ExpectedConditions.textToBe(By.id("job-id"), failed));
        browser.until(ExpectedConditions.textToBe(By.id("status"), "FAILED"));

        driver.navigate().back();
        driver.navigate().back();
        browser.until(ExpectedConditions.urlToBe(page("/")));
        browser.until(ExpectedConditions.invisibilityOfElementLocated(By.id("job")));
        assertThat(driver.findElement(By.id("history-status")).getDomProperty("value")).isEmpty();
    }

    @Test
    void anUnknownJobAndSomeoneElsesArePagesSayingSo() {
        signIn();
        String unknown = UUID.randomUUID().toString();
        for (String id : new String[] {unknown, bobs}) {
            driver.get(page("/jobs/" + id));
            browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("missing")));
            assertThat(driver.findElement(By.id("missing-title")).getText()).isEqualTo("Job not found");
            assertThat(driver.findElement(By.id("missing-text")).getText()).startsWith("There is no job " + id + " among your jobs");
            assertThat(driver.findElement(By.id("job")).isDisplayed()).isFalse();
            assertThat(driver.findElement(By.tagName("body")).getText()).doesNotContain("JOB_NOT_FOUND", "bob's search");
        }
    }

    @Test
    void aFailedJobSaysWhyInABannerThatGoesOnceItRunsAgain() {
        signIn();
        driver.get(page("/jobs/" + failed));
        browser.until(ExpectedConditions.textToBe(By.id("job-error"), "TOOL_FAILED: " + ERROR));
        assertThat(driver.findElement(By.id("job-error")).getDomAttribute("role")).isEqualTo("alert");

        browser.click(By.id("retry"));
        browser.until(ExpectedConditions.textToBe(By.id("status"), "QUEUED"));
        browser.until(ExpectedConditions.invisibilityOfElementLocated(By.id("job-error")));
    }

    @Test
    void theGatewayAnswersThePageAtTheAppsAddressesAndJsonUnderTheApi() {
        for (String path : new String[] {"/jobs/" + failed, "/history?status=FAILED", "/"}) {
            given().accept("text/html,application/xhtml+xml,*/*;q=0.8").get(path).then().statusCode(200)
                    .contentType(containsString("text/html"))
                    .header("Cache-Control", "no-cache")
                    .header(ContentSecurityPolicy.HEADER, containsString("script-src 'self';"))
                    .body(containsString("<script src=\"/app.js\"></script>"));
        }
        // a script asking there for JSON gets no page; the API stays JSON for a browser too
        given().accept("application/json").get("/jobs/" + failed).then().statusCode(404);
        given().accept("text/html").auth().oauth2(token("carol")).get("/api/v1/jobs/" + bobs).then().statusCode(404)
                .contentType(containsString("application/problem+json")).body("code", equalTo("JOB_NOT_FOUND"));
    }

    private String token(String user) {
        return identity.tokens().orElseThrow().issue(user, Duration.ofMinutes(5), Instant.now());
    }

    private String page(String path) {
        return app.toString().replaceAll("/$", "") + path;
    }

    /** Signs in as carol with a pasted token (kept for the tab, so the pages opened next have it). */
    private void signIn() {
        driver.get(app.toString());
        browser.click(By.cssSelector("#paste summary"));
        driver.findElement(By.id("token")).sendKeys(token("carol"), Keys.TAB);
        browser.until(ExpectedConditions.textToBe(By.id("who"), "Signed in as carol."));
        browser.until(d -> !d.findElements(By.xpath("//tbody[@id='history']/tr/td[.='failed search']")).isEmpty());
    }
}
