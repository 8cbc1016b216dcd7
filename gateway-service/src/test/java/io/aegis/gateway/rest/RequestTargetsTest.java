package io.aegis.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.contracts.problem.Problem;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestTargetsTest {

    private static Optional<String> code(String target) {
        return RequestTargets.refusal(target).map(Problem::code);
    }

    @Test
    void wellFormedTargetsPass() {
        for (String target : List.of("/", "/api/v1/jobs", "/api/v1/jobs?limit=5&status=RUNNING&q=needle",
                "/api/v1/jobs/j1/results/hits?sort=bitscore&query=q%201&limit=5&cursor=c2NvcmU6MQ",
                "/api/v1/jobs/j1/artifacts/r%C3%A9sum%C3%A9.tsv", "/api/v1/jobs/j1/events?ticket=&lastEventId=7",
                "/app.css/../api/v1/jobs/j1", "/api/v1/jobs?q=a+b")) {
            assertThat(code(target)).as(target).isEmpty();
        }
    }

    @Test
    void aControlCharacterInAPathSegmentIsAnInvalidPath() {
        for (String target : List.of("/api/v1/jobs/j1/artifacts/hits%00.tsv", "/api/v1/jobs/j1%0A",
                "/api/v1/databases/demo%0D%0AX-Injected:%201", "/api/v1/jobs/%1B%5B31m/results/hits", "/api/v1/me%7F",
                "/api/v1/jobs/j1%C2%9B")) {
            assertThat(code(target)).as(target).contains("INVALID_PATH");
        }
    }

    @Test
    void aTargetThatIsNoUriIsRefusedWhereItBreaks() {
        assertThat(code("/api/v1/jobs/j1/artifacts/hits%G0")).contains("INVALID_PATH");
        assertThat(code("/api/v1/jobs/j1/artifacts/%")).contains("INVALID_PATH");
        assertThat(code("/api/v1/jobs/{id}")).contains("INVALID_PATH");
        assertThat(code("/api/v1/jobs/j1/results/hits?cursor=%ZZ")).contains("INVALID_QUERY");
        assertThat(code("/api/v1/jobs/j1/results/hits?cursor=abc%")).contains("INVALID_QUERY");
        assertThat(code("/api/v1/jobs/j1/results/hits?cursor=a|b")).contains("INVALID_QUERY");
        assertThat(code("/api/v1/me?x=\"y\"")).contains("INVALID_QUERY");
    }

    @Test
    void aControlCharacterInAQueryNameOrValueIsAnInvalidQuery() {
        assertThat(code("/api/v1/jobs?q=a+b%09")).contains("INVALID_QUERY");
        assertThat(code("/api/v1/jobs/j1/results/hits?query=q%001")).contains("INVALID_QUERY");
        assertThat(code("/api/v1/jobs?q=%1B%5B2J")).contains("INVALID_QUERY");
        assertThat(code("/api/v1/jobs?%0Aname=x")).contains("INVALID_QUERY");
    }

    @Test
    void aRefusalIsA400ProblemThatSaysWhy() {
        Problem problem = RequestTargets.refusal("/api/v1/jobs/j1/results/hits?cursor=%ZZ").orElseThrow();
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.type()).isEqualTo("urn:aegis:problem:invalid-query");
        assertThat(problem.detail()).contains("malformed percent escape");
    }
}
