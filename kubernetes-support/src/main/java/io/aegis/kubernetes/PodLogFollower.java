package io.aegis.kubernetes;

import static io.aegis.pipelines.PodLabels.ATTEMPT;
import static io.aegis.pipelines.PodLabels.JOB_ID;
import static io.aegis.pipelines.PodLabels.MANAGED_BY;
import static io.aegis.pipelines.PodLabels.MANAGER;
import static io.aegis.pipelines.PodLabels.STEP;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Follows the logs of the pods a label selector picks in one namespace: all of a job's pods
 * (log-stream-service, {@link #jobPods}), or those of one task (the worker's Kubernetes executor).
 * The pods are found on the server side, by label; no pod is ever named from outside. They are
 * watched, so pods that appear later (later steps and batches, a retried pod) are followed too.
 *
 * <p>Each container is followed, with timestamps, once it runs or has ended, on a virtual thread of
 * its own; every line goes to the sink in order, numbered from 0 (its index in the container's log,
 * so a line is known by pod, container and index wherever it is followed). Following a container
 * ends with its log once the container has ended. Should the log end while the container still runs
 * (a dropped connection), it is followed again from the start, and the lines already given are not
 * given again. The watch goes on until {@link #close()}, or until {@link #finish} has read the logs
 * of the ended containers to their end.
 */
public final class PodLogFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PodLogFollower.class);

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
    private final Map<String, String> selector;
    private final Sink sink;
    /** The names of the pods the watch has seen and not seen deleted. */
    private final Set<String> pods = ConcurrentHashMap.newKeySet();
    /** {@code pod/container} of every container seen ended: an ended container never runs again (restartPolicy Never). */
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    /** {@code pod/container} of every container followed so far. */
    private final Set<String> followed = ConcurrentHashMap.newKeySet();
    private final Set<Thread> readers = ConcurrentHashMap.newKeySet();
    private final Set<LogWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean warned = new AtomicBoolean();
    private SharedIndexInformer<Pod> informer;
    private volatile boolean closed;

    /**
     * @param selector the labels every followed pod has, matched by the API server
     * @param sink     takes each line; called on the container's own thread
     */
    public PodLogFollower(KubernetesClient client, String namespace, Map<String, String> selector, Sink sink) {
        this.client = client;
        this.namespace = namespace;
        this.selector = Map.copyOf(selector);
        this.sink = sink;
    }

    /** The label selector of a job's pods: every pod pipeline-worker's Kubernetes executor makes for it. */
    public static Map<String, String> jobPods(UUID jobId) {
        return Map.of(JOB_ID, jobId.toString(), MANAGED_BY, MANAGER);
    }

    /** Starts watching the pods; returns at once (a failing watch is retried until closed). */
    public synchronized void start() {
        if (closed || informer != null) {
            return;
        }
        informer = client.pods().inNamespace(namespace).withLabels(selector).runnableInformer(0);
        informer.exceptionHandler((started, failure) -> {
            if (!closed) {
                // the first failure is worth a warning (pods may not be listed or watched here); the rest are retries
                if (warned.compareAndSet(false, true)) {
                    LOG.warnf("Cannot watch the pods %s in namespace %s, retrying: %s", describe(), namespace,
                            failure.toString());
                } else {
                    LOG.debugf("Watching the pods %s failed again: %s", describe(), failure.toString());
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

    /**
     * Reads the logs of the containers that have ended to their end, then stops: for a caller that
     * knows its pods are done and wants their last lines before it goes on. {@code last} are the
     * pods as the caller saw them last, which the watch may not have seen yet: a container ended
     * there counts as ended, and is followed now if it was not yet. Waits up to {@code within} for
     * every container being followed to reach the end of its log (a container still running keeps
     * its reader that long), then closes.
     *
     * @return true when every log was read to its end in time
     */
    public boolean finish(Collection<Pod> last, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            last.forEach(this::seen);
            for (Set<Thread> reading = reading(); !reading.isEmpty(); reading = reading()) {
                for (Thread reader : reading) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !reader.join(Duration.ofNanos(left))) {
                        LOG.debugf("The logs of the pods %s were not read to their end within %s", describe(), within);
                        return false;
                    }
                }
            }
            return true;
        } finally {
            close();
        }
    }

    /** Stops the watch and every container's reading; returns without waiting for them to end. Idempotent. */
    @Override
    public void close() {
        SharedIndexInformer<Pod> watching;
        synchronized (this) {
            closed = true;
            watching = informer;
            informer = null;
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

    /** The readers now; each one in it has been started (they are started where they are added). */
    private synchronized Set<Thread> reading() {
        return Set.copyOf(readers);
    }

    private synchronized void seen(Pod pod) {
        String name = pod.getMetadata().getName();
        pods.add(name);
        if (closed || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return;
        }
        boolean podEnded = "Succeeded".equals(pod.getStatus().getPhase()) || "Failed".equals(pod.getStatus().getPhase());
        Map<String, String> labels = Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of());
        for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
            String container = name + "/" + status.getName();
            if (podEnded || (status.getState() != null && status.getState().getTerminated() != null)) {
                ended.add(container);
            }
            if (started(status.getState()) && followed.add(container)) {
                ContainerLog log = new ContainerLog(name, status.getName(), PodLogLines.attempt(labels.get(ATTEMPT)),
                        labels.get(STEP));
                Thread reader = Thread.ofVirtual().name("pod-log " + container).unstarted(log);
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
        return !pods.contains(pod) || ended.contains(pod + "/" + container);
    }

    private String describe() {
        return new TreeMap<>(selector).toString();
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
                    } catch (IOException | RuntimeException e) {
                        // whatever broke it (the server, the connection, the client's own streaming), it is followed again
                        if (!closed) {
                            LOG.debugf("Log of %s/%s broke off: %s", pod, container, e.toString());
                        }
                    }
                    if (closed || ended(pod, container)) {
                        return;
                    }
                    Thread.sleep(REFOLLOW);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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

        /** Hands over the line unless it was given before (the log is being followed again) or following has stopped. */
        private void give(long index, StringBuilder line) throws InterruptedException {
            if (index >= delivered && !closed) {
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
            LOG.debugf("Closing a pod log: %s", e.toString());
        }
    }
}
