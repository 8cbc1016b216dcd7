package io.aegis.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlastParamsTest {

    private static BlastParams.InvalidParameter refused(Map<String, ?> params) {
        var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(BlastParams.InvalidParameter.class,
                () -> BlastParams.of(params));
        assertThat(thrown).as("refused %s", params).isNotNull();
        return thrown;
    }

    @Test
    void withoutParamsAJobIsABlastpSearchWithBlastsDefaultEvalue() {
        BlastParams params = BlastParams.of(null);
        assertThat(params.program()).isEqualTo(BlastProgram.BLASTP);
        assertThat(params.flags()).containsExactly("-evalue", "10.0");
    }

    @Test
    void givenValuesBecomeFlagsInAFixedOrder() {
        BlastParams params = BlastParams.of(Map.of("program", "blastn", "evalue", 1e-5, "max_target_seqs", 50));
        assertThat(params.program()).isEqualTo(BlastProgram.BLASTN);
        assertThat(params.flags()).containsExactly("-evalue", "1.0E-5", "-max_target_seqs", "50");
    }

    @Test
    void numbersWrittenAsTextAreAccepted() {
        assertThat(BlastParams.of(Map.of("evalue", "0.001", "max_target_seqs", "5")).flags())
                .containsExactly("-evalue", "0.001", "-max_target_seqs", "5");
    }

    @Test
    void aNullValueMeansTheDefault() {
        Map<String, Object> params = new HashMap<>();
        params.put("program", null);
        params.put("evalue", null);
        assertThat(BlastParams.of(params)).isEqualTo(new BlastParams(BlastProgram.BLASTP, 10, null));
    }

    @Test
    void anUnknownProgramIsRefusedAndNamed() {
        assertThat(refused(Map.of("program", "rm")).field()).isEqualTo("program");
        assertThat(refused(Map.of("program", "rm")).getMessage()).contains("'rm'");
    }

    @Test
    void anEvalueThatIsNotAPositiveNumberIsRefused() {
        for (Object bad : new Object[] {0, -1, "abc", Double.NaN, Double.POSITIVE_INFINITY, "-out /tmp/x"}) {
            assertThat(refused(Map.of("evalue", bad)).field()).as("evalue %s", bad).isEqualTo("evalue");
        }
    }

    @Test
    void maxTargetSeqsMustBeAWholeNumberInRange() {
        for (Object bad : new Object[] {0, 1.5, 5001, "many"}) {
            assertThat(refused(Map.of("max_target_seqs", bad)).field()).as("max %s", bad).isEqualTo("max_target_seqs");
        }
        assertThat(BlastParams.of(Map.of("max_target_seqs", 5000.0)).maxTargetSeqs()).isEqualTo(5000);
    }

    @Test
    void anOptionSmuggledInAsTheProgramNeverReachesTheCommandLine() {
        assertThatThrownBy(() -> BlastParams.of(Map.of("program", "blastp -out /etc/passwd")))
                .isInstanceOf(BlastParams.InvalidParameter.class);
    }
}
