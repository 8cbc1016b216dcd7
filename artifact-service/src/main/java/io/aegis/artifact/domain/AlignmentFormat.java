package io.aegis.artifact.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * Which form a hit's alignment is answered in: JSON unless the client asks for text, by
 * {@code format=text} (which wins, being explicit) or by an {@code Accept} that prefers
 * {@code text/plain} to {@code application/json} (by quality; a tie, {@code *}{@code /*} or no
 * {@code Accept} at all is JSON).
 */
public enum AlignmentFormat {
    JSON, TEXT;

    /** The form asked for, or empty when {@code format} names none. */
    public static Optional<AlignmentFormat> of(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "json" -> Optional.of(JSON);
                case "text" -> Optional.of(TEXT);
                default -> Optional.empty();
            };
        }
        return Optional.of(quality(accept, "text/plain", "text/*") > quality(accept, "application/json", "application/*")
                ? TEXT : JSON);
    }

    /** The highest quality {@code accept} gives the type, its family or anything; 0 when it names none of them. */
    private static double quality(String accept, String type, String family) {
        if (accept == null || accept.isBlank()) {
            return 0;
        }
        double best = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            if (!name.equals(type) && !name.equals(family) && !name.equals("*/*")) {
                continue;
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip();
                if (parameter.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            // the type itself counts above its family and anything, at equal quality
            double rank = q + (name.equals(type) ? 0.002 : name.equals(family) ? 0.001 : 0);
            best = Math.max(best, rank);
        }
        return best;
    }
}
