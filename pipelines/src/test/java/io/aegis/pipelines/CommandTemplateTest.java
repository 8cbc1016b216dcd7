package io.aegis.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandTemplateTest {

    @Test
    void placeholdersAreFilledInsideTokensAndFlagsSpreadIntoArguments() {
        List<String> command = CommandTemplate.expand(
                List.of("{program}", "-query", "{batch}", "-outfmt", "6 {columns}", "{flags}", "-num_threads", "1"),
                Map.of("program", "blastp", "batch", "/s/batch-0001.fa", "columns", "qseqid sseqid"),
                List.of("-evalue", "1.0e-5"));
        assertThat(command).containsExactly("blastp", "-query", "/s/batch-0001.fa", "-outfmt", "6 qseqid sseqid",
                "-evalue", "1.0e-5", "-num_threads", "1");
    }

    @Test
    void aValueStaysOneArgumentWhateverItHolds() {
        assertThat(CommandTemplate.expand(List.of("{batch}"), Map.of("batch", "a b; rm -rf / $(x) {out}"), List.of()))
                .containsExactly("a b; rm -rf / $(x) {out}");
    }

    @Test
    void aPlaceholderWithoutValueIsAnError() {
        assertThatThrownBy(() -> CommandTemplate.expand(List.of("-db", "{database}"), Map.of(), List.of()))
                .hasMessageContaining("{database}");
    }

    @Test
    void placeholdersAreListed() {
        assertThat(CommandTemplate.placeholders(List.of("{program}", "x{batch}y", "{flags}", "plain")))
                .containsExactly("batch", "flags", "program");
    }
}
