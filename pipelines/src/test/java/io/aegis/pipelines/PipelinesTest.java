package io.aegis.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelinesTest {

    private static final String STEPS = """
            "steps": [{"key": "validate"}, {"key": "split"},
                      {"key": "search", "command": ["sh", "-c", "%s", "x", "{out}"], "timeout": "PT3S"},
                      {"key": "merge"}, {"key": "finalize"}]""";
    private static final String COLUMNS = "\"columns\": [{\"name\": \"qseqid\", \"type\": \"string\"}]";

    @TempDir
    Path dir;

    private static PipelineDefinition read(String json) {
        return Pipelines.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    @Test
    void blastIsBuiltInWithItsStepsCommandAndColumns() {
        PipelineDefinition blast = Pipelines.load(Optional.empty()).find("blast").orElseThrow();
        assertThat(blast.stepKeys()).isEqualTo(Pipelines.STEPS);
        assertThat(blast.step("search").orElseThrow().command()).startsWith("{program}", "-query", "{batch}")
                .containsSubsequence("-outfmt", "11", "-out", "{archive}");
        assertThat(blast.step("search").orElseThrow().archives()).isTrue();
        assertThat(blast.step("search").orElseThrow().format()).startsWith("blast_formatter", "-archive", "{archive}");
        assertThat(blast.step("search").orElseThrow().direct()).startsWith("{program}", "-query", "{batch}")
                .containsSubsequence("-outfmt", "6 {columns}", "-out", "{out}").doesNotContain("{archive}");
        assertThat(blast.columns()).extracting(PipelineDefinition.Column::name).contains("stitle", "qlen", "slen", "qcovs");
        assertThat(blast.columns()).first().extracting(PipelineDefinition.Column::name).isEqualTo("qseqid");
        assertThat(blast.parameterNames()).contains("program", "evalue", "max_target_seqs", "matrix", "word_size");
        assertThat(blast.programs()).containsExactly("blastp", "blastn", "blastx", "tblastn", "tblastx");
    }

    @Test
    void aFolderAddsPipelinesBesideTheBuiltInOnes() throws Exception {
        Files.writeString(dir.resolve("echo.json"), "{\"name\": \"echo\", \"query\": \"protein\", " + COLUMNS + ", "
                + STEPS.formatted("true") + "}");
        Files.writeString(dir.resolve("notes.txt"), "not a pipeline");
        Pipelines pipelines = Pipelines.load(Optional.of(dir));
        assertThat(pipelines.names()).containsExactly("blast", "echo");
        assertThat(pipelines.find("echo").orElseThrow().step("search").orElseThrow().timeout())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(pipelines.find("echo").orElseThrow().programs()).containsExactly("sh");
    }

    @Test
    void aDefinitionWithWrongStepsOrAnUnknownPlaceholderIsRefusedAtLoad() {
        assertThatThrownBy(() -> read("{\"name\": \"x\", " + COLUMNS + ", \"steps\": [{\"key\": \"search\"}]}"))
                .hasMessageContaining("steps must be validate, split, search, merge, finalize");
        assertThatThrownBy(() -> read("{\"name\": \"x\", " + COLUMNS + ", "
                + STEPS.formatted("x").replace("{out}", "{colour}") + "}"))
                .hasMessageContaining("{colour}");
    }

    @Test
    void aDefinitionWithABadDefaultOrAnUnknownFieldIsRefusedAtLoad() {
        assertThatThrownBy(() -> read("{\"name\": \"x\", " + COLUMNS + ", " + STEPS.formatted("x")
                + ", \"parameters\": [{\"name\": \"n\", \"type\": \"integer\", \"min\": 1, \"default\": 0}]}"))
                .hasMessageContaining("default of n");
        assertThatThrownBy(() -> read("{\"name\": \"x\", \"colour\": \"red\", " + COLUMNS + ", " + STEPS.formatted("x") + "}"))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aConditionOnAConditionalParameterIsRefused() {
        assertThatThrownBy(() -> read("{\"name\": \"x\", " + COLUMNS + ", " + STEPS.formatted("x") + ", \"parameters\": ["
                + "{\"name\": \"a\", \"type\": \"choice\", \"choices\": [{\"value\": \"1\"}], \"when\": {\"b\": [\"1\"]}},"
                + "{\"name\": \"b\", \"type\": \"choice\", \"choices\": [{\"value\": \"1\"}], \"when\": {\"a\": [\"1\"]}}]}"))
                .hasMessageContaining("not an unconditional parameter");
    }

    @Test
    void aSearchThatArchivesWritesTheArchiveItsFormatCommandReadsAndOneThatDoesNotWritesItsHits() {
        String archiving = STEPS.formatted("x").replace("\"{out}\"]", "\"{archive}\"], \"format\": [\"f\", \"{archive}\", \"{out}\"]");
        assertThat(read("{\"name\": \"x\", " + COLUMNS + ", " + archiving + "}").step("search").orElseThrow().archives())
                .isTrue();
        assertThatThrownBy(() -> read("{\"name\": \"x\", " + COLUMNS + ", " + archiving.replace("\"f\", \"{archive}\"", "\"f\"") + "}"))
                .hasMessageContaining("the format command reads");
        assertThatThrownBy(() -> read("{\"name\": \"x\", " + COLUMNS + ", " + archiving.replace("\"{out}\"]", "\"{out}\", \"{batch}\"]") + "}"))
                .hasMessageContaining("the format command names {batch}");
        assertThatThrownBy(() -> read("{\"name\": \"x\", " + COLUMNS + ", " + STEPS.formatted("x").replace("\"{out}\"", "\"-\"") + "}"))
                .hasMessageContaining("must write its hits to {out}");
    }

    @Test
    void aDirectCommandIsTheArchivingSearchWritingItsHitsItself() {
        String archiving = STEPS.formatted("x").replace("\"{out}\"]", "\"{archive}\"], \"format\": [\"f\", \"{archive}\", \"{out}\"]");
        String direct = archiving.replace("\"format\"", "\"direct\": [\"sh\", \"{out}\"], \"format\"");
        StepDefinition search = read("{\"name\": \"x\", " + COLUMNS + ", " + direct + "}").step("search").orElseThrow();
        assertThat(search.direct()).containsExactly("sh", "{out}");
        assertThatThrownBy(() -> read("{\"name\": \"x\", " + COLUMNS + ", "
                + direct.replace("[\"sh\", \"{out}\"]", "[\"sh\", \"{archive}\", \"{out}\"]") + "}"))
                .hasMessageContaining("a direct command");
        assertThatThrownBy(() -> read("{\"name\": \"x\", " + COLUMNS + ", "
                + direct.replace("[\"sh\", \"{out}\"]", "[\"sh\", \"-\"]") + "}"))
                .hasMessageContaining("a direct command");
        assertThatThrownBy(() -> read("{\"name\": \"x\", " + COLUMNS + ", " + STEPS.formatted("x")
                .replace("\"timeout\"", "\"direct\": [\"sh\", \"{out}\"], \"timeout\"") + "}"))
                .hasMessageContaining("a direct command");
        assertThatThrownBy(() -> read("{\"name\": \"x\", " + COLUMNS + ", "
                + direct.replace("[\"sh\", \"{out}\"]", "[\"sh\", \"{colour}\", \"{out}\"]") + "}"))
                .hasMessageContaining("names {colour}");
    }

    @Test
    void aSearchWithADirectCommandArchivesOnlyFromItsMinimumSearchSpace() {
        String archiving = STEPS.formatted("x").replace("\"{out}\"]", "\"{archive}\"], \"format\": [\"f\", \"{archive}\", \"{out}\"]");
        StepDefinition always = read("{\"name\": \"x\", " + COLUMNS + ", " + archiving + "}").step("search").orElseThrow();
        StepDefinition sized = read("{\"name\": \"x\", " + COLUMNS + ", "
                + archiving.replace("\"format\"", "\"direct\": [\"sh\", \"{out}\"], \"format\"") + "}").step("search").orElseThrow();
        StepDefinition never = read("{\"name\": \"x\", " + COLUMNS + ", " + STEPS.formatted("x") + "}").step("search").orElseThrow();
        assertThat(always.archives(1, 1_000)).isTrue();
        assertThat(sized.archives(999, 1_000)).isFalse();
        assertThat(sized.archives(1_000, 1_000)).isTrue();
        assertThat(sized.archives(0, 0)).isTrue();
        assertThat(never.archives(1_000_000, 0)).isFalse();
        assertThat(sized.searchesDirectly(false)).isTrue();
        assertThat(sized.searchesDirectly(true)).isFalse();
        assertThat(never.searchesDirectly(false)).as("no direct command: the search command writes the hits").isFalse();
    }
}
