package io.aegis.artifact.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.contracts.problem.ProblemException;
import io.aegis.events.SearchArchive;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SearchedDatabaseTest {

    private static final SearchArchive SEARCH = new SearchArchive(SearchArchive.SCHEMA, "blastp", "demo", "a1b2c3",
            "/store/databases/demo/demo", 1, 2, Map.of());

    private static Properties marker(String version) {
        Properties marker = new Properties();
        marker.setProperty("type", "PROTEIN");
        marker.setProperty("version", version);
        return marker;
    }

    @Test
    void theVersionSearchedIsTheOnlyOneThatAnswers() {
        assertThatCode(() -> SearchedDatabase.requireSame(SEARCH, marker("a1b2c3"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> SearchedDatabase.requireSame(SEARCH, marker("ffff00")))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(409);
                    assertThat(e.problem().code()).isEqualTo("DATABASE_CHANGED");
                    assertThat(e.problem().detail()).contains("a1b2c3", "ffff00", "demo");
                });
        assertThatThrownBy(() -> SearchedDatabase.requireSame(SEARCH, null))
                .isInstanceOfSatisfying(ProblemException.class, e ->
                        assertThat(e.problem().detail()).contains("no longer there"));
    }
}
