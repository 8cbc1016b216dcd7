package io.aegis.artifact.domain;

import java.util.Locale;

/** Whether a download is worth compressing on the way out, and whether the client takes gzip. */
public final class Compression {

    /**
     * Text, JSON, XML and TSV shrink well; anything already compressed (gzip, zip) or binary is sent as it is.
     */
    public static boolean compressible(String contentType, String name) {
        String lowerName = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (lowerName.endsWith(".gz") || lowerName.endsWith(".zip")) {
            return false;
        }
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        type = (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml")
                || type.equals("text/tab-separated-values");
    }

    /**
     * Whether an {@code Accept-Encoding} header (RFC 9110 §12.5.3) admits gzip: named ({@code gzip}
     * or {@code x-gzip}) or matched by {@code *}, with a weight above zero.
     */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Boolean gzip = null;
        Boolean any = null;
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.split(";");
            String coding = pieces[0].strip().toLowerCase(Locale.ROOT);
            boolean accepted = weight(pieces) > 0;
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = gzip == null ? accepted : gzip || accepted;
            } else if (coding.equals("*")) {
                any = accepted;
            }
        }
        return gzip != null ? gzip : any != null && any;
    }

    private static double weight(String[] pieces) {
        for (int i = 1; i < pieces.length; i++) {
            String parameter = pieces[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    private Compression() {
    }
}
