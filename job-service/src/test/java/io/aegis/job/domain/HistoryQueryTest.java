package io.aegis.job.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.contracts.problem.ProblemException;
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
        HistoryQuery query = HistoryQuery.parse("bob", "20", cursor, List.of("failed"), "blast", "demo",
                "50%_off", "2026-01-01T00:00:00Z", null);
        HistoryQuery.Sql sql = query.toSql("id, created_at");

        assertThat(query.after()).isEqualTo(new HistoryQuery.Cursor(at, id));
        assertThat(sql.text()).isEqualTo("SELECT id, created_at FROM jobs.job WHERE owner = $1 AND pipeline = $3"
                + " AND database_name = $4 AND (name ILIKE $5 OR file_name ILIKE $5) AND created_at >= $6"
                + " AND (created_at, id) < ($7, $8) AND status = $2 ORDER BY created_at DESC, id DESC LIMIT $9");
        assertThat(sql.params()).containsExactly("bob", "FAILED", "blast", "demo", "%50\\%\\_off%",
                Instant.parse("2026-01-01T00:00:00Z"), at, id, 21);
    }

    @Test
    void severalStatusesAreOneOrderedBranchPerStatusMergedSoEachWalksItsIndex() {
        HistoryQuery.Sql sql = HistoryQuery.parse("bob", "10", null, List.of("running,QUEUED"), null, null, null,
                null, null).toSql("id, created_at");

        String branch = "(SELECT id, created_at FROM jobs.job WHERE owner = $1 AND status = $%d"
                + " ORDER BY created_at DESC, id DESC LIMIT $4)";
        assertThat(sql.text()).isEqualTo("SELECT * FROM (" + branch.formatted(2) + " UNION ALL " + branch.formatted(3)
                + ") AS page ORDER BY created_at DESC, id DESC LIMIT $4");
        assertThat(sql.params()).containsExactly("bob", "QUEUED", "RUNNING", 11);
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
