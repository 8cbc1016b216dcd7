package io.aegis.artifact.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A zip of files with STORED entries, made as it is sent, in chunks of about {@link #CHUNK} bytes.
 * An entry's size and CRC-32 go in its local header, so both must be known before its data: taken
 * from the artifact row when it has them, otherwise read from the file first. Its length is then
 * exactly {@link io.aegis.artifact.domain.ZipLayout#size}.
 */
final class ZipChunks implements Chunks {

    static final int CHUNK = 64 * 1024;
    /** DOS times cover 1980–2107; outside 1980–2099 ZipOutputStream adds an extra field ZipLayout does not count. */
    private static final long EARLIEST = Instant.parse("1980-01-02T00:00:00Z").toEpochMilli();
    private static final long LATEST = Instant.parse("2099-12-30T00:00:00Z").toEpochMilli();

    /** One file: its name in the zip, where it is, its size and CRC-32 when known (crc32 null otherwise). */
    record Entry(String name, Path file, long size, Long crc32, Instant time) {
    }

    private final Iterator<Entry> entries;
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream(CHUNK + 4096);
    private final ZipOutputStream zip = new ZipOutputStream(sink);
    private final byte[] buffer = new byte[CHUNK];
    private InputStream current;
    private boolean finished;

    ZipChunks(List<Entry> entries) {
        this.entries = entries.iterator();
    }

    @Override
    public byte[] next() throws IOException {
        while (!finished && sink.size() < CHUNK) {
            if (current == null) {
                if (!entries.hasNext()) {
                    zip.finish();
                    finished = true;
                    break;
                }
                Entry entry = entries.next();
                zip.putNextEntry(zipEntry(entry));
                current = Files.newInputStream(entry.file());
            }
            int n = current.read(buffer);
            if (n < 0) {
                current.close();
                current = null;
                zip.closeEntry();
            } else {
                zip.write(buffer, 0, n);
            }
        }
        if (sink.size() == 0) {
            return null;
        }
        byte[] chunk = sink.toByteArray();
        sink.reset();
        return chunk;
    }

    private static ZipEntry zipEntry(Entry entry) throws IOException {
        ZipEntry zipEntry = new ZipEntry(entry.name());
        zipEntry.setMethod(ZipEntry.STORED);
        zipEntry.setSize(entry.size());
        zipEntry.setCompressedSize(entry.size());
        zipEntry.setCrc(entry.crc32() != null ? entry.crc32() : crc32(entry.file()));
        long time = entry.time() == null ? System.currentTimeMillis() : entry.time().toEpochMilli();
        zipEntry.setTime(time >= EARLIEST && time <= LATEST ? time : System.currentTimeMillis());
        return zipEntry;
    }

    static long crc32(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
        }
    }
}
