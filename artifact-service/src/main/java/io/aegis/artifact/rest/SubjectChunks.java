package io.aegis.artifact.rest;

import io.aegis.artifact.domain.HitFasta;
import io.quarkus.logging.Log;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The full sequences of a job's subjects as FASTA, read by {@code blastdbcmd -entry_batch} from the
 * database searched and sent as it prints them: the subjects go to a batch file first (one id a line,
 * each once, in the order of its first hit), then each record blastdbcmd prints is named by the next
 * id of that file ({@link HitFasta#renamed}, which also catches a record of another sequence than the
 * one asked). {@code -target_only} keeps a record to the id asked for. A sequence blastdbcmd cannot
 * find, or its failing, fails the response midway (it is reset), never a FASTA quietly short of a
 * sequence. Blocking; the process is ended and the folder removed on {@link #close}.
 */
final class SubjectChunks implements Chunks {

    static final int CHUNK = 64 * 1024;
    static final String BATCH = "subjects.txt";
    static final String ERRORS = "blastdbcmd.err";

    private final Path folder;
    private final Process process;
    private final BufferedReader printed;
    private final BufferedReader asked;
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream(CHUNK + 8192);
    private final Writer out = new OutputStreamWriter(sink, StandardCharsets.UTF_8);
    private boolean done;

    private SubjectChunks(Path folder, Process process) throws IOException {
        this.folder = folder;
        this.process = process;
        this.printed = process == null ? null
                : new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
        this.asked = process == null ? null : Files.newBufferedReader(folder.resolve(BATCH), StandardCharsets.UTF_8);
        this.done = process == null;
    }

    /**
     * Writes the subjects into {@code folder} and starts blastdbcmd on them; with no subject at all,
     * nothing is started and the body is empty.
     *
     * @param database the database as the search named it ({@code -db})
     */
    static SubjectChunks start(Path folder, String database, Iterable<String> subjects) throws IOException {
        Path batch = folder.resolve(BATCH);
        long count = 0;
        try (Writer ids = Files.newBufferedWriter(batch, StandardCharsets.UTF_8)) {
            for (String subject : subjects) {
                ids.write(subject);
                ids.write('\n');
                count++;
            }
        }
        if (count == 0) {
            return new SubjectChunks(folder, null);
        }
        Process process = new ProcessBuilder(command(database, batch))
                .redirectError(folder.resolve(ERRORS).toFile())
                .start();
        process.getOutputStream().close();
        return new SubjectChunks(folder, process);
    }

    /** The blastdbcmd command: each id of the batch file, its own record only, as FASTA. */
    static List<String> command(String database, Path batch) {
        return List.of("blastdbcmd", "-db", database, "-entry_batch", batch.toString(), "-target_only");
    }

    @Override
    public byte[] next() throws IOException {
        while (!done && sink.size() < CHUNK) {
            String line = printed.readLine();
            if (line == null) {
                finish();
                done = true;
            } else if (line.startsWith(">")) {
                String subject = asked.readLine();
                if (subject == null) {
                    throw new IOException("blastdbcmd printed more records than were asked: " + line);
                }
                try {
                    out.write(HitFasta.renamed(line, subject));
                } catch (IllegalArgumentException e) {
                    throw new IOException(e.getMessage(), e);
                }
                out.write('\n');
            } else {
                out.write(line);
                out.write('\n');
            }
        }
        out.flush();
        if (sink.size() == 0) {
            return null;
        }
        byte[] chunk = sink.toByteArray();
        sink.reset();
        return chunk;
    }

    private void finish() throws IOException {
        int exit;
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted waiting for blastdbcmd", e);
        }
        String missing = asked.readLine();
        if (exit != 0 || missing != null) {
            throw new IOException("blastdbcmd (exit " + exit + ")"
                    + (missing != null ? " printed no record of " + missing : "") + ": " + errors());
        }
    }

    private String errors() {
        try {
            String text = Files.readString(folder.resolve(ERRORS), StandardCharsets.UTF_8).strip();
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(its errors cannot be read: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
        try {
            if (printed != null) {
                printed.close();
            }
            if (asked != null) {
                asked.close();
            }
        } catch (IOException e) {
            Log.debugf(e, "Closing blastdbcmd's output");
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            Log.debugf(e, "Removing %s", folder);
        }
    }
}
