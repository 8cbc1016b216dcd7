package io.aegis.artifact.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class BuildLeaseTest {

    private static final Instant CLAIMED = Instant.parse("2030-01-01T10:00:00Z");

    @Test
    void theDefaultLeaseIsTenSecondsRenewedEveryThird() {
        assertThat(BuildLease.DEFAULT.length()).isEqualTo(Duration.ofSeconds(10));
        assertThat(BuildLease.DEFAULT.renewEvery()).isEqualTo(Duration.ofMillis(3333));
    }

    @Test
    void aClaimHoldsTheBuildForOneLeaseThenItIsDue() {
        Instant until = BuildLease.DEFAULT.until(CLAIMED);
        assertThat(until).isEqualTo(CLAIMED.plusSeconds(10));
        assertThat(BuildLease.expired(until, CLAIMED.plusSeconds(9))).isFalse();
        assertThat(BuildLease.expired(until, until)).isFalse();
        assertThat(BuildLease.expired(until, until.plusMillis(1))).isTrue();
    }

    @Test
    void aHolderThatRenewsOnTimeNeverLetsItsLeaseRunOut() {
        BuildLease lease = BuildLease.DEFAULT;
        Instant until = lease.until(CLAIMED);
        // an hour of renewals, each one interval after the last
        for (Instant now = CLAIMED.plus(lease.renewEvery()); now.isBefore(CLAIMED.plusSeconds(3600));
             now = now.plus(lease.renewEvery())) {
            assertThat(BuildLease.expired(until, now)).isFalse();
            until = lease.until(now);
        }
    }

    @Test
    void aHolderThatMissesTwoRenewalsInARowStillHoldsItsBuild() {
        BuildLease lease = BuildLease.DEFAULT;
        Instant until = lease.until(CLAIMED);
        Instant third = CLAIMED.plus(lease.renewEvery().multipliedBy(3));
        assertThat(BuildLease.expired(until, third)).isFalse();
    }

    @Test
    void aHolderThatStopsRenewingLosesItsBuildWithinOneLease() {
        BuildLease lease = new BuildLease(Duration.ofSeconds(15));
        Instant lastRenewal = CLAIMED.plus(lease.renewEvery().multipliedBy(7));
        Instant until = lease.until(lastRenewal);
        assertThat(BuildLease.expired(until, lastRenewal.plus(lease.length()).plusMillis(1))).isTrue();
    }

    @Test
    void aKilledReplicasBuildWaitsAtMostOneLeaseAndOnePoll() {
        assertThat(BuildLease.DEFAULT.longestTakeover(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(11));
    }

    @Test
    void aLeaseTooShortToRenewIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new BuildLease(Duration.ofMillis(999)))
                .withMessageContaining("at least");
        assertThatIllegalArgumentException().isThrownBy(() -> new BuildLease(Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> new BuildLease(Duration.ofSeconds(-10)));
        assertThat(new BuildLease(Duration.ofSeconds(1)).renewEvery()).isEqualTo(Duration.ofMillis(333));
    }
}
