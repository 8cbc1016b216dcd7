package io.aegis.artifact.domain;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The exact length of a zip of STORED entries as {@link java.util.zip.ZipOutputStream} writes it when
 * each entry's size and CRC-32 are set before it is written (and its time lies in 1980–2099, so no
 * extended timestamp is added), so a download can announce its {@code Content-Length} before the
 * first byte: per entry a local header (30 bytes, the UTF-8 name, a ZIP64 extra of 20 bytes for an
 * entry of 4 GiB or more) and the data, no data descriptor; per entry a central directory header (46
 * bytes, the name, a ZIP64 extra of 4 + 8 bytes per field that does not fit in 32 bits: size,
 * compressed size, local header offset); the end record (22 bytes), preceded by the ZIP64 end record
 * and locator (56 + 20 bytes) when the directory's length or offset does not fit in 32 bits or there
 * are 65,535 entries or more.
 */
public final class ZipLayout {

    /** One entry: its name inside the zip and its length. */
    public record Entry(String name, long size) {

        public Entry {
            if (size < 0) {
                throw new IllegalArgumentException("An entry's size cannot be negative: " + name);
            }
        }

        int nameLength() {
            return name.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private static final long MAGIC = 0xFFFFFFFFL;
    private static final int MAGIC_COUNT = 0xFFFF;
    private static final int LOCAL_HEADER = 30;
    private static final int LOCAL_ZIP64_EXTRA = 20;
    private static final int CENTRAL_HEADER = 46;
    private static final int END = 22;
    private static final int ZIP64_END = 56;
    private static final int ZIP64_LOCATOR = 20;

    /** The length in bytes of the whole zip. */
    public static long size(List<Entry> entries) {
        long offset = 0;
        long central = 0;
        for (Entry entry : entries) {
            int name = entry.nameLength();
            boolean large = entry.size() >= MAGIC;
            long localOffset = offset;
            offset += LOCAL_HEADER + name + (large ? LOCAL_ZIP64_EXTRA : 0) + entry.size();
            int zip64Fields = (large ? 2 : 0) + (localOffset >= MAGIC ? 1 : 0);
            central += CENTRAL_HEADER + name + (zip64Fields > 0 ? 4 + 8 * zip64Fields : 0);
        }
        boolean zip64End = central >= MAGIC || offset >= MAGIC || entries.size() >= MAGIC_COUNT;
        return offset + central + (zip64End ? ZIP64_END + ZIP64_LOCATOR : 0) + END;
    }

    private ZipLayout() {
    }
}
