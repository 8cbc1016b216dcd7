package io.aegis.worker.domain;

import io.aegis.sequences.Fasta;
import io.aegis.sequences.FastaException;
import io.aegis.sequences.SequenceType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a database's source FASTA holds, read once as a stream by the shared FASTA rules: its type,
 * how many sequences and residues, and its version (a short digest of its bytes, so a changed source
 * is a new version).
 */
public record FastaSummary(SequenceType type, long sequences, long residues, String version) {

    /**
     * @throws FastaException when the file is not FASTA by the shared rules, or not UTF-8 text
     */
    public static FastaSummary of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    /** Reads the stream to its end; see {@link #of(Path)}. */
    public static FastaSummary of(InputStream in) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        DigestInputStream digesting = new DigestInputStream(in, sha256);
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        SequenceType.Tally tally = new SequenceType.Tally();
        LongAdder sequences = new LongAdder();
        LongAdder residues = new LongAdder();
        try {
            Fasta.read(new InputStreamReader(digesting, decoder), Fasta.Limits.NONE, record -> {
                tally.add(record.sequence());
                sequences.increment();
                residues.add(record.length());
            });
        } catch (CharacterCodingException e) {
            throw new FastaException("INVALID_FASTA", "The FASTA is not UTF-8 text.");
        }
        String version = HexFormat.of().formatHex(sha256.digest()).substring(0, 12);
        return new FastaSummary(tally.type(), sequences.sum(), residues.sum(), version);
    }
}
