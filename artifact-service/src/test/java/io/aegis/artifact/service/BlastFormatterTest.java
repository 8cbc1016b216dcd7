package io.aegis.artifact.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.artifact.blast.Lines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The formatter's process: its output streamed to the reader, a failure explained by the end of its
 * standard error, a run past the timeout stopped. The real {@code blast_formatter} on a file that is no
 * archive, and stand-ins (shell scripts) for a formatter that fails half-way or hangs.
 */
class BlastFormatterTest {

    @TempDir
    Path folder;

    @Test
    void aFailureSaysWhatBlastFormatterPrintedOnStandardError() throws IOException {
        Files.writeString(folder.resolve("batch-0000.asn"), "not an archive\n");
        BlastFormatter formatter = new BlastFormatter("blast_formatter", Duration.ofMinutes(1));

        assertThatThrownBy(() -> formatter.run(folder, "batch-0000.asn", "5", BlastFormatterTest::count))
                .isInstanceOf(IOException.class).hasMessageContaining("blast_formatter -outfmt 5 on batch-0000.asn failed (exit")
                .hasMessageNotContaining("(nothing on standard error)");
    }

    @Test
    void outputCutShortByTheFormattersFailureIsThatFailureNotTheMerges() throws IOException {
        BlastFormatter formatter = new BlastFormatter(script("echo '<BlastOutput>'; echo 'out of memory' >&2; exit 3"),
                Duration.ofMinutes(1));

        assertThatThrownBy(() -> formatter.run(folder, "batch-0000.asn", "5", lines -> {
            count(lines);
            throw new IOException("cut short");
        })).isInstanceOf(IOException.class).hasMessageContaining("failed (exit 3): out of memory");
    }

    @Test
    void theOutputIsStreamedToTheReader() throws IOException {
        BlastFormatter formatter = new BlastFormatter(script("for i in $(seq 1 100000); do echo line $i; done"),
                Duration.ofMinutes(1));

        assertThat(formatter.run(folder, "batch-0000.asn", "5", BlastFormatterTest::count)).isEqualTo(100_000);
    }

    @Test
    void aFormatterPastItsTimeoutIsStopped() throws IOException {
        BlastFormatter formatter = new BlastFormatter(script("echo start; exec sleep 60"), Duration.ofMillis(500));
        long started = System.nanoTime();

        assertThatThrownBy(() -> formatter.run(folder, "batch-0000.asn", "5", BlastFormatterTest::count))
                .isInstanceOf(IOException.class).hasMessageContaining("took longer than PT0.5S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    private String script(String body) throws IOException {
        Path script = folder.resolve("formatter-" + System.nanoTime() + ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script.toString();
    }

    private static int count(Lines lines) throws IOException {
        int count = 0;
        while (lines.next() != null) {
            count++;
        }
        return count;
    }
}
