package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.sequences.FastaException;
import io.aegis.sequences.SequenceType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FastaSummaryTest {

    private static FastaSummary of(String text) throws Exception {
        return FastaSummary.of(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void proteinsAreCountedAndVersionedByTheirBytes() throws Exception {
        String text = ">p1 first\nMKVLAAGIVG\nLLLAQSWRTEEP\n>p2\nMSTNPKPQRK\n";
        FastaSummary summary = of(text);
        assertThat(summary.type()).isEqualTo(SequenceType.PROTEIN);
        assertThat(summary.sequences()).isEqualTo(2);
        assertThat(summary.residues()).isEqualTo(22 + 10);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(summary.version()).isEqualTo(sha.substring(0, 12));
        assertThat(of(text + "\n").version()).as("any changed byte is a new version").isNotEqualTo(summary.version());
    }

    @Test
    void theTypeIsJudgedOverAllSequencesTogether() throws Exception {
        assertThat(of(">n1\nACGTACGTTAGCATCG\n>n2\nTTGACCANNGTACGA\n").type()).isEqualTo(SequenceType.NUCLEOTIDE);
        assertThat(of(">n1\nACGTACGTTAGCATCG\n>p1\nMKVLAAGIVGLLLAQ\n").type()).isEqualTo(SequenceType.PROTEIN);
    }

    @Test
    void whatIsNotFastaIsRefusedWithTheSharedCodes() {
        assertThatThrownBy(() -> of("just text\n")).isInstanceOf(FastaException.class)
                .extracting(e -> ((FastaException) e).code()).isEqualTo("INVALID_FASTA");
        assertThatThrownBy(() -> of(">a\nMK\n>a\nMK\n")).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> of("")).hasMessageContaining("No sequences");
        assertThatThrownBy(() -> FastaSummary.of(new ByteArrayInputStream(new byte[] {'>', 'a', ' ', (byte) 0xC3, '\n', 'M'})))
                .isInstanceOf(FastaException.class).hasMessageContaining("UTF-8");
    }
}
