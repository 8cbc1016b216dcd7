package io.aegis.worker.domain;

import io.aegis.events.StoreLayout;
import io.aegis.sequences.SequenceType;
import java.util.Optional;
import java.util.Properties;

/**
 * The marker a build leaves in the database's folder ({@value #FILE}): what the database holds and
 * the source it was built from. A source whose stamp differs from its marker's is built again; the
 * marker is the last file written into a build, so a folder without one is no complete build.
 */
public record BuildMarker(FastaSummary summary, SourceStamp source) {

    public static final String FILE = StoreLayout.DATABASE_MARKER;

    /** Empty when the properties are not a whole marker (then the database is built again). */
    public static Optional<BuildMarker> read(Properties p) {
        Optional<FastaSummary> summary = summary(p);
        Optional<SourceStamp> source = SourceStamp.read(p);
        return summary.isPresent() && source.isPresent()
                ? Optional.of(new BuildMarker(summary.get(), source.get())) : Optional.empty();
    }

    public Properties toProperties() {
        Properties p = new Properties();
        write(summary, p);
        source.write(p);
        return p;
    }

    /** Whether this build was made from the source as it is {@code now} (null: there is no source). */
    public boolean builtFrom(SourceStamp now) {
        return source.equals(now);
    }

    /** The index file makeblastdb writes for a database of this type, beside its other files. */
    public String indexFile(String name) {
        return name + (summary.type() == SequenceType.PROTEIN ? ".pin" : ".nin");
    }

    static Optional<FastaSummary> summary(Properties p) {
        try {
            return Optional.of(new FastaSummary(SequenceType.valueOf(p.getProperty("type")),
                    Long.parseLong(p.getProperty("sequences")), Long.parseLong(p.getProperty("residues")),
                    p.getProperty("version")));
        } catch (RuntimeException e) {
            // a missing or unknown type, a count that is no number
            return Optional.empty();
        }
    }

    static void write(FastaSummary summary, Properties p) {
        p.setProperty("type", summary.type().name());
        p.setProperty("sequences", Long.toString(summary.sequences()));
        p.setProperty("residues", Long.toString(summary.residues()));
        p.setProperty("version", summary.version());
    }
}
