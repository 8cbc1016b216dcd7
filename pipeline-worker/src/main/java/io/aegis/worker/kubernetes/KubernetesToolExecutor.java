package io.aegis.worker.kubernetes;

import io.aegis.events.LogStream;
import io.aegis.kubernetes.PodLogFollower;
import io.aegis.kubernetes.PodLogLine;
import io.aegis.worker.config.WorkerConfig;
import io.aegis.worker.service.Cancellation;
import io.aegis.worker.service.ToolExecutor;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs each task as a Kubernetes Job ({@link KubernetesJobs} builds it) and waits for it through
 * informers, not polling: one on the Job, which says when it has ended, one on its pods, which
 * says when it never will (an image that cannot be pulled). {@link JobOutcomes} reads the result.
 *
 * <p>The kubelet keeps one log per container, standard output and error merged. While the Job
 * runs, a {@link PodLogFollower} follows its pods' logs from their first line, and hands every line
 * over as it is printed, with its {@link Origin} (pod, container and index), whether or not anyone
 * watches the job; once the pods have ended, their last lines are handed over before the run
 * returns. The last lines are read once more for the result's error tail. A cancel, a timeout, a
 * pod that cannot start and an interrupted worker stop the following and delete the Job
 * (background propagation: its pods go with it); a Job that ended on its own stays for
 * {@code ttl-after-finished}, for inspection.
 *
 * <p>Typed to its own class so that it is no second {@link ToolExecutor}: {@code ToolExecutors}
 * chooses. The client is created on first use, so a worker running tools locally never reads a
 * kubeconfig nor connects to a cluster.
 */
@ApplicationScoped
@Typed(KubernetesToolExecutor.class)
public class KubernetesToolExecutor implements ToolExecutor {

    /** The exit code of a tool stopped at its timeout, as GNU {@code timeout} reports it. */
    static final int TIMED_OUT = 124;

    /** The exit code of a cancelled tool: the kubelet stops a deleted pod's container with SIGTERM. */
    static final int CANCELLED = 143;

    /**
     * How long the last lines of ended pods may take to be read once the Job has ended: they are
     * normally there at once, and a log that never ends must not hold up the job.
     */
    static final Duration LAST_LINES = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final JobSettings settings;

    @Inject
    public KubernetesToolExecutor(KubernetesClient client, WorkerConfig config) {
        this(client, JobSettings.of(config, client.getNamespace()));
    }

    public KubernetesToolExecutor(KubernetesClient client, JobSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    @Override
    public Result run(Task task, Consumer<Line> lines, Cancellation cancellation) {
        Job job = KubernetesJobs.build(task, settings);
        String name = job.getMetadata().getName();
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        try (Cancellation.Registration ignored = cancellation.onCancel(() -> cancelled.complete(null))) {
            if (cancelled.isDone()) {
                return cancelledResult();
            }
            Job created = create(job);
            Log.infof("Kubernetes Job %s/%s runs %s", settings.namespace(), name, task.program());
            try {
                return await(task, created, lines, cancelled);
            } catch (InterruptedException e) {
                delete(name);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while running " + task.program() + " as Job " + name, e);
            } catch (KubernetesClientException | ExecutionException e) {
                delete(name);
                throw new IllegalStateException("Lost track of Kubernetes Job " + settings.namespace() + "/" + name
                        + " running " + task.program() + ": " + rootMessage(e), e);
            }
        }
    }

    private Result await(Task task, Job created, Consumer<Line> lines, CompletableFuture<Void> cancelled)
            throws InterruptedException, ExecutionException {
        String name = created.getMetadata().getName();
        Map<String, String> selector = KubernetesJobs.labels(task);
        CompletableFuture<List<Job>> jobEnded = new CompletableFuture<>();
        CompletableFuture<List<Pod>> podStuck = new CompletableFuture<>();
        JobOutcome outcome;
        // every line the tool prints is handed over as it is printed; any way out of here stops the following
        try (PodLogFollower follower = new PodLogFollower(client, settings.namespace(), selector,
                line -> handOver(line, lines))) {
            follower.start();
            // the Job's status says when it has ended; only its pods say when it never will
            jobEnded = job(name).informOnCondition(jobs -> JobOutcomes.of(first(jobs), List.of()).finished());
            podStuck = client.pods().inNamespace(settings.namespace()).withLabels(selector)
                    .informOnCondition(pods -> JobOutcomes.of(created, pods).finished());
            CompletableFuture.anyOf(jobEnded, podStuck, cancelled).get(task.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (cancelled.isDone()) {
                delete(name);
                return cancelledResult();
            }
            boolean ended = jobEnded.isDone() && !jobEnded.isCompletedExceptionally();
            List<Pod> pods = ended ? pods(selector) : podStuck.join();
            outcome = ended ? JobOutcomes.of(first(jobEnded.join()), pods) : JobOutcomes.of(created, pods);
            // the last lines of the ended pods, which the watch may not have seen end yet, come before the result
            if (!follower.finish(JobOutcomes.owned(created, pods), LAST_LINES)) {
                Log.warnf("The log of Kubernetes Job %s/%s was not read to its end within %s", settings.namespace(),
                        name, LAST_LINES);
            }
        } catch (TimeoutException e) {
            String tail = logTail(JobOutcomes.latestPod(created, pods(selector)));
            delete(name);
            return new Result(TIMED_OUT, join("The tool ran past its timeout of " + task.timeout(), tail), true);
        } finally {
            jobEnded.cancel(false);
            podStuck.cancel(false);
        }
        String tail = logTail(outcome.pod());
        return switch (outcome) {
            case JobOutcome.Succeeded succeeded -> new Result(0, tail);
            case JobOutcome.TimedOut timedOut -> {
                delete(name);
                yield new Result(TIMED_OUT, join(timedOut.message(), tail), true);
            }
            case JobOutcome.Failed failed -> {
                Log.infof("Kubernetes Job %s/%s failed: %s", settings.namespace(), name, failed.message());
                if (!failed.jobEnded()) {
                    delete(name);
                }
                yield new Result(failed.exitCode(), join(failed.message(), tail));
            }
            case JobOutcome.Running running -> throw new IllegalStateException("Job " + name + " stopped being watched");
        };
    }

    /**
     * Creates the Job. One of the same name is left from an earlier run of the very same task (the
     * attempt was taken again): its output is not to be trusted, so it is replaced.
     */
    private Job create(Job job) {
        String name = job.getMetadata().getName();
        try {
            return jobs().resource(job).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw cannotCreate(name, e);
            }
        }
        Log.warnf("Kubernetes Job %s/%s is left from an earlier run; replacing it", settings.namespace(), name);
        try {
            // its pods go first (they have the new Job's labels): none of their lines is taken for the new Job's
            delete(name, DeletionPropagation.FOREGROUND);
            job(name).waitUntilCondition(Objects::isNull, 1, TimeUnit.MINUTES);
            return jobs().resource(job).create();
        } catch (KubernetesClientException e) {
            throw cannotCreate(name, e);
        }
    }

    private IllegalStateException cannotCreate(String name, KubernetesClientException e) {
        return new IllegalStateException("Cannot create Kubernetes Job " + settings.namespace() + "/" + name + ": "
                + rootMessage(e), e);
    }

    private void delete(String name) {
        delete(name, DeletionPropagation.BACKGROUND);
    }

    private void delete(String name, DeletionPropagation propagation) {
        try {
            job(name).withPropagationPolicy(propagation).delete();
        } catch (KubernetesClientException e) {
            Log.warnf("Cannot delete Kubernetes Job %s/%s: %s", settings.namespace(), name, e.getMessage());
        }
    }

    private NonNamespaceOperation<Job, JobList, ScalableResource<Job>> jobs() {
        return client.batch().v1().jobs().inNamespace(settings.namespace());
    }

    private ScalableResource<Job> job(String name) {
        return jobs().withName(name);
    }

    private List<Pod> pods(Map<String, String> selector) {
        return client.pods().inNamespace(settings.namespace()).withLabels(selector).list().getItems();
    }

    /**
     * Hands a line of a pod's log over, with where it is in that log. The kubelet merges standard
     * output and error, so every line counts as standard output.
     */
    private static void handOver(PodLogLine line, Consumer<Line> lines) {
        try {
            lines.accept(new Line(LogStream.STDOUT, line.text(), new Origin(line.source(), line.index())));
        } catch (RuntimeException e) {
            Log.warnf("A line of pod %s was not handed over: %s", line.source(), e.getMessage());
        }
    }

    /**
     * The last lines of the pod's log, for the result's error (they were handed over as they were
     * followed); empty when there is no pod or no log (a container that never started has none).
     * Best effort: a log that cannot be read does not change the outcome.
     */
    private String logTail(Optional<String> pod) {
        if (pod.isEmpty() || settings.logTailLines() == 0) {
            return "";
        }
        String log;
        try {
            log = client.pods().inNamespace(settings.namespace()).withName(pod.get())
                    .tailingLines(settings.logTailLines()).getLog();
        } catch (KubernetesClientException e) {
            Log.debugf("No log from pod %s/%s: %s", settings.namespace(), pod.get(), e.getMessage());
            return "";
        }
        if (log == null || log.isBlank()) {
            return "";
        }
        return String.join("\n", log.stripTrailing().lines().toList());
    }

    private static Result cancelledResult() {
        return new Result(CANCELLED, "Cancelled");
    }

    private static <T> T first(List<T> items) {
        return items == null || items.isEmpty() ? null : items.getFirst();
    }

    private static String join(String message, String tail) {
        return tail.isEmpty() ? message : message + "\n" + tail;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return Objects.requireNonNullElse(root.getMessage(), root.getClass().getSimpleName());
    }
}
