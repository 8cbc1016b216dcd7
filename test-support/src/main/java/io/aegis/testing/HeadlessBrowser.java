package io.aegis.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for the web app's tests: Debian's Chromium, headless, driven through its own
 * chromedriver ({@code ./aegis test} installs both: apt packages {@code chromium} and
 * {@code chromium-driver}, always of one version). The driver is named explicitly, so Selenium never
 * looks for one to download; names other than this machine's resolve nowhere, so the browser makes
 * no calls of its own. Its temporary files live in a folder of its own, removed on close.
 */
public final class HeadlessBrowser implements AutoCloseable {

    /** The longest a test waits for the page to get somewhere. */
    public static final Duration WAIT = Duration.ofSeconds(20);

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path temp;

    private HeadlessBrowser(ChromeDriver driver, Path temp) {
        this.driver = driver;
        this.temp = temp;
    }

    public static HeadlessBrowser start() {
        for (Path binary : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: the browser tests need Debian's chromium and "
                        + "chromium-driver (./aegis test installs them)");
            }
        }
        try {
            Path temp = Files.createTempDirectory("aegis-chromium-");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .withTimeout(Duration.ofSeconds(30))
                    .withEnvironment(Map.of("TMPDIR", temp.toString()))
                    .withLogFile(new File(temp.toFile(), "chromedriver.log"))
                    .build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-extensions",
                    "--disable-default-apps", "--disable-breakpad", "--password-store=basic", "--window-size=1280,900",
                    "--user-data-dir=" + temp.resolve("profile"),
                    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost");
            options.setExperimentalOption("prefs", Map.of("credentials_enable_service", false,
                    "profile.password_manager_enabled", false));
            options.setPageLoadTimeout(Duration.ofSeconds(30));
            // the page's console, for a test to show when it fails
            options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
            return new HeadlessBrowser(new ChromeDriver(service, options), temp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Clicks the element once it is there and clickable. */
    public void click(By element) {
        until(ExpectedConditions.elementToBeClickable(element)).click();
    }

    public <T> T until(Function<? super WebDriver, T> condition) {
        return until(String.valueOf(condition), condition);
    }

    /**
     * Waits up to {@link #WAIT} for {@code condition}; a timeout says what was awaited, where the
     * browser is, what the page shows and what its console said.
     */
    public <T> T until(String what, Function<? super WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, WAIT).withMessage(what).until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError(e.getMessage().lines().findFirst().orElse("") + "\nat " + driver.getCurrentUrl()
                    + "\npage:\n" + driver.findElement(By.tagName("body")).getText()
                    + "\nconsole:\n" + driver.manage().logs().get(LogType.BROWSER).getAll(), e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try {
                Folders.delete(temp);
            } catch (IOException ignored) {
                // a temporary folder left behind is harmless
            }
        }
    }
}
