package io.aegis.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.service.Identity;
import io.aegis.testing.HeadlessBrowser;
import io.aegis.testing.RedisServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Submitting from the web app in a real browser (headless Chromium), signed in with a pasted gateway
 * token: a double click on Run submits one job, and what the form shows is what it submits, the
 * pasted queries or the file, whichever the user gave last.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class WebSubmitTest {

    /** A user the test profile knows; other tests may have left their store quota full. */
    private static final String USER = "carol";
    private static final String PASTED = ">pasted\nMKTAYIAKQRQISFVKSHFSRQ";
    private static final String IN_FILE = ">from-file\nMSTNPKPQRKTKRNTNRRPQDVKFPGG\n";

    @Inject
    Identity identity;

    @TestHTTPResource("/")
    URL app;

    private HeadlessBrowser browser;
    private ChromeDriver driver;

    @BeforeEach
    void open() {
        BackendStandIn.SEEN.clear();
        BackendStandIn.USAGE.remove(USER);
        browser = HeadlessBrowser.start();
        driver = browser.driver();
        driver.get(app.toString());
        browser.click(By.cssSelector("#paste summary"));
        driver.findElement(By.id("token")).sendKeys(
                identity.tokens().orElseThrow().issue(USER, Duration.ofMinutes(5), Instant.now()), Keys.TAB);
        browser.until(ExpectedConditions.textToBe(By.id("who"), "Signed in as " + USER + "."));
        browser.until(d -> !d.findElements(By.cssSelector("#database option")).isEmpty());
    }

    @AfterEach
    void close() {
        browser.close();
    }

    @Test
    void aDoubleClickOnRunSubmitsTheJobOnce() {
        driver.findElement(By.id("fasta")).sendKeys(PASTED);
        new Actions(driver).doubleClick(driver.findElement(By.cssSelector("#submit button[type=submit]"))).perform();

        // the job shown and the history asked again after it: both clicks had long been handled by then
        browser.until(ExpectedConditions.textToBe(By.id("job-id"), "j1"));
        browser.until("the history loaded after the submit", d -> historyAfterSubmit());
        assertThat(submits()).as("jobs submitted by one double click").hasSize(1);
    }

    @Test
    void theQueriesSubmittedAreThoseTheUserGaveLastPastedOrAFile() throws Exception {
        Path file = Files.writeString(Files.createTempFile(Path.of("target").toAbsolutePath(), "queries-", ".fasta"), IN_FILE);

        // a file chosen, then queries pasted: the pasted ones go, and the file is no longer chosen
        driver.findElement(By.id("file")).sendKeys(file.toString());
        driver.findElement(By.id("fasta")).sendKeys(PASTED);
        assertThat(driver.findElement(By.id("file")).getDomProperty("value")).isEmpty();
        run(1);
        assertThat(submits().getLast().body()).contains("MKTAYIAKQRQISFVKSHFSRQ").doesNotContain("MSTNPKPQRK");

        // queries pasted, then a file chosen: the file goes, and the pasted queries are cleared
        driver.findElement(By.id("file")).sendKeys(file.toString());
        assertThat(driver.findElement(By.id("fasta")).getDomProperty("value")).isEmpty();
        run(2);
        assertThat(submits().getLast().body()).contains("MSTNPKPQRKTKRNTNRRPQDVKFPGG").doesNotContain("MKTAYIAKQR");
    }

    /** Clicks Run and waits until job-service has been asked for the {@code nth} job. */
    private void run(int nth) {
        browser.click(By.cssSelector("#submit button[type=submit]"));
        browser.until("submit " + nth + " reached job-service", d -> submits().size() == nth);
    }

    /** Whether the app asked for the history after its (first) submit, as it does once a job is accepted. */
    private boolean historyAfterSubmit() {
        List<BackendStandIn.Seen> seen = List.copyOf(BackendStandIn.SEEN);
        int submit = seen.indexOf(submits().getFirst());
        return seen.subList(submit, seen.size()).stream()
                .anyMatch(s -> s.method().equals("GET") && s.path().equals("/api/v1/jobs"));
    }

    private List<BackendStandIn.Seen> submits() {
        return BackendStandIn.SEEN.stream()
                .filter(seen -> seen.method().equals("POST") && seen.path().equals("/api/v1/jobs")).toList();
    }
}
