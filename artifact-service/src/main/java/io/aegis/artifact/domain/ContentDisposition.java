package io.aegis.artifact.domain;

import java.nio.charset.StandardCharsets;

/**
 * A {@code Content-Disposition: attachment} header that no file name can break: the plain
 * {@code filename} keeps safe ASCII only, {@code filename*} (RFC 6266/5987) carries the name in
 * UTF-8, percent-encoded; path separators, quotes and control characters never pass.
 */
public final class ContentDisposition {

    public static String attachment(String name) {
        String base = baseName(name);
        return "attachment; filename=\"" + ascii(base) + "\"; filename*=UTF-8''" + percentEncode(base);
    }

    static String baseName(String name) {
        String cleaned = name.replaceAll("[\\p{Cntrl}]", "");
        int slash = Math.max(cleaned.lastIndexOf('/'), cleaned.lastIndexOf('\\'));
        cleaned = cleaned.substring(slash + 1).strip();
        return cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..") ? "download" : cleaned;
    }

    private static String ascii(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';' ? c : '_');
        }
        return out.toString();
    }

    private static String percentEncode(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private ContentDisposition() {
    }
}
