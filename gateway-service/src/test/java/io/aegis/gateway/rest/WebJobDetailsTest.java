package io.aegis.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.contracts.http.JobSubmission;
import io.aegis.events.EventJson;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The job page beyond its status, in a real browser (headless Chromium): the steps with their state
 * and time, the job's parameters and times, its place in the queue as it changes, a log that follows
 * its tail until paused; the form with every parameter of the chosen program from the pipeline's
 * definition, and a job's own parameters filled in to edit and run it again.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class WebJobDetailsTest {

    private static final String USER = "alice";

    @Inject
    Identity identity;

    @TestHTTPResource("/")
    URL app;

    private HeadlessBrowser browser;
    private ChromeDriver driver;
    private final String job = UUID.randomUUID().toString();
    private final Instant at = Instant.now();

    @BeforeEach
    void open() {
        BackendStandIn.SEEN.clear();
        BackendStandIn.USAGE.remove(USER);
        BackendStandIn.OWNERS.put(job, USER);
        browser = HeadlessBrowser.start();
        driver = browser.driver();
    }

    @AfterEach
    void close() {
        browser.close();
        BackendStandIn.LIVE.remove(job);
        BackendStandIn.JOBS.remove(job);
        BackendStandIn.ARTIFACTS.remove(job);
        BackendStandIn.FILES.remove(job + "/input.fasta");
        BackendStandIn.OWNERS.remove(job);
    }

    private void put(JsonObject fields) {
        BackendStandIn.JOBS.put(job, fields.put("id", job).put("owner", USER).put("name", "detailed search")
                .put("database", "demo").put("pipeline", "blast").put("fileName", "queries.fasta").put("sequenceCount", 2)
                .put("attempt", 1).put("createdAt", at.minusSeconds(90).toString())
                .put("params", new JsonObject().put("program", "blastp").put("evalue", 0.001).put("matrix", "BLOSUM80")
                        .put("max_target_seqs", 25)));
    }

    private static JsonObject step(String key, String status, Long durationMs, Instant startedAt) {
        return new JsonObject().put("key", key).put("status", status).put("durationMs", durationMs)
                .put("startedAt", startedAt == null ? null : startedAt.toString());
    }

    @Test
    void theJobPageShowsItsStepsWithTheirTimesAndTheJobsParametersAndTimes() {
        put(new JsonObject().put("status", "RUNNING").put("startedAt", at.minusSeconds(60).toString())
                .put("progress", new JsonObject().put("done", 1).put("total", 2))
                .put("steps", new JsonArray().add(step("validate", "completed", 1200L, at.minusSeconds(60)))
                        .add(step("split", "completed", 300L, at.minusSeconds(59)))
                        .add(step("search", "running", null, at.minusSeconds(58)))
                        .add(step("merge", "pending", null, null)).add(step("finalize", "pending", null, null))));
        signIn();
        driver.get(app + "jobs/" + job);
        browser.until(ExpectedConditions.textToBe(By.id("status"), "RUNNING"));
        // nothing to download before the job has ended
        assertThat(driver.findElement(By.id("export")).isDisplayed()).isFalse();

        browser.until(ExpectedConditions.textToBe(By.cssSelector("#steps li[data-step='validate']"), "Validate completed 1.2 s"));
        assertThat(driver.findElements(By.cssSelector("#steps li")).stream().map(li -> li.getDomAttribute("data-step")).toList())
                .containsExactly("validate", "split", "search", "merge", "finalize");
        assertThat(driver.findElement(By.cssSelector("#steps li[data-step='split']")).getText()).isEqualTo("Split completed 0.3 s");
        assertThat(driver.findElement(By.cssSelector("#steps li[data-step='merge']")).getText()).isEqualTo("Merge pending");
        // the running step's time goes on as it runs
        By search = By.cssSelector("#steps li.running[data-step='search'] .step-time");
        browser.until(ExpectedConditions.textMatches(search, java.util.regex.Pattern.compile("5[89] s|1 min \\d+ s")));
        String first = driver.findElement(search).getText();
        browser.until("the search's time goes on", d -> !d.findElement(search).getText().equals(first));

        assertThat(definitions("job-params")).contains("Database demo", "Pipeline blast", "Queries 2", "program blastp",
                "evalue 0.001", "matrix BLOSUM80", "max_target_seqs 25", "File queries.fasta");
        assertThat(definitions("job-times")).contains("Waited 30 s").anyMatch(line -> line.startsWith("Submitted "))
                .anyMatch(line -> line.startsWith("Started ")).noneMatch(line -> line.startsWith("Ended "));
    }

    @Test
    void aQueuedJobShowsItsPlaceInTheQueueAsItChanges() {
        put(new JsonObject().put("status", "QUEUED").put("queuePosition", 3));
        signIn();
        driver.get(app + "jobs/" + job);
        browser.until(ExpectedConditions.textToBe(By.id("job-note"), "Waiting: number 3 in the queue."));

        BackendStandIn.JOBS.put(job, BackendStandIn.JOBS.get(job).copy().put("queuePosition", 2));
        browser.until(ExpectedConditions.textToBe(By.id("job-note"), "Waiting: number 2 in the queue."));
        BackendStandIn.JOBS.put(job, BackendStandIn.JOBS.get(job).copy().put("queuePosition", 1));
        browser.until(ExpectedConditions.textToBe(By.id("job-note"), "Waiting: number 1 in the queue."));
        assertThat(driver.findElement(By.id("job-note")).getDomAttribute("role")).isEqualTo("status");
    }

    @Test
    void theLogFollowsItsTailUntilPausedAndSaysHowManyLinesCameMeanwhile() {
        put(new JsonObject().put("status", "RUNNING").put("progress", new JsonObject().put("done", 0).put("total", 100)));
        BackendStandIn.LiveStream stream = new BackendStandIn.LiveStream();
        BackendStandIn.LIVE.put(job, stream);
        signIn();
        driver.get(app + "jobs/" + job);
        write(stream, 1, 40);
        awaitLines(40);
        browser.until("the log follows its last line", d -> atBottom());

        browser.click(By.id("log-pause"));
        assertThat(driver.findElement(By.id("log-pause")).getDomAttribute("aria-pressed")).isEqualTo("true");
        driver.executeScript("document.getElementById('log').scrollTop = 0");
        write(stream, 41, 60);
        awaitLines(60);
        browser.until(ExpectedConditions.textToBe(By.id("log-held"), "20 new lines below"));
        assertThat(((Number) driver.executeScript("return document.getElementById('log').scrollTop")).intValue()).isZero();

        browser.click(By.id("log-pause"));
        assertThat(driver.findElement(By.id("log-pause")).getDomAttribute("aria-pressed")).isEqualTo("false");
        browser.until("the log is at its last line again", d -> atBottom());
        assertThat(driver.findElement(By.id("log-held")).getText()).isEmpty();
        // the log is no live region: screen readers are not read every line as it comes
        assertThat(driver.findElement(By.id("log")).getDomAttribute("aria-live")).isNull();
        assertThat(driver.findElement(By.id("log")).getDomAttribute("role")).isNull();
    }

    @Test
    void theFormOffersEveryParameterOfTheChosenProgramWithItsDefaultAndRange() {
        signIn();
        By evalue = By.xpath("//div[@data-name='evalue']");
        browser.until(ExpectedConditions.visibilityOfElementLocated(evalue));
        assertThat(driver.findElement(evalue).getText()).contains("default 10; > 0 and ≤ 1000");
        assertThat(driver.findElement(By.xpath("//div[@data-name='word_size' and not(@hidden)]")).getText()).contains("≥ 2 and ≤ 7");
        assertThat(shownParameters()).contains("task", "evalue", "max_target_seqs", "matrix", "word_size", "qcov_hsp_perc",
                "comp_based_stats").doesNotContain("perc_identity");
        assertThat(field("word_size").getDomAttribute("min")).isEqualTo("2");
        assertThat(field("word_size").getDomAttribute("max")).isEqualTo("7");

        new Select(driver.findElement(By.id("program"))).selectByValue("blastn");
        browser.until(ExpectedConditions.textToBe(By.id("params-program"), "blastn"));
        assertThat(shownParameters()).contains("perc_identity", "word_size").doesNotContain("matrix", "comp_based_stats");
        assertThat(driver.findElement(By.xpath("//div[@data-name='word_size' and not(@hidden)]")).getText()).contains("≥ 4 and ≤ 64");
        assertThat(new Select(driver.findElement(By.xpath("//div[@data-name='task' and not(@hidden)]/select")))
                .getFirstSelectedOption().getText()).isEqualTo("megablast (default)");
    }

    @Test
    void editAndRunAgainFillsTheFormWithTheJobsQueriesAndParametersAndSubmitsThem() {
        put(new JsonObject().put("status", "SUCCEEDED").put("startedAt", at.minusSeconds(60).toString())
                .put("finishedAt", at.toString()));
        String input = ">q1 first query\nMKTAYIAKQRQISFVKSHFSRQ\n>q2\nGGSSWWPPLLKKAA\n";
        BackendStandIn.ARTIFACTS.put(job, new JsonArray().add(new JsonObject().put("name", "input.fasta").put("kind", "file")
                .put("state", "ready").put("size", input.length())));
        BackendStandIn.FILES.put(job + "/input.fasta", input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        signIn();
        driver.get(app + "jobs/" + job);
        browser.until(ExpectedConditions.textToBe(By.id("status"), "SUCCEEDED"));
        browser.click(By.id("resubmit"));
        browser.until(ExpectedConditions.urlToBe(app.toString()));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("resubmit-note"),
                "Filled from job " + job + " (detailed search), its 2 queries included"));
        assertThat(driver.findElement(By.id("fasta")).getDomProperty("value")).isEqualTo(input);
        assertThat(new Select(driver.findElement(By.id("program"))).getFirstSelectedOption().getDomAttribute("value")).isEqualTo("blastp");
        assertThat(field("evalue").getDomProperty("value")).isEqualTo("0.001");

        // the queries edited in place: the second one dropped
        driver.findElement(By.id("fasta")).clear();
        driver.findElement(By.id("fasta")).sendKeys(">q1 first query\nMKTAYIAKQRQISFVKSHFSRQ\n");
        field("evalue").clear();
        field("evalue").sendKeys("0.01");
        browser.click(By.cssSelector("#submit button[type=submit]"));
        browser.until("the job submitted", d -> !submits().isEmpty());
        JobSubmission submission = EventJson.decode(submits().getFirst().body(), JobSubmission.class);
        assertThat(submission.sequenceCount()).isEqualTo(1);
        assertThat(submission.fasta()).contains(">q1 first query", "MKTAYIAKQRQISFVKSHFSRQ").doesNotContain("q2");
        assertThat(submission.params()).containsEntry("program", "blastp").containsEntry("evalue", 0.01)
                .containsEntry("matrix", "BLOSUM80").containsEntry("max_target_seqs", 25);
    }

    @Test
    void editAndRunAgainUnchangedSubmitsTheJobsOwnQueries() {
        put(new JsonObject().put("status", "FAILED").put("finishedAt", at.toString()));
        String input = ">q1 first query\nMKTAYIAKQRQISFVKSHFSRQ\n>q2\nGGSSWWPPLLKKAA\n";
        BackendStandIn.ARTIFACTS.put(job, new JsonArray().add(new JsonObject().put("name", "input.fasta").put("kind", "file")
                .put("state", "ready").put("size", input.length())));
        BackendStandIn.FILES.put(job + "/input.fasta", input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        signIn();
        driver.get(app + "jobs/" + job);
        browser.until(ExpectedConditions.textToBe(By.id("status"), "FAILED"));
        browser.click(By.id("resubmit"));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("resubmit-note"), "its 2 queries included"));
        browser.click(By.cssSelector("#submit button[type=submit]"));
        browser.until("the job submitted", d -> !submits().isEmpty());
        JobSubmission submission = EventJson.decode(submits().getFirst().body(), JobSubmission.class);
        assertThat(submission.sequenceCount()).isEqualTo(2);
        assertThat(submission.fasta()).contains(">q1 first query", "MKTAYIAKQRQISFVKSHFSRQ", ">q2", "GGSSWWPPLLKKAA");
    }

    @Test
    void editAndRunAgainOfAJobWhoseQueriesAreNotKeptSaysSoAndAsksForThem() {
        put(new JsonObject().put("status", "SUCCEEDED").put("startedAt", at.minusSeconds(60).toString())
                .put("finishedAt", at.toString()));
        // finalized before the input was one of a job's artifacts: it has none
        BackendStandIn.ARTIFACTS.put(job, new JsonArray().add(new JsonObject().put("name", "hits.tsv").put("kind", "file")
                .put("state", "ready")));
        signIn();
        driver.get(app + "jobs/" + job);
        browser.until(ExpectedConditions.textToBe(By.id("status"), "SUCCEEDED"));
        browser.click(By.id("resubmit"));
        browser.until(ExpectedConditions.urlToBe(app.toString()));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("resubmit-note"), "Filled from job " + job));
        assertThat(driver.findElement(By.id("resubmit-note")).getText())
                .contains("its queries are not kept with it: paste or choose 2 queries (queries.fasta) again");
        assertThat(driver.findElement(By.id("fasta")).getDomProperty("value")).isEmpty();
        assertThat(new Select(driver.findElement(By.id("program"))).getFirstSelectedOption().getDomAttribute("value")).isEqualTo("blastp");
        assertThat(field("evalue").getDomProperty("value")).isEqualTo("0.001");
        assertThat(field("max_target_seqs").getDomProperty("value")).isEqualTo("25");
        assertThat(field("matrix").getDomProperty("value")).isEqualTo("BLOSUM80");

        field("evalue").clear();
        field("evalue").sendKeys("0.01");
        driver.findElement(By.id("fasta")).sendKeys(">q1\nMKTAYIAKQRQISFVKSHFSRQ\n");
        browser.click(By.cssSelector("#submit button[type=submit]"));
        browser.until("the job submitted", d -> !submits().isEmpty());
        JobSubmission submission = EventJson.decode(submits().getFirst().body(), JobSubmission.class);
        assertThat(submission.database()).isEqualTo("demo");
        assertThat(submission.params()).containsEntry("program", "blastp").containsEntry("evalue", 0.01)
                .containsEntry("matrix", "BLOSUM80").containsEntry("max_target_seqs", 25);
    }

    private org.openqa.selenium.WebElement field(String name) {
        return driver.findElement(By.xpath("//div[@data-name='" + name + "' and not(@hidden)]/*[self::input or self::select]"));
    }

    private List<String> shownParameters() {
        return driver.findElements(By.cssSelector("#params-fields .param")).stream().filter(org.openqa.selenium.WebElement::isDisplayed)
                .map(div -> div.getDomAttribute("data-name")).toList();
    }

    private List<BackendStandIn.Seen> submits() {
        return BackendStandIn.SEEN.stream().filter(seen -> seen.method().equals("POST") && seen.path().equals("/api/v1/jobs")).toList();
    }

    /** Each term of a definition list with its definition, as "term definition". */
    private List<String> definitions(String id) {
        List<String> terms = driver.findElements(By.cssSelector("#" + id + " dt")).stream().map(e -> e.getText()).toList();
        List<String> values = driver.findElements(By.cssSelector("#" + id + " dd")).stream().map(e -> e.getText()).toList();
        return java.util.stream.IntStream.range(0, terms.size()).mapToObj(i -> terms.get(i) + " " + values.get(i)).toList();
    }

    private static void write(BackendStandIn.LiveStream stream, int from, int to) {
        for (int seq = from; seq <= to; seq++) {
            stream.log("ignored", seq, "line " + seq, 100);
        }
    }

    private void awaitLines(int count) {
        browser.until(count + " log lines shown", d -> d.findElement(By.id("log")).getDomProperty("textContent").lines()
                .filter(line -> line.startsWith("[blastp]")).count() >= count);
    }

    private boolean atBottom() {
        return (Boolean) driver.executeScript("const log = document.getElementById('log');"
                + " return log.scrollHeight > log.clientHeight && log.scrollTop + log.clientHeight >= log.scrollHeight - 2;");
    }

    private void signIn() {
        driver.get(app.toString());
        browser.click(By.cssSelector("#paste summary"));
        driver.findElement(By.id("token")).sendKeys(
                identity.tokens().orElseThrow().issue(USER, Duration.ofMinutes(5), Instant.now()), Keys.TAB);
        browser.until(ExpectedConditions.textToBe(By.id("who"), "Signed in as " + USER + " (administrator)."));
    }
}
