package io.aegis.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aegis.sequences.FastaRecord;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShortQueriesTest {

    private static final List<FastaRecord> SOURCE = List.of(
            new FastaRecord("a", "", "MDGSKSPYMVNRNADVMTELGVDLKNNPIAIIPIRKIRKIYPNPDTEQVWRRIVHLEALCIFWTQSIPLAQMTAAK"),
            new FastaRecord("b", "", "LDSSKSPYMRNRNADVVTLLGVDLTNNPIAVIPILKHRTIYLNPDIECIRTRIVHLEALCVFWRQSITLAQTTAALTNAN"),
            new FastaRecord("short", "", "MKV"));

    @Test
    void theSameSeedCutsTheSameDistinctShortQueries() {
        List<FastaRecord> queries = ShortQueries.cut(SOURCE, 200, 7);
        assertEquals(queries, ShortQueries.cut(SOURCE, 200, 7));
        assertEquals(200, new HashSet<>(queries.stream().map(FastaRecord::sequence).toList()).size());
        assertEquals("s00001", queries.getFirst().id());
        assertTrue(queries.stream().allMatch(q -> q.length() >= ShortQueries.MIN_LENGTH
                && q.length() <= ShortQueries.MAX_LENGTH), "every query 30-60 residues");
        assertTrue(queries.stream().noneMatch(q -> q.description().startsWith("from short")),
                "a sequence shorter than a window is never cut");
    }

    @Test
    void sequencesTooShortForAnyWindowAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ShortQueries.cut(List.of(SOURCE.get(2)), 1, 1));
    }
}
