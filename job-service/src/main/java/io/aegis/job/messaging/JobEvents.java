package io.aegis.job.messaging;

import io.aegis.events.JobRequestedEvent;
import io.aegis.events.JobStateEvent;
import io.aegis.events.StoreLayout;
import io.aegis.job.domain.Job;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** What job-service tells the rest of Aegis, keyed by job id; each Uni completes on the broker's ack. */
@ApplicationScoped
public class JobEvents {

    private final MutinyEmitter<Record<String, JobRequestedEvent>> requested;
    private final MutinyEmitter<Record<String, JobStateEvent>> state;

    public JobEvents(@Channel("job-requested") MutinyEmitter<Record<String, JobRequestedEvent>> requested,
                     @Channel("job-state") MutinyEmitter<Record<String, JobStateEvent>> state) {
        this.requested = requested;
        this.state = state;
    }

    public Uni<Void> requested(Job job) {
        JobRequestedEvent event = new JobRequestedEvent(JobRequestedEvent.SCHEMA, job.id, job.owner, job.pipeline,
                job.database, job.params, StoreLayout.inputRef(job.id), job.sequenceCount, job.attempt, Instant.now());
        return requested.send(Record.of(job.id.toString(), event));
    }

    public Uni<Void> state(Job job) {
        JobStateEvent event = new JobStateEvent(JobStateEvent.SCHEMA, job.id, job.owner, job.status, job.step,
                job.done, job.total, job.error, job.errorCode, job.attempt, job.version, Instant.now());
        return state.send(Record.of(job.id.toString(), event));
    }
}
