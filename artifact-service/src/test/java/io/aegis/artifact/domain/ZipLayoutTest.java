package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class ZipLayoutTest {

    @Test
    void anEmptyZipIsItsEndRecord() throws IOException {
        assertThat(ZipLayout.size(List.of())).isEqualTo(written(Map.of())).isEqualTo(22);
    }

    @Test
    void theSizeIsWhatZipOutputStreamWritesForStoredEntries() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Random random = new Random(7);
        files.put("aegis-job/hits.tsv", bytes(random, 12_345));
        files.put("aegis-job/empty.txt", new byte[0]);
        files.put("aegis-job/summary.json", "{\"hits\":0}".getBytes(StandardCharsets.UTF_8));
        files.put("aegis-job/résumé ✓ 日本.tsv", bytes(random, 3));
        files.put("aegis-job/log-0001.txt.gz", bytes(random, 70_000));

        byte[] zip = zip(files);
        assertThat(ZipLayout.size(entries(files))).isEqualTo(zip.length);
        assertThat(names(zip)).containsExactlyElementsOf(files.keySet());
    }

    @Test
    void oneEntryPerCaseOfNameLength() throws IOException {
        for (String name : new String[] {"a", "ä", "✓", "😀", "x".repeat(300), "dir/", "a\\b"}) {
            Map<String, byte[]> files = Map.of(name, new byte[] {1, 2, 3});
            assertThat(ZipLayout.size(entries(files))).as(name).isEqualTo(written(files));
        }
    }

    @Test
    void sixtyFiveThousandFiveHundredAndThirtyFiveEntriesNeedTheZip64EndRecord() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < 65_535; i++) {
            files.put("e" + i, new byte[0]);
        }
        assertThat(ZipLayout.size(entries(files))).isEqualTo(written(files));
        files.remove("e0");
        assertThat(ZipLayout.size(entries(files))).isEqualTo(written(files));
    }

    @Test
    void entriesOfFourGibibytesOrMoreCarryZip64Extras() {
        // just under 4 GiB: plain headers, but the central directory starts past 4 GiB, so the ZIP64 end record is there
        long small = ZipLayout.size(List.of(new ZipLayout.Entry("a", 0xFFFFFFFEL)));
        assertThat(small).isEqualTo(30 + 1 + 0xFFFFFFFEL + 46 + 1 + 56 + 20 + 22);
        // 4 GiB: a local extra of 20, a central extra of 4 + 8 (size) + 8 (compressed size)
        long large = ZipLayout.size(List.of(new ZipLayout.Entry("a", 0xFFFFFFFFL)));
        assertThat(large - small).isEqualTo(1 + 20 + 20);
        // the second entry's local header sits past 4 GiB: its central header carries its offset
        long second = ZipLayout.size(List.of(new ZipLayout.Entry("a", 0xFFFFFFFFL), new ZipLayout.Entry("b", 1)));
        assertThat(second - large).isEqualTo(30 + 1 + 1 + 46 + 1 + 4 + 8);
    }

    private static List<ZipLayout.Entry> entries(Map<String, byte[]> files) {
        List<ZipLayout.Entry> entries = new ArrayList<>();
        files.forEach((name, data) -> entries.add(new ZipLayout.Entry(name, data.length)));
        return entries;
    }

    private static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(files, out);
        return out.toByteArray();
    }

    private static long written(Map<String, byte[]> files) throws IOException {
        long[] count = {0};
        write(files, new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        });
        return count[0];
    }

    /** As the export writes them: STORED, size and CRC-32 set up front, the time of the row. */
    private static void write(Map<String, byte[]> files, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(file.getValue().length);
                entry.setCompressedSize(file.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(file.getValue());
                entry.setCrc(crc.getValue());
                entry.setTime(Instant.parse("2026-03-01T12:00:00Z").toEpochMilli());
                zip.putNextEntry(entry);
                zip.write(file.getValue());
                zip.closeEntry();
            }
        }
    }

    private static List<String> names(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] data = new byte[n];
        random.nextBytes(data);
        return data;
    }
}
