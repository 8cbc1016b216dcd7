package io.aegis.artifact.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.pipelines.PipelineDefinition.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HitsFileTest {

    @TempDir
    Path dir;

    @Test
    void theColumnsAreReadFromTheStartOfHitsJsonWhereverTheKeyStands() throws IOException {
        Path json = dir.resolve("hits.json");
        Files.writeString(json, "{\"version\": {\"a\": [1, 2]}, \"columns\": [\"qseqid\", \"sseqid\", \"evalue\"],"
                + " \"queries\": [{\"id\": \"q1\", \"hits\": [{\"sseqid\": \"s1\"}]}]}");

        assertThat(HitsFile.columns(json)).extracting(Column::name).containsExactly("qseqid", "sseqid", "evalue");
        assertThat(HitsFile.columns(json)).extracting(Column::type).containsOnlyNulls();
    }

    @Test
    void theTypesRecordedBeforeTheHitsGoWithTheirColumns() throws IOException {
        Path json = dir.resolve("hits.json");
        Files.writeString(json, "{\"columns\": [\"qseqid\", \"score\"], \"types\": [\"string\", \"integer\"],"
                + " \"queries\": []}");
        assertThat(HitsFile.columns(json)).containsExactly(new Column("qseqid", "string"), new Column("score", "integer"));

        Files.writeString(json, "{\"columns\": [\"qseqid\", \"score\"], \"types\": [\"string\"], \"queries\": []}");
        assertThatThrownBy(() -> HitsFile.columns(json)).hasMessageContaining("1 types for 2 columns");
    }

    @Test
    void aMissingOrShapelessColumnListSaysWhatIsWrong() throws IOException {
        assertThatThrownBy(() -> HitsFile.columns(dir.resolve("hits.json"))).hasMessageContaining("hits.json is missing");
        Path json = dir.resolve("other.json");
        Files.writeString(json, "{\"queries\": []}");
        assertThatThrownBy(() -> HitsFile.columns(json)).hasMessageContaining("names no columns");
        Files.writeString(json, "{\"columns\": [1, 2]}");
        assertThatThrownBy(() -> HitsFile.columns(json)).hasMessageContaining("not a list of names");
    }

    @Test
    void linesKeepTheirNumberWhileBlankLinesAndCommentsAreSkipped() throws IOException {
        Path tsv = dir.resolve("hits.tsv");
        Files.writeString(tsv, "q1\ts1\n\n# a comment\nq2\ts2\t\n");
        List<String> seen = new ArrayList<>();

        long hits = HitsFile.forEachLine(tsv, (ord, line, fields) -> seen.add(ord + ":" + fields.length + ":" + line));

        assertThat(hits).isEqualTo(2);
        assertThat(seen).containsExactly("0:2:q1\ts1", "3:3:q2\ts2\t");
    }

    @Test
    void aFileIsReplacedWholeAndAPartLeftByACrashIsOverwritten() throws IOException {
        Path target = dir.resolve("artifacts/summary.json");
        Files.createDirectories(target.getParent());
        Files.writeString(target.resolveSibling("summary.json.part"), "{\"half\": tr");

        AtomicFiles.write(target, out -> out.write("{\"hits\": 1}".getBytes()));

        assertThat(target).hasContent("{\"hits\": 1}");
        assertThat(target.resolveSibling("summary.json.part")).doesNotExist();
    }
}
