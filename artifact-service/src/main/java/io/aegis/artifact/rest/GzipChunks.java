package io.aegis.artifact.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** A file gzip-compressed as it is read, in chunks of about {@link #CHUNK} bytes. */
final class GzipChunks implements Chunks {

    static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream(CHUNK + 1024);
    private final GZIPOutputStream gzip;
    private final byte[] buffer = new byte[CHUNK];
    private boolean finished;

    GzipChunks(Path file) throws IOException {
        this.in = Files.newInputStream(file);
        this.gzip = new GZIPOutputStream(sink, CHUNK);
    }

    @Override
    public byte[] next() throws IOException {
        while (!finished && sink.size() < CHUNK) {
            int n = in.read(buffer);
            if (n < 0) {
                gzip.finish();
                finished = true;
            } else {
                gzip.write(buffer, 0, n);
            }
        }
        if (sink.size() == 0) {
            return null;
        }
        byte[] chunk = sink.toByteArray();
        sink.reset();
        return chunk;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
