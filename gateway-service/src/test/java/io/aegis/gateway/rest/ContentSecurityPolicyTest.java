package io.aegis.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentSecurityPolicyTest {

    @Test
    void withoutAProviderTheAppTalksOnlyToItsOwnOrigin() {
        assertThat(ContentSecurityPolicy.policy(Optional.empty()))
                .contains("connect-src 'self';", "script-src 'self';", "frame-ancestors 'none'", "object-src 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "*");
    }

    @Test
    void withAProviderTheAppMayAlsoFetchFromTheProvidersOriginOnly() {
        assertThat(ContentSecurityPolicy.policy(Optional.of(URI.create("https://ID.lab.example:8443/realms/aegis"))))
                .contains("connect-src 'self' https://id.lab.example:8443;")
                .doesNotContain("/realms/", "script-src 'self' https");
        assertThat(ContentSecurityPolicy.policy(Optional.of(URI.create("https://id.lab.example/realms/aegis"))))
                .contains("connect-src 'self' https://id.lab.example;");
    }

    @Test
    void anIssuerThatIsNotAnAbsoluteUriIsRefused() {
        assertThatThrownBy(() -> ContentSecurityPolicy.origin(URI.create("/realms/aegis")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
