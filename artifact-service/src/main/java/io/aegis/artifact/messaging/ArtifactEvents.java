package io.aegis.artifact.messaging;

import io.aegis.artifact.domain.Artifact;
import io.aegis.events.ArtifactStateEvent;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/** Tells the stream and the job page when an artifact changes state. */
@ApplicationScoped
public class ArtifactEvents {

    private final MutinyEmitter<Record<String, ArtifactStateEvent>> emitter;

    public ArtifactEvents(@Channel("artifact-state") MutinyEmitter<Record<String, ArtifactStateEvent>> emitter) {
        this.emitter = emitter;
    }

    /**
     * Announces the artifact's state, built for the job's attempt {@code jobAttempt}, sent in {@code trace}
     * (the build's context), so the stream's span of it joins the job's trace.
     */
    public Uni<Void> changed(Artifact artifact, int jobAttempt, Context trace) {
        ArtifactStateEvent event = new ArtifactStateEvent(ArtifactStateEvent.SCHEMA, artifact.jobId, artifact.owner,
                artifact.name, artifact.state, artifact.size == null ? 0 : artifact.size, artifact.sha256, Instant.now(),
                jobAttempt, artifact.href());
        return emitter.sendMessage(Message.of(Record.of(artifact.jobId.toString(), event),
                Metadata.of(TracingMetadata.withCurrent(trace))));
    }
}
