package io.aegis.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.contracts.problem.ProblemException;
import org.junit.jupiter.api.Test;

class StoreQuotaTest {

    @Test
    void aSubmitIsRefusedOnceTheUsersFilesReachTheirQuotaAndNeverWithoutOne() {
        assertThatCode(() -> StoreQuota.check(999, 1000)).doesNotThrowAnyException();
        assertThatThrownBy(() -> StoreQuota.check(1000, 1000)).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.problem().status()).isEqualTo(403);
            assertThat(problem.problem().code()).isEqualTo("STORE_QUOTA_EXCEEDED");
        });
        assertThatThrownBy(() -> StoreQuota.check(5000, 1000)).isInstanceOf(ProblemException.class);
        assertThatCode(() -> StoreQuota.check(Long.MAX_VALUE, 0)).doesNotThrowAnyException();
    }
}
