package io.aegis.logstream.kubernetes;

import io.aegis.kubernetes.PodLogFollower;
import io.aegis.kubernetes.PodLogLine;
import io.aegis.logstream.domain.StreamEvent;
import io.aegis.logstream.service.EventLog;
import io.aegis.logstream.service.Hub;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Merges the logs of a job's Kubernetes pods into its stream: while the job has a feed on this
 * replica, a {@link PodLogFollower} follows its pods, and every line goes into the job's replay
 * buffer as a {@code log} event with source {@code pod/container}, then the feed is signalled.
 * Lines are numbered per container, so the buffer keeps one copy of each whichever replica follows
 * the pod and however often, and whether it came this way or from the worker over Kafka
 * ({@link PodLogEvents}). The worker publishes every line of its pods, so following them here only
 * makes the lines appear sooner. While Redis is away, following waits for it, as Kafka ingest does.
 *
 * <p>Off unless {@code aegis.log-stream.kubernetes.enabled}: then the Kubernetes client is never
 * created, so a service running outside a cluster never looks for one.
 */
@ApplicationScoped
public class PodLogs implements Hub.Listener {

    private static final Runnable NOTHING = () -> { };

    private final PodLogsConfig config;
    private final Instance<KubernetesClient> clients;
    private final EventLog log;
    private final Hub hub;
    private final Set<PodLogFollower> followers = ConcurrentHashMap.newKeySet();
    private volatile KubernetesClient client;
    private volatile String namespace;

    public PodLogs(PodLogsConfig config, Instance<KubernetesClient> clients, EventLog log, Hub hub) {
        this.config = config;
        this.clients = clients;
        this.log = log;
        this.hub = hub;
    }

    /** The client is made at start, not while the first stream opens (on an event loop). */
    void start(@Observes StartupEvent started) {
        if (config.enabled()) {
            KubernetesClient created = clients.get();
            namespace = config.namespace().orElseGet(() -> Objects.requireNonNullElse(created.getNamespace(), "default"));
            // the first pod read builds the client's pod deserializers, which takes a while: here, not on an event loop
            created.getKubernetesSerialization().unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}", Pod.class);
            client = created;
            Log.infof("Following the logs of job pods in Kubernetes namespace %s", namespace);
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        followers.forEach(PodLogFollower::close);
    }

    @Override
    public Runnable opened(UUID jobId) {
        KubernetesClient following = client;
        if (following == null) {
            return NOTHING;
        }
        AtomicBoolean stopped = new AtomicBoolean();
        PodLogFollower follower = new PodLogFollower(following, namespace, PodLogFollower.jobPods(jobId),
                line -> append(jobId, line, stopped));
        followers.add(follower);
        // the hub calls in on the event loop: the watch starts and stops on a thread of its own
        Thread.ofVirtual().name("pod-logs " + jobId).start(follower::start);
        return () -> {
            stopped.set(true);
            followers.remove(follower);
            Thread.ofVirtual().name("pod-logs " + jobId).start(follower::close);
        };
    }

    /** Containers being followed on this replica now, for every job. */
    public int following() {
        return followers.stream().mapToInt(PodLogFollower::following).sum();
    }

    /** Jobs whose pods this replica follows now. */
    public int jobs() {
        return followers.size();
    }

    private void append(UUID jobId, PodLogLine line, AtomicBoolean stopped) throws InterruptedException {
        StreamEvent event = StreamEvent.of(PodLogEvents.event(jobId, line, Instant.now())).orElseThrow()
                .publishedAt(System.currentTimeMillis());
        try {
            EventLog.untilBuffered(log.append(jobId, PodLogEvents.origin(line.source()), line.index(), event),
                    () -> !stopped.get(), "A pod log line of job " + jobId).await().indefinitely();
        } catch (CompletionException e) {
            if (stopped.get() || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("Stopped following the pods of job " + jobId);
            }
            throw e;
        }
        hub.signal(jobId);
    }
}
