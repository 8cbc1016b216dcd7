package io.aegis.artifact.service;

import io.aegis.artifact.blast.BlastFormat;
import io.aegis.artifact.blast.Lines;
import io.aegis.artifact.config.ArtifactsConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs {@code blast_formatter -archive <batch> -outfmt <format>} on one batch's archive and hands its
 * standard output, as it comes, to a consumer (a merger): the output is never held. The process is
 * bounded by {@code formatter-timeout} and killed when the consumer fails; its standard error goes to a
 * temporary file whose last lines explain a failure. It runs in the archive's folder with the batch's
 * file name alone, so no server path shows in what it writes (SAM's {@code @PG} line quotes the command).
 * The database is the one the archive names, by the path the search gave it: the store is mounted at
 * the same path in every pod. Blocking.
 */
@ApplicationScoped
@Startup
public class BlastFormatter {

    /** How much of standard error a failure quotes. */
    static final int ERROR_TAIL = 2000;

    @FunctionalInterface
    interface Output<T> {
        T read(Lines lines) throws IOException;
    }

    private final String program;
    private final Duration timeout;
    private final List<String> tabularColumns;

    @Inject
    public BlastFormatter(ArtifactsConfig config) {
        this(config.blastFormatter(), config.formatterTimeout(),
                config.tabularColumns().map(BlastFormat::tabularColumns).orElse(BlastFormat.TABULAR_COLUMNS));
    }

    BlastFormatter(String program, Duration timeout) {
        this(program, timeout, BlastFormat.TABULAR_COLUMNS);
    }

    BlastFormatter(String program, Duration timeout, List<String> tabularColumns) {
        this.program = program;
        this.timeout = timeout;
        this.tabularColumns = tabularColumns;
    }

    /** The {@code -outfmt} this formatter writes {@code format} with (commented tabular with its columns). */
    String outfmt(BlastFormat format) {
        return format.outfmt(tabularColumns);
    }

    <T> T run(Path archive, String batch, String outfmt, Output<T> output) throws IOException {
        List<String> command = List.of(program, "-archive", batch, "-outfmt", outfmt);
        Path errors = Files.createTempFile("blast_formatter-", ".err");
        Process process = null;
        try {
            process = new ProcessBuilder(command).directory(archive.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectError(errors.toFile()).start();
            Process started = process;
            AtomicBoolean timedOut = new AtomicBoolean();
            Thread watch = Thread.ofVirtual().start(() -> {
                try {
                    if (!started.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        timedOut.set(true);
                        started.destroyForcibly();
                    }
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            });
            T result;
            try (InputStreamReader out = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
                result = output.read(new Lines(out));
            } catch (IOException | RuntimeException e) {
                // output cut short by the formatter's own failure is that failure; otherwise the merge's
                // (a formatter that failed has closed its output and is ending; one still writing is not)
                boolean ended = process.waitFor(1, TimeUnit.SECONDS);
                process.destroyForcibly();
                int exit = process.waitFor();
                if (timedOut.get()) {
                    throw timedOut(batch, outfmt);
                }
                if (ended && exit != 0) {
                    throw failed(batch, outfmt, exit, errors);
                }
                throw e;
            }
            int exit = process.waitFor();
            watch.interrupt();
            if (timedOut.get()) {
                throw timedOut(batch, outfmt);
            }
            if (exit != 0) {
                throw failed(batch, outfmt, exit, errors);
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while formatting " + batch, e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(errors);
        }
    }

    private IOException timedOut(String batch, String outfmt) {
        return new IOException(program + " -outfmt " + outfmt + " on " + batch + " took longer than " + timeout
                + " and was stopped");
    }

    private IOException failed(String batch, String outfmt, int exit, Path errors) throws IOException {
        return new IOException(program + " -outfmt " + outfmt + " on " + batch + " failed (exit " + exit + "): "
                + tail(errors));
    }

    /** The end of standard error, at most {@link #ERROR_TAIL} characters. */
    static String tail(Path errors) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(errors.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - ERROR_TAIL);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(nothing on standard error)" : (from > 0 ? "…" : "") + text;
        }
    }
}
