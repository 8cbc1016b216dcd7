package io.aegis.events.kafka;

import io.aegis.events.JobDeletedEvent;

public class JobDeletedDeserializer extends EventDeserializer<JobDeletedEvent> {

    public JobDeletedDeserializer() {
        super(JobDeletedEvent.class);
    }
}
