package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    private static final List<String> COMMAND = List.of("blastp", "-query", "{batch}", "-db", "demo@3f2a9c1d0b7e",
            "-outfmt", "6 qseqid sseqid evalue", "-out", "{out}", "-evalue", "0.001");
    private static final String BATCH = ">Q000001\nMKTAYIAKQR\n>Q000002\nMSTNPKPQRK\n";

    @Test
    void theSameSearchOfTheSameQueriesHasTheSameKey() {
        assertThat(Checkpoint.key(List.copyOf(COMMAND), BATCH)).isEqualTo(Checkpoint.key(COMMAND, BATCH))
                .matches("[0-9a-f]{64}");
    }

    @Test
    void anyOtherArgumentOrQueryIsAnotherKey() {
        String key = Checkpoint.key(COMMAND, BATCH);
        assertThat(Checkpoint.key(replace(4, "demo@00000000aaaa"), BATCH)).as("another database version").isNotEqualTo(key);
        assertThat(Checkpoint.key(replace(10, "10"), BATCH)).as("another parameter").isNotEqualTo(key);
        assertThat(Checkpoint.key(replace(6, "6 qseqid sseqid"), BATCH)).as("other columns").isNotEqualTo(key);
        assertThat(Checkpoint.key(COMMAND, BATCH.replace("MKTAYIAKQR", "MKTAYIAKQK"))).as("another query").isNotEqualTo(key);
    }

    @Test
    void argumentsAreTakenOneByOneNotAsOneString() {
        assertThat(Checkpoint.key(List.of("blastp", "-evalue 1"), ""))
                .isNotEqualTo(Checkpoint.key(List.of("blastp", "-evalue", "1"), ""))
                .isNotEqualTo(Checkpoint.key(List.of("blastp -evalue", "1"), ""));
        assertThat(Checkpoint.key(List.of("blastp", "x"), "")).isNotEqualTo(Checkpoint.key(List.of("blastp"), "x"));
    }

    private static List<String> replace(int index, String value) {
        List<String> command = new java.util.ArrayList<>(COMMAND);
        command.set(index, value);
        return command;
    }
}
