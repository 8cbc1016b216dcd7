package io.aegis.events;

/** Control characters, which no name Aegis takes from outside may hold: not a user, a path segment or an id. */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    /** Whether {@code value} holds a C0 or C1 control character or DEL. */
    public static boolean in(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return true;
            }
        }
        return false;
    }
}
