package io.aegis.artifact.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Gives a job that reused an earlier job's results its own copy of them: hard links where the
 * store allows (no extra space, and the files outlive the earlier job's removal), copies otherwise.
 * Blocking I/O; running it again changes nothing.
 */
final class ReusedResults {

    private ReusedResults() {
    }

    static int link(Path sourceResults, Path targetResults) {
        if (!Files.isDirectory(sourceResults)) {
            throw new IllegalStateException("The reused job's results are gone: " + sourceResults);
        }
        try (Stream<Path> paths = Files.list(sourceResults)) {
            List<Path> files = paths.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".part")).toList();
            Files.createDirectories(targetResults);
            for (Path file : files) {
                Path target = targetResults.resolve(file.getFileName().toString());
                try {
                    Files.createLink(target, file);
                } catch (FileAlreadyExistsException done) {
                    // linked by an earlier attempt
                } catch (UnsupportedOperationException | IOException noLinks) {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return files.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
