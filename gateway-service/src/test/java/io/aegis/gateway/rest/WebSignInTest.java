package io.aegis.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.testing.HeadlessBrowser;
import io.aegis.testing.RedisServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web app signs in with a real provider (Keycloak) in a real browser (headless Chromium): the
 * authorization code flow with PKCE, through Keycloak's own login page; the tokens stay in the page's
 * memory, never in storage; a reload signs in again without a prompt; signing out ends the
 * provider's session too.
 */
@QuarkusTest
@WithTestResource(BackendStandIn.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(KeycloakResource.class)
class WebSignInTest {

    private static final Set<String> ALLOWED = ConcurrentHashMap.newKeySet();

    @TestHTTPResource("/")
    URL app;

    private HeadlessBrowser browser;
    private ChromeDriver driver;

    @BeforeEach
    void open() {
        BackendStandIn.SEEN.clear();
        // the provider lets this gateway's app sign in, as the operator sets it up (Keycloak: the client's
        // redirect URIs and web origins); the realm as shipped names the local stack's address only
        String origin = app.getProtocol() + "://" + app.getAuthority();
        if (ALLOWED.add(origin)) {
            KeycloakResource.server().allowOrigin(KeycloakResource.REALM, "aegis", origin);
        }
        browser = HeadlessBrowser.start();
        driver = browser.driver();
    }

    @AfterEach
    void close() {
        browser.close();
    }

    @Test
    void aUserSignsInWithTheProviderAndTheAppCallsTheApiAsThemWithTheTokenOnlyInMemory() {
        driver.get(app.toString());
        browser.click(By.id("sign-in"));
        // Keycloak's own login page
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(driver.getCurrentUrl()).startsWith(KeycloakResource.server().issuer(KeycloakResource.REALM).toString())
                .contains("code_challenge_method=S256").contains("code_challenge=");
        driver.findElement(By.id("username")).sendKeys("alice");
        driver.findElement(By.id("password")).sendKeys("alice-password");
        driver.findElement(By.id("kc-login")).click();

        awaitWho("Signed in as alice (administrator).");
        browser.until(ExpectedConditions.textToBe(By.id("usage"), "Your jobs take 0 bytes of your 1.0 MB store."));
        assertThat(driver.getCurrentUrl()).as("the code is gone from the address").isEqualTo(app.toString());
        // the history came from the services behind the gateway, asked as alice
        browser.until(d -> BackendStandIn.SEEN.stream().anyMatch(seen -> seen.path().equals("/api/v1/jobs") && "alice".equals(seen.user())));
        String storage = (String) driver.executeScript(
                "return JSON.stringify({...sessionStorage}) + JSON.stringify({...localStorage}) + document.cookie;");
        assertThat(storage).as("no token kept in storage").doesNotContain("eyJ");
        assertThat(driver.findElement(By.id("paste")).isDisplayed()).isFalse();

        // a reload loses the page's memory: the app signs in again, without a prompt, while the provider's session lasts
        driver.navigate().refresh();
        awaitWho("Signed in as alice (administrator).");

        browser.click(By.id("sign-out"));
        awaitWho("Not signed in.");
        assertThat(driver.findElement(By.id("sign-in")).isDisplayed()).isTrue();
        // the provider's session ended too: signing in asks for the password again
        browser.click(By.id("sign-in"));
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    }

    @Test
    void aUserWhoIsNotAnAdministratorIsShownAsSuch() {
        driver.get(app.toString());
        browser.click(By.id("sign-in"));
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        driver.findElement(By.id("username")).sendKeys("bob");
        driver.findElement(By.id("password")).sendKeys("bob-password");
        driver.findElement(By.id("kc-login")).click();
        awaitWho("Signed in as bob.");
    }

    @Test
    void aForgedAnswerFromTheProviderSignsNobodyIn() {
        // an address with a code and a state this tab never sent, as a cross-site request would forge it
        driver.get(app + "?code=forged&state=not-ours");
        browser.until(ExpectedConditions.textToBe(By.id("sign-in-error"),
                "Sign-in failed: the answer does not belong to a sign-in of this tab."));
        awaitWho("Not signed in.");
        assertThat(BackendStandIn.SEEN).noneMatch(seen -> seen.user() != null);
    }

    private void awaitWho(String text) {
        browser.until(ExpectedConditions.textToBe(By.id("who"), text));
    }
}
