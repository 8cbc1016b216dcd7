package io.aegis.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrossOriginPolicyTest {

    private static final Set<String> ALLOWED = CrossOriginPolicy.allowed(List.of("https://Portal.lab.example", " ",
            "https://tools.lab.example:443"));

    @Test
    void anAllowedOriginMayReadTheAnswerAndItsPreflightSaysWhatItMaySend() {
        assertThat(ALLOWED).containsExactlyInAnyOrder("https://portal.lab.example", "https://tools.lab.example");
        assertThat(CrossOriginPolicy.headers(ALLOWED, "https://portal.lab.example", false))
                .containsEntry("Access-Control-Allow-Origin", "https://portal.lab.example")
                .containsKey("Access-Control-Expose-Headers")
                .doesNotContainKey("Access-Control-Allow-Credentials");
        assertThat(CrossOriginPolicy.headers(ALLOWED, "https://portal.lab.example", true))
                .containsEntry("Access-Control-Allow-Headers", CrossOriginPolicy.ALLOW_HEADERS)
                .containsEntry("Access-Control-Allow-Methods", CrossOriginPolicy.ALLOW_METHODS)
                .containsKey("Access-Control-Max-Age");
    }

    @Test
    void anyOtherOriginAndNoOriginGetNothing() {
        assertThat(CrossOriginPolicy.headers(ALLOWED, "https://evil.example", false)).isEmpty();
        assertThat(CrossOriginPolicy.headers(ALLOWED, "https://portal.lab.example.evil.example", true)).isEmpty();
        assertThat(CrossOriginPolicy.headers(ALLOWED, "http://portal.lab.example", false)).isEmpty();
        assertThat(CrossOriginPolicy.headers(ALLOWED, "null", false)).isEmpty();
        assertThat(CrossOriginPolicy.headers(ALLOWED, null, false)).isEmpty();
        assertThat(CrossOriginPolicy.headers(Set.of(), "https://portal.lab.example", true)).isEmpty();
    }

    @Test
    void onlyOriginsAreTakenAsConfigurationNotPagesOrWildcards() {
        for (String wrong : List.of("https://portal.lab.example/app", "*", "portal.lab.example")) {
            assertThatThrownBy(() -> CrossOriginPolicy.allowed(List.of(wrong))).as(wrong)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
