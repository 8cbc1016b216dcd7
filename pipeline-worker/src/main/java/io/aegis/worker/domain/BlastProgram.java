package io.aegis.worker.domain;

import io.aegis.sequences.SequenceType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The BLAST programs Aegis runs and the query and database types each needs. */
public enum BlastProgram {
    BLASTP(SequenceType.PROTEIN, SequenceType.PROTEIN),
    BLASTN(SequenceType.NUCLEOTIDE, SequenceType.NUCLEOTIDE);

    private final SequenceType query;
    private final SequenceType database;

    BlastProgram(SequenceType query, SequenceType database) {
        this.query = query;
        this.database = database;
    }

    public SequenceType queryType() {
        return query;
    }

    public SequenceType databaseType() {
        return database;
    }

    /** The binary's name, e.g. {@code blastp}. */
    public String command() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Why this program cannot search a database of the given type, or empty when it can. */
    public Optional<String> mismatch(String databaseName, SequenceType databaseType) {
        if (databaseType == database) {
            return Optional.empty();
        }
        return Optional.of(command() + " needs a " + lower(database) + " database; '" + databaseName + "' is "
                + lower(databaseType) + ".");
    }

    public static BlastProgram of(String name) {
        for (BlastProgram program : values()) {
            if (program.command().equals(name)) {
                return program;
            }
        }
        throw new IllegalArgumentException("Unknown BLAST program '" + name + "'; one of " + names());
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(BlastProgram::command).toList();
    }

    private static String lower(SequenceType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
