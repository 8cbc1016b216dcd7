package io.aegis.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.service.Identity;
import io.aegis.testing.HeadlessBrowser;
import io.aegis.testing.RedisServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The history paged in a real browser (headless Chromium), and the app usable at 800 px wide: nothing
 * wider than the window, the progress bar named, and the keyboard's focus visible on every control it
 * reaches, in a ring of at least 3:1 against the page.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
class WebHistoryTest {

    private static final String USER = "bob";
    private static final int JOBS = 25;

    @Inject
    Identity identity;

    @TestHTTPResource("/")
    URL app;

    private HeadlessBrowser browser;
    private ChromeDriver driver;
    private final List<String> jobs = new ArrayList<>();

    @BeforeEach
    void open() {
        Instant at = Instant.now();
        for (int i = 0; i < JOBS; i++) {
            String id = UUID.randomUUID().toString();
            jobs.add(id);
            BackendStandIn.OWNERS.put(id, USER);
            BackendStandIn.JOBS.put(id, new JsonObject().put("id", id).put("owner", USER).put("name", "search " + i)
                    .put("database", "demo").put("status", i == 0 ? "RUNNING" : "SUCCEEDED").put("attempt", 1)
                    .put("createdAt", at.minusSeconds(60L * i).toString())
                    .put("progress", new JsonObject().put("done", i == 0 ? 1 : 2).put("total", 2)));
        }
        browser = HeadlessBrowser.start();
        driver = browser.driver();
        driver.manage().window().setSize(new Dimension(800, 900));
        driver.get(app.toString());
        browser.click(By.cssSelector("#paste summary"));
        driver.findElement(By.id("token")).sendKeys(
                identity.tokens().orElseThrow().issue(USER, Duration.ofMinutes(5), Instant.now()), Keys.TAB);
        browser.until(ExpectedConditions.textToBe(By.id("who"), "Signed in as " + USER + "."));
    }

    @AfterEach
    void close() {
        browser.close();
        for (String id : jobs) {
            BackendStandIn.JOBS.remove(id);
            BackendStandIn.OWNERS.remove(id);
        }
    }

    @Test
    void theHistoryShowsTwentyJobsNewestFirstAndOlderOnesOnAsking() {
        browser.until("the first page", d -> names().size() == 20);
        assertThat(names()).startsWith("search 0", "search 1").endsWith("search 19");
        browser.click(By.id("more"));
        browser.until("the older jobs appended", d -> names().size() == JOBS);
        assertThat(names()).endsWith("search 24").doesNotHaveDuplicates();
        assertThat(driver.findElement(By.id("more")).isDisplayed()).isFalse();
        assertThat(BackendStandIn.SEEN).filteredOn(seen -> seen.path().equals("/api/v1/jobs") && seen.method().equals("GET")
                && seen.query() != null && seen.query().contains("cursor=20")).extracting(BackendStandIn.Seen::user).contains(USER);
    }

    @Test
    void at800PixelsWideNothingIsWiderThanTheWindowAndTheProgressBarIsNamed() {
        browser.until("the first page", d -> names().size() == 20);
        assertThat(overflow()).as("page wider than the window").isLessThanOrEqualTo(0);
        browser.click(By.xpath("//tbody[@id='history']/tr/td/a[.='search 0']"));
        browser.until(ExpectedConditions.textToBe(By.id("status"), "RUNNING"));
        assertThat(overflow()).as("job page wider than the window").isLessThanOrEqualTo(0);
        WebElement bar = driver.findElement(By.id("bar"));
        assertThat(bar.getDomAttribute("aria-label")).isEqualTo("Sequences searched");
        assertThat(bar.getAccessibleName()).isEqualTo("Sequences searched");
    }

    @Test
    void theKeyboardsFocusIsVisibleWithAtLeastThreeToOneContrast() {
        browser.until("the first page", d -> names().size() == 20);
        driver.findElement(By.tagName("body")).click();
        int checked = 0;
        for (int i = 0; i < 25; i++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            @SuppressWarnings("unchecked")
            Map<String, Object> ring = (Map<String, Object>) driver.executeScript(FOCUS_RING);
            if (ring == null) {
                continue;
            }
            assertThat((String) ring.get("style")).as("outline of %s", ring.get("what")).isNotEqualTo("none");
            assertThat(((Number) ring.get("width")).doubleValue()).as("outline width of %s", ring.get("what")).isGreaterThanOrEqualTo(2);
            assertThat(((Number) ring.get("contrast")).doubleValue()).as("contrast of %s's focus ring", ring.get("what"))
                    .isGreaterThanOrEqualTo(3);
            checked++;
        }
        assertThat(checked).as("controls reached by the keyboard").isGreaterThanOrEqualTo(10);
    }

    /**
     * The focused element's outline, and the contrast of its colour with the background behind the
     * element (the first opaque one up its ancestors).
     */
    private static final String FOCUS_RING = """
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
            const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
              .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
            let back = el.parentElement;
            let colour = [255, 255, 255];
            while (back) {
              const c = rgb(getComputedStyle(back).backgroundColor);
              if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { colour = c.slice(0, 3); break; }
              back = back.parentElement;
            }
            const style = getComputedStyle(el);
            const a = lum(rgb(style.outlineColor).slice(0, 3));
            const b = lum(colour);
            return { what: el.id || el.tagName, style: style.outlineStyle, width: parseFloat(style.outlineWidth),
              contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
            """;

    private long overflow() {
        // the page's width beyond what the window shows beside its vertical scrollbar
        return ((Number) driver.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth")).longValue();
    }

    private List<String> names() {
        return driver.findElements(By.cssSelector("#history tr td:nth-child(2)")).stream().map(WebElement::getText).toList();
    }
}
