package io.aegis.worker.domain;

import java.util.regex.Pattern;

/**
 * Makes a line of tool output safe to show anywhere: terminal escape sequences and control
 * characters are removed and secrets are masked, before the line leaves the worker.
 */
public final class LogSanitizer {

    static final String MASK = "***";
    private static final int MAX_LENGTH = 4096;

    private static final Pattern ANSI = Pattern.compile(
            "\u001B\\[[0-?]*[ -/]*[@-~]"                  // CSI: colours, cursor moves
            + "|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?" // OSC: titles, hyperlinks
            + "|\u001B[@-Z\\\\-_]");                        // other two-byte escapes
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\t]]");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^/\\s:@]+:)[^@\\s/]+(@)");
    private static final Pattern SAS_SIGNATURE = Pattern.compile("(?i)([?&]sig=)[^&\\s]+");
    private static final Pattern AWS_KEY = Pattern.compile("\\b(AKIA|ASIA)[A-Z0-9]{16}\\b");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)\\b((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s&,;]+)");

    public static String sanitize(String line) {
        if (line == null) {
            return "";
        }
        String clean = ANSI.matcher(line).replaceAll("");
        clean = CONTROL.matcher(clean).replaceAll("");
        clean = BEARER.matcher(clean).replaceAll("$1" + MASK);
        clean = URL_PASSWORD.matcher(clean).replaceAll("$1" + MASK + "$2");
        clean = SAS_SIGNATURE.matcher(clean).replaceAll("$1" + MASK);
        clean = AWS_KEY.matcher(clean).replaceAll(MASK);
        clean = KEY_VALUE.matcher(clean).replaceAll("$1" + MASK);
        return clean.length() > MAX_LENGTH ? clean.substring(0, MAX_LENGTH) + "…" : clean;
    }

    private LogSanitizer() {
    }
}
