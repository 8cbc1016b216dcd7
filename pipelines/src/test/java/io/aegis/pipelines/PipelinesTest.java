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
}
