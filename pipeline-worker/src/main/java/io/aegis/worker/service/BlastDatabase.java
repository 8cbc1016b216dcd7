package io.aegis.worker.service;

import io.aegis.sequences.SequenceType;
import java.nio.file.Path;

/**
 * A registered BLAST database.
 *
 * @param version a digest of the source FASTA: a changed source is a new version
 * @param path    the BLAST database prefix given to {@code -db}
 */
public record BlastDatabase(String name, SequenceType type, long sequences, long residues, String version, Path path) {
}
