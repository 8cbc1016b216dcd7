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
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * A finished job's hits in a real browser (headless Chromium): the table sorted and paged as the
 * reader asks, any hit's alignment, and a figure of where each hit falls on a query, coloured by bit
 * score, that can be saved as an SVG file.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class WebResultsTest {

    /** q1 has 55 hits (more than a page of 50), q2 has 5; q1 is 300 long, q2 120. */
    private static final int Q1_HITS = 55;
    /** Queries of the job without hits: more than the ten rows the summary once showed. */
    private static final int NO_HIT_QUERIES = 12;

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
        BackendStandIn.OWNERS.put(job, "carol");
        BackendStandIn.JOBS.put(job, new JsonObject().put("id", job).put("owner", "carol").put("name", "results")
                .put("database", "demo").put("status", "SUCCEEDED").put("attempt", 1).put("createdAt", Instant.now().toString())
                .put("progress", new JsonObject().put("done", 2).put("total", 2)));
        BackendStandIn.ARTIFACTS.put(job, new JsonArray().add(new JsonObject().put("name", "hits").put("kind", "table").put("state", "ready")));
        JsonArray hits = new JsonArray();
        for (int i = 0; i < Q1_HITS + 5; i++) {
            boolean q1 = i < Q1_HITS;
            int qlen = q1 ? 300 : 120;
            // hit 0 covers all of q1 with the best score; the others shorter and weaker, each differently
            hits.add(new JsonObject().put("ord", i).put("qseqid", q1 ? "q1" : "q2").put("sseqid", "s" + i)
                    .put("pident", 40.0 + (i * 7) % 60).put("length", 50).put("qstart", i == 0 ? 1 : 1 + i % 50)
                    .put("qend", i == 0 ? qlen : 60 + i % 50).put("evalue", i == 0 ? 1e-90 : 1e-3 * (i % 13 + 1))
                    .put("bitscore", i == 0 ? 250.0 : 30.0 + (i * 11) % 150).put("qlen", qlen).put("stitle", "subject " + i));
        }
        // as summary.json lists them: every query of the input in its order, q0 and q3…q14 without hits
        JsonArray perQuery = new JsonArray()
                .add(new JsonObject().put("query", "q1").put("hits", Q1_HITS).put("bestEvalue", 1e-90).put("bestBitscore", 250.0))
                .add(new JsonObject().put("query", "q0").put("hits", 0))
                .add(new JsonObject().put("query", "q2").put("hits", 5).put("bestEvalue", 1e-3).put("bestBitscore", 60.0));
        for (int q = 3; q <= NO_HIT_QUERIES + 1; q++) {
            perQuery.add(new JsonObject().put("query", "q" + q).put("hits", 0));
        }
        BackendStandIn.RESULTS.put(job, new JsonObject().put("hits", hits).put("summary", new JsonObject()
                .put("hits", Q1_HITS + 5).put("queries", perQuery.size()).put("queriesWithHits", 2).put("perQuery", perQuery)));
        browser = HeadlessBrowser.start();
        driver = browser.driver();
        driver.get(app.toString());
        browser.click(By.cssSelector("#paste summary"));
        driver.findElement(By.id("token")).sendKeys(
                identity.tokens().orElseThrow().issue("carol", Duration.ofMinutes(5), Instant.now()), Keys.TAB);
        browser.until(ExpectedConditions.textToBe(By.id("who"), "Signed in as carol."));
        driver.get(app + "jobs/" + job);
        browser.until(ExpectedConditions.textToBe(By.id("status"), "SUCCEEDED"));
        browser.until(ExpectedConditions.textToBe(By.id("hits-total"), (Q1_HITS + 5) + " hits, best e-value first"));
    }

    @AfterEach
    void close() {
        browser.close();
        BackendStandIn.RESULTS.remove(job);
        BackendStandIn.ARTIFACTS.remove(job);
        BackendStandIn.JOBS.remove(job);
        BackendStandIn.OWNERS.remove(job);
    }

    @Test
    void theHitTableIsSortedAndPagedAsAsked() {
        assertThat(column("sseqid")).hasSize(50).first().isEqualTo("s0");
        List<Double> evalues = column("evalue").stream().map(Double::parseDouble).toList();
        assertThat(evalues).isSorted();

        browser.click(By.id("hits-more"));
        browser.until("the next page appended", d -> column("sseqid").size() == Q1_HITS + 5);
        assertThat(driver.findElement(By.id("hits-more")).isDisplayed()).isFalse();
        assertThat(column("sseqid")).doesNotHaveDuplicates();

        new Select(driver.findElement(By.id("hits-sort"))).selectByValue("bitscore");
        browser.until(ExpectedConditions.textToBe(By.id("hits-total"), (Q1_HITS + 5) + " hits, best bit score first"));
        browser.until("a fresh first page", d -> column("sseqid").size() == 50);
        List<Double> scores = column("bitscore").stream().map(text -> Double.parseDouble(text.replace(",", ""))).toList();
        assertThat(scores).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        driver.findElement(By.id("hits-query")).sendKeys("q2", Keys.ENTER);
        browser.until(ExpectedConditions.textToBe(By.id("hits-total"), "5 hits of q2, best bit score first"));
        assertThat(column("qseqid")).hasSize(5).containsOnly("q2");
    }

    @Test
    void theSummaryListsEveryQueryInInputOrderThoseWithoutHitsAsSuch() {
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("summary-counts")));
        int queries = NO_HIT_QUERIES + 2;
        assertThat(driver.findElement(By.id("summary-counts")).getText())
                .isEqualTo((Q1_HITS + 5) + " hits · 2 of " + queries + " queries with hits");
        List<WebElement> rows = driver.findElements(By.cssSelector("#summary-queries tr"));
        assertThat(rows).hasSize(queries);
        assertThat(rows).extracting(row -> row.findElement(By.cssSelector("td")).getDomProperty("textContent"))
                .startsWith("q1", "q0", "q2", "q3").endsWith("q" + (NO_HIT_QUERIES + 1));
        assertThat(rows.get(0).getDomAttribute("class")).isNull();
        assertThat(rows.get(0).getDomProperty("textContent")).contains("250");
        assertThat(rows.get(1).getDomAttribute("class")).isEqualTo("no-hits");
        assertThat(rows.get(1).findElements(By.cssSelector("td"))).extracting(td -> td.getDomProperty("textContent"))
                .containsExactly("q0", "0", "no hits", "");
        assertThat(rows).filteredOn(row -> "no-hits".equals(row.getDomAttribute("class"))).hasSize(NO_HIT_QUERIES);
        // the figure is offered for the queries with hits only
        assertThat(new Select(driver.findElement(By.id("overview-query"))).getOptions()).extracting(WebElement::getText)
                .containsExactly("q1", "q2");
    }

    @Test
    void anyHitsAlignmentIsShownBelowTheTable() {
        WebElement view = driver.findElement(By.xpath("//tbody[@id='hits']/tr[1]//button[.='View']"));
        assertThat(view.getDomAttribute("aria-label")).isEqualTo("Alignment of s0 for q1");
        view.click();
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("alignment-text")));
        browser.until(ExpectedConditions.textToBe(By.id("alignment-title"), "Alignment of s0 for q1"));
        assertThat(driver.findElement(By.id("alignment-text")).getText()).startsWith("Query= q1\n>s0\n Score = 250.0 bits");
        browser.until("the alignment's heading has the focus", d -> "alignment-title".equals(d.switchTo().activeElement().getDomAttribute("id")));

        browser.click(By.xpath("//tbody[@id='hits']/tr[2]//button[.='View']"));
        String second = driver.findElement(By.xpath("//tbody[@id='hits']/tr[2]/td[2]")).getText();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alignment-text"), ">" + second + "\n"));
        browser.click(By.id("alignment-close"));
        browser.until(ExpectedConditions.invisibilityOfElementLocated(By.id("alignment")));
    }

    @Test
    void aFigureShowsWhereEachHitFallsOnTheQueryAndCanBeSavedAsSvg() throws IOException {
        By bars = By.cssSelector("#overview-figure svg rect[data-ord]");
        browser.until("q1's figure", d -> d.findElements(bars).size() == Q1_HITS);
        assertThat(new Select(driver.findElement(By.id("overview-query"))).getOptions()).extracting(WebElement::getText)
                .containsExactly("q1", "q2");
        // the best hit first, across the whole query, in the top band's colour
        WebElement best = driver.findElements(bars).getFirst();
        assertThat(best.getDomAttribute("data-ord")).isEqualTo("0");
        assertThat(best.getDomAttribute("fill")).isEqualTo("#d7191c");
        assertThat(Double.parseDouble(best.getDomAttribute("x"))).isEqualTo(20.0);
        assertThat(Double.parseDouble(best.getDomAttribute("width"))).isEqualTo(720.0);
        assertThat(driver.findElement(By.cssSelector("#overview-figure svg title")).getDomProperty("textContent"))
                .isEqualTo("Where " + Q1_HITS + " hits align on q1 (300 long)");

        WebElement save = driver.findElement(By.id("overview-export"));
        assertThat(save.getDomAttribute("download")).isEqualTo("overview-q1.svg");
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        save.click();
        Path file = downloads.resolve("overview-q1.svg");
        browser.until("the figure saved", d -> Files.isRegularFile(file) && !Files.exists(downloads.resolve("overview-q1.svg.crdownload")));
        String saved = Files.readString(file);
        assertThat(saved).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").contains("data-ord=\"54\"").endsWith("</svg>");

        new Select(driver.findElement(By.id("overview-query"))).selectByVisibleText("q2");
        browser.until("q2's figure", d -> d.findElements(bars).size() == 5);
        assertThat(driver.findElement(By.id("overview-export")).getDomAttribute("download")).isEqualTo("overview-q2.svg");
    }

    /** The text of one column of the hit table, top to bottom. */
    private List<String> column(String name) {
        List<String> heads = driver.findElements(By.cssSelector("#hits-head th")).stream().map(WebElement::getText).toList();
        int at = heads.indexOf(name) + 1;
        return driver.findElements(By.xpath("//tbody[@id='hits']/tr/td[" + at + "]")).stream().map(WebElement::getText).toList();
    }
}
