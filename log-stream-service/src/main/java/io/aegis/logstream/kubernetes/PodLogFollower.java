package io.aegis.logstream.kubernetes;

import static io.aegis.pipelines.PodLabels.MANAGED_BY;
import static io.aegis.pipelines.PodLabels.MANAGER;
import static io.aegis.pipelines.PodLabels.JOB_ID;
import static io.aegis.pipelines.PodLabels.ATTEMPT;
import static io.aegis.pipelines.PodLabels.STEP;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows the logs of one job's pods. The pods are found on the server side, by label: those the
 * worker's Kubernetes executor made for this job ({@code aegis.io/job-id} and
 * {@code app.kubernetes.io/managed-by=aegis}), in one namespace; no pod is ever named from outside.
 * The pods are watched, so those of later steps and batches are followed as they appear.
 *
 * <p>Each container is followed, with timestamps, once it runs or has ended, on a virtual thread of
 * its own; every line goes to the sink in order, numbered from 0. Following a container ends with
 * its log (the container has ended). Should the log end while the container still runs (a dropped
 * connection), it is followed again from the start, and the lines already given are not given again.
 * The watch goes on until {@link #close()}.
 */
public final class PodLogFollower implements AutoCloseable {

    /** The labels pipeline-worker's {@code KubernetesJobs} puts on every Job it makes and on its pods. */

    private static final Executor OPENERS = command -> Thread.ofVirtual().name("pod-log-open").start(command);

    /** How soon a container whose log ended while it still ran is followed again. */
    static final Duration REFOLLOW = Duration.ofSeconds(1);
    /** Longer lines are cut here (the sanitizer cuts them shorter still). */
    static final int MAX_LINE = 16 * 1024;

    /** Takes the lines of every container in order; may block, which holds up that container's reading. */
    @FunctionalInterface
    public interface Sink {
        void accept(PodLogLine line) throws InterruptedException;
    }

    private final KubernetesClient client;
    private final String namespace;
    private final UUID jobId;
    private final Sink sink;
    /** The job's pods as last seen, by name; a deleted pod leaves. */
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    /** {@code pod/container} of every container followed so far. */
    private final Set<String> followed = ConcurrentHashMap.newKeySet();
    private final Set<Thread> readers = ConcurrentHashMap.newKeySet();
    private final Set<LogWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean warned = new AtomicBoolean();
    private SharedIndexInformer<Pod> informer;
    private volatile boolean closed;

    public PodLogFollower(KubernetesClient client, String namespace, UUID jobId, Sink sink) {
        this.client = client;
        this.namespace = namespace;
        this.jobId = jobId;
        this.sink = sink;
    }

    /** The label selector of the job's pods. */
    public static Map<String, String> selector(UUID jobId) {
        return Map.of(JOB_ID, jobId.toString(), MANAGED_BY, MANAGER);
    }

    /** Starts watching the job's pods; returns at once (a failing watch is retried until closed). */
    public synchronized void start() {
        if (closed || informer != null) {
            return;
        }
        informer = client.pods().inNamespace(namespace).withLabels(selector(jobId)).runnableInformer(0);
        informer.exceptionHandler((started, failure) -> {
            if (!closed) {
                // the first failure is worth a warning (pods may not be listed or watched here); the rest are retries
                if (warned.compareAndSet(false, true)) {
                    Log.warnf("Cannot watch the pods of job %s in namespace %s, retrying: %s", jobId, namespace,
                            failure.toString());
                } else {
                    Log.debugf("Watching the pods of job %s failed again: %s", jobId, failure.toString());
                }
            }
            return !closed;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                seen(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                seen(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                pods.remove(pod.getMetadata().getName());
            }
        });
        informer.start();
    }

    /** Stops the watch and every container's reading; returns without waiting for them to end. */
    @Override
    public void close() {
        SharedIndexInformer<Pod> watching;
        synchronized (this) {
            closed = true;
            watching = informer;
        }
        if (watching != null) {
            watching.stop();
        }
        watches.forEach(PodLogFollower::closeQuietly);
        readers.forEach(Thread::interrupt);
    }

    /** How many containers are being followed now. */
    public int following() {
        return readers.size();
    }

    private void seen(Pod pod) {
        String name = pod.getMetadata().getName();
        pods.put(name, pod);
        if (closed || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return;
        }
        Map<String, String> labels = Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of());
        for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
            if (started(status.getState()) && followed.add(name + "/" + status.getName())) {
                ContainerLog log = new ContainerLog(name, status.getName(), PodLogLines.attempt(labels.get(ATTEMPT)),
                        labels.get(STEP));
                Thread reader = Thread.ofVirtual().name("pod-log " + name + "/" + status.getName()).unstarted(log);
                readers.add(reader);
                reader.start();
            }
        }
    }

    private static boolean started(ContainerState state) {
        return state != null && (state.getRunning() != null || state.getTerminated() != null);
    }

    /** Whether the container will write no more: it has ended, or its pod has, or its pod is gone. */
    private boolean ended(String pod, String container) {
        Pod latest = pods.get(pod);
        if (latest == null) {
            return true;
        }
        PodStatus status = latest.getStatus();
        if (status == null) {
            return false;
        }
        if ("Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase())) {
            return true;
        }
        List<ContainerStatus> containers = Objects.requireNonNullElse(status.getContainerStatuses(), List.of());
        return containers.stream().anyMatch(c -> container.equals(c.getName())
                && c.getState() != null && c.getState().getTerminated() != null);
    }

    /** One container's log, read on its own thread. */
    private final class ContainerLog implements Runnable {

        private final String pod;
        private final String container;
        private final int attempt;
        private final String step;
        /** Lines given to the sink so far. */
        private long delivered;

        ContainerLog(String pod, String container, int attempt, String step) {
            this.pod = pod;
            this.container = container;
            this.attempt = attempt;
            this.step = step;
        }

        @Override
        public void run() {
            try {
                while (!closed) {
                    try (LogWatch watch = open()) {
                        watches.add(watch);
                        try {
                            read(watch.getOutput());
                        } finally {
                            watches.remove(watch);
                        }
                    } catch (KubernetesClientException | IOException e) {
                        if (!closed) {
                            Log.debugf("Log of %s/%s in job %s broke off: %s", pod, container, jobId, e.toString());
                        }
                    }
                    if (closed || ended(pod, container)) {
                        return;
                    }
                    Thread.sleep(REFOLLOW);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                Log.warnf(e, "Stopped following %s/%s in job %s", pod, container, jobId);
            } finally {
                readers.remove(Thread.currentThread());
            }
        }

        /**
         * Follows the container's log. The client waits for the server's answer without heeding
         * interrupts, so it waits on a thread of its own: closing need not wait for a slow server,
         * and a log that opens after all is closed at once.
         */
        private LogWatch open() throws InterruptedException {
            CompletableFuture<LogWatch> opening = CompletableFuture.supplyAsync(() -> client.pods()
                    .inNamespace(namespace).withName(pod).inContainer(container).usingTimestamps().watchLog(), OPENERS);
            try {
                return opening.get();
            } catch (InterruptedException e) {
                opening.thenAccept(PodLogFollower::closeQuietly);
                throw e;
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure
                        : new KubernetesClientException("Cannot follow the log of " + pod + "/" + container, e.getCause());
            }
        }

        /** Splits the log into lines at each line feed only: a carriage return is a line's own business. */
        private void read(InputStream output) throws IOException, InterruptedException {
            Reader in = new InputStreamReader(output, StandardCharsets.UTF_8);
            char[] buffer = new char[8192];
            StringBuilder line = new StringBuilder();
            long index = 0;
            int read;
            while (!closed && (read = in.read(buffer)) != -1) {
                int from = 0;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        append(line, buffer, from, i);
                        give(index++, line);
                        from = i + 1;
                    }
                }
                append(line, buffer, from, read);
            }
            if (!closed && !line.isEmpty()) {
                give(index, line);
            }
        }

        private void give(long index, StringBuilder line) throws InterruptedException {
            if (index >= delivered) {
                sink.accept(PodLogLines.line(pod, container, attempt, step, index, line.toString()));
                delivered = index + 1;
            }
            line.setLength(0);
        }

        private static void append(StringBuilder line, char[] buffer, int from, int to) {
            int room = MAX_LINE - line.length();
            if (room > 0) {
                line.append(buffer, from, Math.min(to - from, room));
            }
        }
    }

    private static void closeQuietly(LogWatch watch) {
        try {
            watch.close();
        } catch (RuntimeException e) {
            Log.debugf("Closing a pod log: %s", e.toString());
        }
    }
}
