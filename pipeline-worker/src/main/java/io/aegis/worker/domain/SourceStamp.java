package io.aegis.worker.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * A database source as it was at one moment: its size and modification time. A build's marker and
 * a failure record carry the stamp of the source they were made from, so a changed source is seen
 * from a directory entry, without reading the source again.
 */
public record SourceStamp(long size, long modifiedMillis) {

    private static final String SIZE = "source-size";
    private static final String MODIFIED = "source-modified";

    /** The file as it is now. */
    public static SourceStamp of(Path source) throws IOException {
        return new SourceStamp(Files.size(source), Files.getLastModifiedTime(source).toMillis());
    }

    /** The file as it is now; empty when it cannot be read (it is gone). */
    public static Optional<SourceStamp> find(Path source) {
        try {
            return Optional.of(of(source));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The stamp a marker or failure record holds; empty when it holds none (or a broken one). */
    static Optional<SourceStamp> read(Properties p) {
        try {
            return Optional.of(new SourceStamp(Long.parseLong(p.getProperty(SIZE)),
                    Long.parseLong(p.getProperty(MODIFIED))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    void write(Properties p) {
        p.setProperty(SIZE, Long.toString(size));
        p.setProperty(MODIFIED, Long.toString(modifiedMillis));
    }
}
