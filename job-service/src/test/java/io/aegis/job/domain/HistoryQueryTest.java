package io.aegis.job.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.events.ProblemException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HistoryQueryTest {

    @Test
    void theFirstPageIsTheOwnersNewestJobsPlusOneRowToKnowIfMoreFollow() {
        HistoryQuery.Sql sql = HistoryQuery.parse("alice", null, null, null, null, null, null, null, null).toSql("id");
        assertThat(sql.text()).isEqualTo(
                "SELECT id FROM jobs.job WHERE owner = $1 ORDER BY created_at DESC, id DESC LIMIT $2");
        assertThat(sql.params()).containsExactly("alice", HistoryQuery.DEFAULT_LIMIT + 1);
    }

    @Test
    void filtersAndTheCursorBecomeBoundParametersAlongTheIndex() {
        Instant at = Instant.parse("2026-03-04T05:06:07.123456Z");
        UUID id = UUID.randomUUID();
        String cursor = new HistoryQuery.Cursor(at, id).encode();
        HistoryQuery query = HistoryQuery.parse("bob", "20", cursor, List.of("running,QUEUED"), "blast", "demo",
                "50%_off", "2026-01-01T00:00:00Z", null);
        HistoryQuery.Sql sql = query.toSql("id");

        assertThat(query.after()).isEqualTo(new HistoryQuery.Cursor(at, id));
        assertThat(sql.text()).contains("status = ANY($2)").contains("pipeline = $3").contains("database_name = $4")
                .contains("(name ILIKE $5 OR file_name ILIKE $5)").contains("created_at >= $6")
                .contains("(created_at, id) < ($7, $8)").endsWith("LIMIT $9");
        assertThat(sql.params().get(4)).isEqualTo("%50\\%\\_off%");
        assertThat((String[]) sql.params().get(1)).containsExactly("QUEUED", "RUNNING");
        assertThat(sql.params().getLast()).isEqualTo(21);
    }

    @Test
    void malformedParametersAre400sNamingTheField() {
        assertThat(field(() -> HistoryQuery.parse("a", "500", null, null, null, null, null, null, null))).isEqualTo("limit");
        assertThat(field(() -> HistoryQuery.parse("a", "x", null, null, null, null, null, null, null))).isEqualTo("limit");
        assertThat(field(() -> HistoryQuery.parse("a", null, "not-a-cursor", null, null, null, null, null, null)))
                .isEqualTo("cursor");
        assertThat(field(() -> HistoryQuery.parse("a", null, null, List.of("DONE"), null, null, null, null, null)))
                .isEqualTo("status");
        assertThat(field(() -> HistoryQuery.parse("a", null, null, null, null, null, null, "yesterday", null)))
                .isEqualTo("from");
    }

    private static String field(Runnable parse) {
        assertThatThrownBy(parse::run).isInstanceOf(ProblemException.class);
        try {
            parse.run();
            throw new AssertionError("accepted");
        } catch (ProblemException e) {
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().code()).isEqualTo("INVALID_QUERY");
            return e.problem().errors().getFirst().field();
        }
    }
}
