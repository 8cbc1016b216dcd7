package io.aegis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ProteinFamiliesTest {

    private final ProteinFamilies small = new ProteinFamilies(40, 3, 42L);

    @Test
    void theSameSeedGivesTheSameSequences() {
        assertThat(small.generate(25)).isEqualTo(new ProteinFamilies(40, 3, 42L).generate(25));
        assertThat(small.generate(25)).isNotEqualTo(new ProteinFamilies(40, 3, 43L).generate(25));
    }

    @Test
    void everyFamilyHasItsMembersAndTheQueriesAskedFor() {
        ProteinFamilies.Dataset data = small.generate(25);
        assertThat(data.database()).hasSize(40 * 3);
        assertThat(data.queries()).hasSize(25);
        assertThat(data.database().getFirst().id()).isEqualTo("F00001_01");
        assertThat(data.queries().getLast().id()).isEqualTo("Q00025");
    }

    @Test
    void moreQueriesLeaveTheDatabaseAndTheFirstQueriesAsTheyWere() {
        ProteinFamilies.Dataset few = small.generate(10);
        ProteinFamilies.Dataset more = small.generate(30);
        assertThat(more.database()).isEqualTo(few.database());
        assertThat(more.queries().subList(0, 10)).isEqualTo(few.queries());
    }

    @Test
    void theOutputIsValidFastaOfProteinsOfTypicalLength() {
        ProteinFamilies.Dataset data = small.generate(25);
        for (List<FastaRecord> records : List.of(data.database(), data.queries())) {
            // the parser every service uses: unique ids, residue letters only
            assertThat(Fasta.parse(Fasta.write(records))).isEqualTo(records);
        }
        Stream.concat(data.database().stream(), data.queries().stream()).forEach(record -> {
            assertThat(record.sequence()).matches("[ARNDCQEGHILKMFPSTWYV]+");
            // 100-600 residues, give or take what the insertions and deletions added or took
            assertThat(record.length()).isBetween(80, 700);
        });
    }

    @Test
    void membersOfAFamilyAreAlikeAndFamiliesAreNot() {
        List<FastaRecord> db = small.generate(0).database();
        // words of four residues in common: many within family 1, next to none with family 2
        assertThat(sharedWords(db.get(0).sequence(), db.get(1).sequence())).isGreaterThan(10);
        assertThat(sharedWords(db.get(0).sequence(), db.get(3).sequence())).isLessThan(5);
    }

    @Test
    void theBenchmarkDataIsTheSameOnEveryRun() throws Exception {
        ProteinFamilies.Dataset data = new ProteinFamilies(PipelineBench.FAMILIES, PipelineBench.MEMBERS_PER_FAMILY,
                PipelineBench.SEED).generate(1_000);
        assertThat(data.database()).hasSize(18_000);
        assertThat(data.queries()).hasSize(1_000);
        // the figures in the README were measured on exactly these sequences
        assertThat(sha256(data.database())).isEqualTo("562c107d916130c63277716496dbbc5310b6d864042fd18a7cdf5b850d1c28c0");
        assertThat(sha256(data.queries())).isEqualTo("03b6369c1d175ca412911bfeb1dd6004b614155b70f774a67d762ee6babfb23c");
    }

    /** Distinct words of four residues found in both sequences (insertions and deletions do not shift them). */
    private static long sharedWords(String a, String b) {
        Set<String> words = new HashSet<>();
        for (int i = 0; i + 4 <= a.length(); i++) {
            words.add(a.substring(i, i + 4));
        }
        Set<String> shared = new HashSet<>();
        for (int i = 0; i + 4 <= b.length(); i++) {
            if (words.contains(b.substring(i, i + 4))) {
                shared.add(b.substring(i, i + 4));
            }
        }
        return shared.size();
    }

    /** A digest of the records' ids, descriptions and residues, whatever the line width they are written with. */
    private static String sha256(List<FastaRecord> records) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (FastaRecord record : records) {
            digest.update((record.id() + " " + record.description() + "\n" + record.sequence() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
