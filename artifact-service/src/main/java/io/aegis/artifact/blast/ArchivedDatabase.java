package io.aegis.artifact.blast;

import java.io.IOException;
import java.util.Properties;

/**
 * Whether the database a job searched is still the one it searched. The archive holds the alignments
 * but not the subjects' sequences and titles: {@code blast_formatter} reads those from the database, so
 * a database replaced since (a new version under the same name) would give alignments against the wrong
 * sequences. Formatting then stops with an error that names both versions.
 */
public final class ArchivedDatabase {

    private ArchivedDatabase() {
    }

    /**
     * @param marker the database's marker as it is now ({@code version} its current version), or null when
     *               the database is gone
     * @throws IOException saying why the archive cannot be formatted
     */
    public static void check(String database, String searchedVersion, Properties marker) throws IOException {
        if (marker == null) {
            throw new IOException("Database '" + database + "' (version " + searchedVersion + ", which the job searched) "
                    + "is gone: BLAST's own formats read the subjects from it and cannot be made");
        }
        String current = marker.getProperty("version");
        if (current == null || !current.equals(searchedVersion)) {
            throw new IOException("Database '" + database + "' was replaced since the job searched it: the job searched "
                    + "version " + searchedVersion + ", the database is now at version " + current
                    + "; BLAST's own formats read the subjects from the database and cannot be made from another version");
        }
    }
}
