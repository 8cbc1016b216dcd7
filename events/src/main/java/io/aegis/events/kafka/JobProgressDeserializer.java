package io.aegis.events.kafka;

import io.aegis.events.JobProgressEvent;

public class JobProgressDeserializer extends EventDeserializer<JobProgressEvent> {

    public JobProgressDeserializer() {
        super(JobProgressEvent.class);
    }
}
