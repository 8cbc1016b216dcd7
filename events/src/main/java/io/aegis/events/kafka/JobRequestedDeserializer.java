package io.aegis.events.kafka;

import io.aegis.events.JobRequestedEvent;

public class JobRequestedDeserializer extends EventDeserializer<JobRequestedEvent> {

    public JobRequestedDeserializer() {
        super(JobRequestedEvent.class);
    }
}
