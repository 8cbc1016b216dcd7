package io.aegis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.contracts.problem.ProblemException;
import org.junit.jupiter.api.Test;

class CallersTest {

    @Test
    void aSegmentWithAControlCharacterIsA400NamingTheProblem() {
        for (String bad : new String[] {"hits\u0000.tsv", "a\nb", "a\rb", "x\u007f", "x\u0085", "\u001b[31m"}) {
            assertThatThrownBy(() -> Callers.segment(bad)).isInstanceOfSatisfying(ProblemException.class, e -> {
                assertThat(e.problem().status()).isEqualTo(400);
                assertThat(e.problem().code()).isEqualTo("INVALID_PATH");
            });
        }
    }

    @Test
    void ordinaryNamesTabsAsideAndUnicodePass() {
        assertThat(Callers.segment("hits.tsv")).isEqualTo("hits.tsv");
        assertThat(Callers.segment("résumé ü 名前.txt")).isEqualTo("résumé ü 名前.txt");
        assertThat(Callers.segment(null)).isNull();
        assertThatThrownBy(() -> Callers.segment("a\tb")).isInstanceOf(ProblemException.class);
    }
}
