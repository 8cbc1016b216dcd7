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
        HistoryQuery.Sql sql = HistoryQuery.parse("alice", null, null, null, null, null, null, null, null).toSql("id")
                .getFirst();
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
                null, "2026-01-01T00:00:00Z", null);
        List<HistoryQuery.Sql> sql = query.toSql("id, created_at");

        assertThat(query.after()).isEqualTo(new HistoryQuery.Cursor(at, id));
        assertThat(sql).hasSize(1);
        assertThat(sql.getFirst().text()).isEqualTo("SELECT id, created_at FROM jobs.job WHERE owner = $1"
                + " AND pipeline = $3 AND database_name = $4 AND created_at >= $5"
                + " AND (created_at, id) < ($6, $7) AND status = $2 ORDER BY created_at DESC, id DESC LIMIT $8");
        assertThat(sql.getFirst().params()).containsExactly("bob", "FAILED", "blast", "demo",
                Instant.parse("2026-01-01T00:00:00Z"), at, id, 21);
    }

    @Test
    void aTextSearchLooksAmongTheNewestJobsFirstThenEveryMatchThroughTheTrigramIndex() {
        Instant at = Instant.parse("2026-03-04T05:06:07Z");
        UUID id = UUID.randomUUID();
        HistoryQuery query = HistoryQuery.parse("bob", "20", new HistoryQuery.Cursor(at, id).encode(),
                List.of("failed", "cancelled"), null, "demo", "50%_Off", null, null);
        List<HistoryQuery.Sql> sql = query.toSql("id, name, file_name, created_at");

        String branch = "(SELECT id, name, file_name, created_at FROM jobs.job WHERE owner = $1 AND database_name = $4"
                + " AND (created_at, id) < ($5, $6) AND status = $%d ORDER BY created_at DESC, id DESC LIMIT $7)";
        assertThat(sql).hasSize(2);
        assertThat(sql.get(0).text()).isEqualTo("SELECT * FROM (SELECT * FROM (" + branch.formatted(2) + " UNION ALL "
                + branch.formatted(3) + ") AS page ORDER BY created_at DESC, id DESC LIMIT $7) AS recent"
                + " WHERE (name ILIKE $8 OR file_name ILIKE $8) ORDER BY created_at DESC, id DESC LIMIT $9");
        assertThat(sql.get(0).params()).containsExactly("bob", "CANCELLED", "FAILED", "demo", at, id,
                HistoryQuery.RECENT, "%50\\%\\_Off%", 21);
        // the whole term stays a condition (it decides what matches); its pieces are offered to the planner
        assertThat(sql.get(1).text()).isEqualTo("WITH hits AS MATERIALIZED (SELECT id, name, file_name, created_at"
                + " FROM jobs.job WHERE owner = $1 AND database_name = $4 AND (name ILIKE $5 OR file_name ILIKE $5)"
                + " AND (created_at, id) < ($6, $7) AND (name ILIKE $8 OR file_name ILIKE $8) AND status IN ($2, $3))"
                + " SELECT * FROM hits ORDER BY created_at DESC, id DESC LIMIT $9");
        assertThat(sql.get(1).params()).containsExactly("bob", "CANCELLED", "FAILED", "demo", "%50\\%\\_Off%", at, id,
                "%Off%", 21);
        // which piece the index looks up depends on the values: no generic plan for that statement
        assertThat(sql).extracting(HistoryQuery.Sql::customPlan).containsExactly(false, true);
    }

    @Test
    void aSingleWordTermIsLookedUpByItselfAlone() {
        HistoryQuery.Sql sql = HistoryQuery.parse("bob", null, null, null, null, null, "1234", null, null)
                .toSql("id, name, file_name, created_at").get(1);

        assertThat(sql.text()).isEqualTo("WITH hits AS MATERIALIZED (SELECT id, name, file_name, created_at"
                + " FROM jobs.job WHERE owner = $1 AND (name ILIKE $2 OR file_name ILIKE $2))"
                + " SELECT * FROM hits ORDER BY created_at DESC, id DESC LIMIT $3");
        assertThat(sql.params()).containsExactly("bob", "%1234%", 51);
    }

    @Test
    void theTermsPiecesAreItsWordsAndItsShortWordsWithTheCharactersThatBoundThem() {
        assertThat(HistoryQuery.pieces("run 1234")).containsExactly("1234", "run");
        // a short word has trigrams of its own only between two characters: "-12." has three
        assertThat(HistoryQuery.pieces("queries-12.fasta")).containsExactly("queries", "-12.", "fasta");
        assertThat(HistoryQuery.pieces("a-b.c")).containsExactly("-b.");
        // at either end its trigrams would say little ("q" at the end: any word that begins with q)
        assertThat(HistoryQuery.pieces("run 1234 q")).containsExactly("1234", "run");
        assertThat(HistoryQuery.pieces("x-1")).isEmpty();
        assertThat(HistoryQuery.pieces("50%_Off")).containsExactly("Off");
        assertThat(HistoryQuery.pieces("Ähm 7")).containsExactly("Ähm");
    }

    @Test
    void piecesLeaveOutTheWholeTermDuplicatesInAnyCaseAndAllButTheLongest() {
        assertThat(HistoryQuery.pieces("1234")).isEmpty();
        assertThat(HistoryQuery.pieces("RUN run 1234 Run")).containsExactly("1234", "RUN");
        assertThat(HistoryQuery.pieces("alpha beta gamma delta epsilon zeta"))
                .hasSize(HistoryQuery.MAX_PIECES).containsExactly("epsilon", "alpha", "gamma", "delta");
    }

    @Test
    void aTermTheTrigramIndexCannotServeIsLookedForAmongABoundedNumberOfTheNewestJobs() {
        List<HistoryQuery.Sql> sql = HistoryQuery.parse("bob", null, null, null, null, null, "a_b", null, null)
                .toSql("id, name, file_name, created_at");

        String window = "SELECT * FROM (SELECT id, name, file_name, created_at FROM jobs.job WHERE owner = $1"
                + " ORDER BY created_at DESC, id DESC LIMIT $2) AS recent WHERE (name ILIKE $3 OR file_name ILIKE $3)"
                + " ORDER BY created_at DESC, id DESC LIMIT $4";
        assertThat(sql).extracting(HistoryQuery.Sql::text).containsExactly(window, window);
        assertThat(sql.get(0).params()).containsExactly("bob", HistoryQuery.RECENT, "%a\\_b%", 51);
        assertThat(sql.get(1).params()).containsExactly("bob", HistoryQuery.SHORT_TERM_WINDOW, "%a\\_b%", 51);
    }

    @Test
    void onlyATermWithThreeLettersOrDigitsInARowHasATrigramToLookUp() {
        assertThat(HistoryQuery.indexable("run 1234")).isTrue();
        assertThat(HistoryQuery.indexable("1.fa")).isFalse();
        assertThat(HistoryQuery.indexable("1.fas")).isTrue();
        assertThat(HistoryQuery.indexable("ab")).isFalse();
        assertThat(HistoryQuery.indexable("%_%")).isFalse();
        assertThat(HistoryQuery.indexable("a_b_c")).isFalse();
        assertThat(HistoryQuery.indexable("Ähm")).isTrue();
    }

    @Test
    void theTermsWildcardsAndBackslashAreLiteralInItsPattern() {
        assertThat(HistoryQuery.pattern("50%_a\\b")).isEqualTo("%50\\%\\_a\\\\b%");
    }

    @Test
    void severalStatusesAreOneOrderedBranchPerStatusMergedSoEachWalksItsIndex() {
        HistoryQuery.Sql sql = HistoryQuery.parse("bob", "10", null, List.of("running,QUEUED"), null, null, null,
                null, null).toSql("id, created_at").getFirst();

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
