package io.aegis.pipelines;

import java.util.regex.Pattern;

/**
 * Makes a line of tool output safe to show anywhere: terminal escape sequences and control
 * characters are removed and secrets are masked. Every line is passed through it before it leaves
 * the service that read it: the worker's tools and the pod logs the log stream follows alike.
 */
public final class LogSanitizer {

    static final String MASK = "***";
    static final int MAX_LENGTH = 4096;

    private static final Pattern ESCAPES = Pattern.compile(
            "(?:\u001B\\[|\u009B)[0-?]*[ -/]*[@-~]"                              // CSI: colours, cursor moves
            + "|(?:\u001B\\]|\u009D)[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\\\|\u009C)?" // OSC: titles, hyperlinks
            + "|\u001B[P^_X][^\u001B\u009C]*(?:\u001B\\\\|\u009C)?"              // DCS, PM, APC, SOS strings
            + "|\u001B[ -/]*[0-~]");                                             // any other escape
    /** C0 and C1 control characters except tab; a carriage return would let a line overwrite itself. */
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0A-\\x1F\\x7F-\\x9F]");
    private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)\\b((?:bearer|basic)\\s+)[A-Za-z0-9._~+/=-]{4,}");
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/\\s:@]+:)[^@\\s/]+(@)");
    private static final Pattern SAS_SIGNATURE = Pattern.compile("(?i)((?:^|[?&;\\s])sig=)[^&\\s]+");
    private static final Pattern AWS_KEY = Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b");
    /**
     * A name that says secret, alone or inside a longer one ({@code AEGIS_DB_PASSWORD=}, {@code client.secret:},
     * {@code AEGIS_INTERNAL_KEY=}),
     * then {@code =} or {@code :} and the value, quoted or not.
     */
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)((?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key"
            + "|private[_-]?key|[_.-]key|credentials?)[A-Za-z0-9_.-]*\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s&,;]+)");
    /** A JSON Web Token on its own: a header and claims (base64url JSON objects) and a signature. */
    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

    public static String sanitize(String line) {
        if (line == null) {
            return "";
        }
        String clean = ESCAPES.matcher(line).replaceAll("");
        clean = CONTROL.matcher(clean).replaceAll("");
        clean = AUTH_SCHEME.matcher(clean).replaceAll("$1" + MASK);
        clean = JWT.matcher(clean).replaceAll(MASK);
        clean = URL_PASSWORD.matcher(clean).replaceAll("$1" + MASK + "$2");
        clean = SAS_SIGNATURE.matcher(clean).replaceAll("$1" + MASK);
        clean = AWS_KEY.matcher(clean).replaceAll(MASK);
        clean = KEY_VALUE.matcher(clean).replaceAll("$1" + MASK);
        return clean.length() > MAX_LENGTH ? clean.substring(0, MAX_LENGTH) + "…" : clean;
    }

    private LogSanitizer() {
    }
}
