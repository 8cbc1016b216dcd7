package io.aegis.pipelines;

import java.util.regex.Pattern;

/**
 * The names a BLAST database may have. A name becomes file and folder names in the store, where a
 * leading dot would hide it among the worker's own folders ({@code .failed}, {@code .upload-…}); so
 * the worker refuses to register any other name and the gateway refuses a job that names one.
 */
public final class DatabaseNames {

    /** The rule in words, for the problems that refuse a name. */
    public static final String RULE = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private DatabaseNames() {
    }

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
