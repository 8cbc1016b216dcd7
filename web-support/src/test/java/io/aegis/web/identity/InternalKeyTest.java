package io.aegis.web.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.contracts.http.InternalIdentity;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InternalKeyTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef-one";

    @Test
    void aDerivedKeyIsTheSameForTheSameKeyAndPurposeAndNothingElse() {
        InternalKey one = new InternalKey(Optional.of(KEY), "gateway-service");
        InternalKey replica = new InternalKey(Optional.of(KEY), "gateway-service");
        InternalKey other = new InternalKey(Optional.of(KEY.replace("one", "two")), "gateway-service");

        byte[] links = one.derive("download links");
        assertThat(links).hasSize(32).isEqualTo(replica.derive("download links"));
        assertThat(links).isNotEqualTo(one.derive("something else")).isNotEqualTo(other.derive("download links"))
                .isNotEqualTo(InternalIdentity.key(KEY)).isNotEqualTo(KEY.getBytes(StandardCharsets.UTF_8));
    }
}
