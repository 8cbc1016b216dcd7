package io.aegis.artifact.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aegis.artifact.config.ArtifactsConfig;
import io.aegis.artifact.domain.Artifact;
import io.aegis.artifact.domain.BuildLease;
import io.aegis.artifact.repository.ArtifactRepository;
import io.aegis.artifact.repository.FinalizationRepository;
import io.aegis.artifact.repository.FinalizationRepository.Claim;
import io.aegis.artifact.repository.FinalizationRepository.Hold;
import io.aegis.events.ArtifactState;
import io.aegis.events.JobStatus;
import io.aegis.events.StoreLayout;
import io.aegis.testing.KafkaBrokerResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The build lease against the real database, with this service's own scheduler as the other replica: a
 * test plays a replica that has claimed a build (the row {@code building}, attempt 1, its lease running),
 * and the service polls every {@code poll-interval} for builds whose lease has run out, as a second
 * replica would. The test's lease is 2 seconds (the shortest allowed is 1), renewed every third of it by
 * the service's own {@link LeaseKeeper}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(value = JobServiceStandIn.class, scope = TestResourceScope.GLOBAL)
class BuildLeaseTakeoverTest {

    private static final BuildLease LEASE = new BuildLease(Duration.ofSeconds(2));
    /** What a loaded 2-core machine adds to the database's and the scheduler's own timing. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    @ConfigProperty(name = "aegis.store.root")
    Path storeRoot;

    @Inject
    DataSource dataSource;

    @Inject
    FinalizationRepository finalizations;

    @Inject
    ArtifactRepository artifacts;

    @Inject
    LeaseKeeper leases;

    @Inject
    ArtifactsConfig config;

    @Test
    void aHolderThatKeepsRenewingKeepsItsBuildPastItsLeaseAndLosesItWithinOneLeaseOnceItStops() throws Exception {
        UUID job = finishedJob();
        Claim claim = claimedElsewhere(job);
        LeaseKeeper.Renewal renewal = leases.keep(claim, LEASE);

        // two whole leases: the service polls twenty times a second and never finds the build due
        await().during(LEASE.length().multipliedBy(2)).atMost(LEASE.length().multipliedBy(2).plus(SLACK))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> attempts(job) == 1 && "building".equals(state(job)));
        assertThat(renewal.stopped()).isFalse();

        // the holder dies: nothing renews any more
        renewal.stop();
        Instant stopped = Instant.now();
        await().atMost(LEASE.longestTakeover(config.pollInterval()).plus(SLACK)).pollInterval(Duration.ofMillis(50))
                .until(() -> attempts(job) >= 2);
        Duration waited = Duration.between(stopped, Instant.now());
        System.out.printf("A build whose holder stopped renewing a %d ms lease was taken over %d ms later%n",
                LEASE.length().toMillis(), waited.toMillis());
        // its last renewal came at most one interval before it stopped, and held the build one lease from then
        assertThat(waited).isGreaterThanOrEqualTo(LEASE.length().minus(LEASE.renewEvery()).multipliedBy(95).dividedBy(100));

        assertThat(awaitSettled(job)).isEqualTo("done");
        assertThat(attempts(job)).isEqualTo(2);
    }

    @Test
    void aHolderThatStopsRenewingIsTakenOverWithinOneLeaseAndItsLateWritesAreRefused() throws Exception {
        UUID job = finishedJob();
        Instant claimed = Instant.now();
        Claim stale = claimedElsewhere(job);

        await().atMost(LEASE.longestTakeover(config.pollInterval()).plus(SLACK)).pollInterval(Duration.ofMillis(50))
                .until(() -> attempts(job) >= 2);
        Duration waited = Duration.between(claimed, Instant.now());
        System.out.printf("A build claimed for %d ms and never renewed was taken over %d ms after its claim%n",
                LEASE.length().toMillis(), waited.toMillis());
        assertThat(waited).isGreaterThanOrEqualTo(LEASE.length().multipliedBy(95).dividedBy(100));

        // the first holder comes back (a long pause, the database away) and goes on where it was
        assertThat(finalizations.renew(stale, LEASE.length()).await().atMost(SLACK)).isEqualTo(Hold.LOST);
        Artifact summary = new Artifact();
        summary.jobId = job;
        summary.name = "summary.json";
        summary.owner = "alice";
        summary.state = ArtifactState.FAILED;
        summary.kind = Artifact.FILE;
        summary.location = "artifacts/summary.json";
        summary.contentType = "application/json";
        summary.error = "stale";
        assertThat(artifacts.save(stale, List.of(summary)).await().atMost(SLACK)).isEqualTo(Hold.LOST);
        assertThat(finalizations.failed(stale, "stale").await().atMost(SLACK)).isEqualTo(Hold.LOST);

        assertThat(awaitSettled(job)).isEqualTo("done");
        assertThat(attempts(job)).isEqualTo(2);
        assertThat(lastError(job)).isNull();
        assertThat(artifacts.of(List.of(job)).await().atMost(SLACK))
                .filteredOn(row -> row.name.equals("summary.json"))
                .singleElement().satisfies(row -> {
                    assertThat(row.state).isEqualTo(ArtifactState.READY);
                    assertThat(row.error).isNull();
                });
        // nor can it settle what the later attempt has settled, nor is a deleted job's lease renewed
        assertThat(finalizations.done(stale, null).await().atMost(SLACK)).isEqualTo(Hold.LOST);
        assertThat(finalizations.renew(new Claim(UUID.randomUUID(), "alice", JobStatus.SUCCEEDED, null, 1), LEASE.length())
                .await().atMost(SLACK)).isEqualTo(Hold.GONE);
    }

    // ---- fixtures

    /** What another replica's claim leaves: the build {@code building} under attempt 1, held for one lease from now. */
    private Claim claimedElsewhere(UUID job) throws Exception {
        execute("INSERT INTO artifacts.finalization (job_id, owner, job_status, state, attempts, next_attempt_at,"
                + " lease_until, created_at, updated_at) VALUES (?, 'alice', 'SUCCEEDED', 'building', 1, now(),"
                + " now() + make_interval(secs => ?), now(), now())", job, LEASE.length().toMillis() / 1000.0);
        return new Claim(job, "alice", JobStatus.SUCCEEDED, null, 1);
    }

    /** A finished job's results and one spooled log line: a build of it is done in one attempt. */
    private UUID finishedJob() throws Exception {
        UUID job = UUID.randomUUID();
        StoreLayout store = new StoreLayout(storeRoot);
        Path results = Files.createDirectories(store.results(job));
        Files.writeString(results.resolve("hits.tsv"), ArtifactBuildTest.HITS);
        Files.writeString(results.resolve("hits.json"), "{\"columns\": ["
                + ArtifactBuildTest.COLUMNS.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "))
                + "], \"types\": [" + ArtifactBuildTest.TYPES.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", "))
                + "], \"queries\": [{\"id\": \"q1\", \"hits\": []}]}");
        Files.writeString(store.input(job), ">q1\nMKTAYIAKQR\n");
        Path logs = Files.createDirectories(store.logs(job));
        Files.writeString(logs.resolve("spool.tsv"), "1\t1\t2030-01-01T10:00:00Z\tstdout\tworker\tsearch\tsearching\n");
        return job;
    }

    private String awaitSettled(UUID job) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> state(job), state -> "done".equals(state) || "failed".equals(state));
    }

    private int attempts(UUID job) throws Exception {
        return (Integer) column("attempts", job);
    }

    private String state(UUID job) throws Exception {
        return (String) column("state", job);
    }

    private String lastError(UUID job) throws Exception {
        return (String) column("last_error", job);
    }

    private Object column(String name, UUID job) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT " + name + " FROM artifacts.finalization WHERE job_id = ?")) {
            statement.setObject(1, job);
            try (ResultSet result = statement.executeQuery()) {
                assertThat(result.next()).as("job %s has a finalization", job).isTrue();
                return result.getObject(1);
            }
        }
    }

    private void execute(String sql, Object... args) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        }
    }
}
