package io.aegis.job.messaging;

import io.aegis.web.DependencyOutage;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * How job-service's consumers apply a record: while the database is away the record waits for it, for
 * as long as that takes (the records after it wait in Kafka), since dropping it would lose what it
 * tells; a failure for any other reason is tried a few times, and what still fails goes to the
 * channel's failure strategy (the dead letters).
 */
final class Redelivery {

    private static final Duration FIRST = Duration.ofMillis(100);
    private static final Duration MOST = Duration.ofSeconds(2);
    private static final int TRIES = 5;

    private Redelivery() {
    }

    /** {@code applying} (which applies {@code what}, e.g. "progress 3 of job …") tried as above. */
    static <T> Uni<T> untilApplied(Uni<T> applying, String what) {
        return applying
                .onFailure(Redelivery::databaseAway)
                .invoke(failure -> Log.warnf("%s waits for the database: %s", what,
                        DependencyOutage.summary(DependencyOutage.shownBy(failure).orElse(failure))))
                .onFailure(Redelivery::databaseAway).retry().withBackOff(FIRST, MOST).indefinitely()
                .onFailure().retry().withBackOff(FIRST, MOST).atMost(TRIES)
                .onFailure().invoke(failure -> Log.errorf(failure, "Could not apply %s; it goes to the dead letters", what));
    }

    private static boolean databaseAway(Throwable failure) {
        return DependencyOutage.shownBy(failure).isPresent();
    }
}
