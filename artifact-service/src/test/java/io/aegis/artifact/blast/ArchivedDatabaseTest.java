package io.aegis.artifact.blast;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** An archive is formatted only against the database version it searched. */
class ArchivedDatabaseTest {

    @Test
    void theVersionSearchedPasses() {
        assertThatCode(() -> ArchivedDatabase.check("demo", "v1", marker("v1"))).doesNotThrowAnyException();
    }

    @Test
    void aReplacedDatabaseFailsNamingBothVersions() {
        assertThatThrownBy(() -> ArchivedDatabase.check("demo", "v1", marker("v2"))).isInstanceOf(IOException.class)
                .hasMessageContaining("'demo' was replaced").hasMessageContaining("version v1")
                .hasMessageContaining("version v2");
    }

    @Test
    void aDatabaseGoneFailsSayingSo() {
        assertThatThrownBy(() -> ArchivedDatabase.check("demo", "v1", null)).isInstanceOf(IOException.class)
                .hasMessageContaining("'demo'").hasMessageContaining("gone");
    }

    private static Properties marker(String version) {
        Properties marker = new Properties();
        marker.setProperty("version", version);
        return marker;
    }
}
