package io.aegis.artifact.domain;

import java.util.Locale;

/**
 * What a {@code Range} header asks of a file of a given size (RFC 9110 §14.2), for one range only:
 * {@code bytes=a-b}, {@code bytes=a-} and {@code bytes=-n}. Several ranges, another unit and anything
 * that does not parse are answered with the whole file, as the RFC allows; a range that starts at or
 * after the end of the file, or a zero-length suffix, cannot be satisfied (416).
 *
 * <p>A zero-length file has no byte a range could start at: {@code bytes=0-} is unsatisfiable, and a
 * suffix, which asks for "the last n bytes", is answered with the whole (empty) file.
 */
public sealed interface RangeRequest {

    /** The whole file, 200. */
    record Full() implements RangeRequest {
    }

    /** Bytes {@code start..end}, both inclusive and inside the file, 206. */
    record Partial(long start, long end) implements RangeRequest {

        public long length() {
            return end - start + 1;
        }

        /** The {@code Content-Range} of this part of a file of {@code size} bytes. */
        public String contentRange(long size) {
            return "bytes " + start + "-" + end + "/" + size;
        }
    }

    /** Nothing of the file matches, 416 with {@code Content-Range: bytes *}{@code /size}. */
    record Unsatisfiable() implements RangeRequest {

        public String contentRange(long size) {
            return "bytes */" + size;
        }
    }

    RangeRequest FULL = new Full();
    RangeRequest UNSATISFIABLE = new Unsatisfiable();

    /**
     * @param header the {@code Range} header as received, or null
     * @param size   the file's length in bytes
     */
    static RangeRequest parse(String header, long size) {
        if (header == null) {
            return FULL;
        }
        String value = header.strip();
        int equals = value.indexOf('=');
        if (equals < 0 || !value.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("bytes")) {
            return FULL;
        }
        String spec = value.substring(equals + 1).strip();
        if (spec.indexOf(',') >= 0) {
            return FULL;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return FULL;
        }
        String first = spec.substring(0, dash).strip();
        String last = spec.substring(dash + 1).strip();
        if (first.isEmpty()) {
            long suffix = digits(last);
            if (suffix < 0) {
                return FULL;
            }
            if (suffix == 0) {
                return UNSATISFIABLE;
            }
            return size == 0 ? FULL : new Partial(Math.max(0, size - suffix), size - 1);
        }
        long start = digits(first);
        if (start < 0) {
            return FULL;
        }
        long end;
        if (last.isEmpty()) {
            end = Long.MAX_VALUE;
        } else {
            end = digits(last);
            if (end < 0 || end < start) {
                return FULL;
            }
        }
        if (start >= size) {
            return UNSATISFIABLE;
        }
        return new Partial(start, Math.min(end, size - 1));
    }

    /** A run of ASCII digits as a number (saturating at {@link Long#MAX_VALUE}), or -1 when it is not one. */
    private static long digits(String text) {
        if (text.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
        }
        return value;
    }
}
