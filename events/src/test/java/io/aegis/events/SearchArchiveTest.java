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
    void aSearchThatKeptNoArchiveIsSearchedAgainThenRecordedWithItsBatch() throws IOException {
        SearchArchive direct = new SearchArchive(SearchArchive.SCHEMA, "blastp", "demo", "3f9c0a1b2d4e",
                "/store/databases/demo/demo", 0, 1, Map.of("evalue", "1e-05"), "blast");
        direct.write(folder);

        SearchArchive read = SearchArchive.read(folder);
        assertThat(read).isEqualTo(direct);
        assertThat(read.searchedAgain()).isTrue();
        assertThat(read.archivedAs(1).searchedAgain()).isFalse();
        assertThat(read.archivedAs(1)).isEqualTo(new SearchArchive(SearchArchive.SCHEMA, "blastp", "demo", "3f9c0a1b2d4e",
                "/store/databases/demo/demo", 1, 1, Map.of("evalue", "1e-05"), "blast"));
    }

    @Test
    void anEarlierRecordWithoutAPipelineIsStillRead() throws IOException {
        Files.writeString(folder.resolve(SearchArchive.FILE), "{\"schema\": 1, \"program\": \"blastp\", \"database\": \"demo\","
                + " \"databaseVersion\": \"v1\", \"databasePath\": \"/db/demo\", \"batches\": 2, \"queries\": 3, \"params\": {}}");
        SearchArchive read = SearchArchive.read(folder);
        assertThat(read.pipeline()).isNull();
        assertThat(read.searchedAgain()).isFalse();
        assertThat(read.batches()).isEqualTo(2);
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
