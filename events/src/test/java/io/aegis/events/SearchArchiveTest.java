package io.aegis.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchArchiveTest {

    @TempDir
    Path folder;

    @Test
    void aWrittenRecordIsReadBackAsItWas() throws IOException {
        SearchArchive search = new SearchArchive(SearchArchive.SCHEMA, "blastp", "demo", "3f9c0a1b2d4e",
                "/store/databases/demo/demo", 3, 120, Map.of("evalue", "1e-05"));

        search.write(folder);

        assertThat(SearchArchive.read(folder)).isEqualTo(search);
        assertThat(folder.resolve(SearchArchive.FILE + ".part")).doesNotExist();
    }

    @Test
    void aRecordOfAnotherLayoutOrNoneAtAllIsRefusedWithItsReason() throws IOException {
        assertThatThrownBy(() -> SearchArchive.read(folder)).isInstanceOf(IOException.class);

        Files.writeString(folder.resolve(SearchArchive.FILE), "{\"schema\": 2, \"program\": \"blastp\"}");
        assertThatThrownBy(() -> SearchArchive.read(folder)).isInstanceOf(IOException.class).hasMessageContaining("schema 2");

        Files.writeString(folder.resolve(SearchArchive.FILE), "{not json");
        assertThatThrownBy(() -> SearchArchive.read(folder)).isInstanceOf(IOException.class).hasMessageContaining("cannot be read");
    }

    @Test
    void batchArchivesAreNamedInBatchOrder() {
        assertThat(SearchArchive.batchFile(0)).isEqualTo("batch-0000.asn");
        assertThat(SearchArchive.batchFile(17)).isEqualTo("batch-0017.asn");
    }
}
