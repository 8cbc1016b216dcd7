package io.aegis.artifact.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the next page of hits starts: the last row's sort key and {@code ord}, for one sort. Opaque to
 * clients (base64url); the key travels as its exact bits, so no row is skipped or repeated at a
 * boundary of equal keys, and a cursor of another sort is refused rather than misread.
 */
public record HitCursor(HitSort sort, double key, long ord) {

    public String encode() {
        String plain = sort.column() + ":" + Long.toHexString(Double.doubleToLongBits(key)) + ":" + ord;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor a client sent back, or empty when it is not one this service gave out for {@code sort}. */
    public static Optional<HitCursor> decode(String text, HitSort sort) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.US_ASCII);
            String[] parts = plain.split(":", -1);
            if (parts.length != 3 || !parts[0].equals(sort.column())) {
                return Optional.empty();
            }
            double key = Double.longBitsToDouble(Long.parseUnsignedLong(parts[1], 16));
            long ord = Long.parseLong(parts[2]);
            if (Double.isNaN(key) || ord < 0) {
                return Optional.empty();
            }
            return Optional.of(new HitCursor(sort, key, ord));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
