package io.aegis.events.kafka;

import io.aegis.events.JobControlEvent;

public class JobControlDeserializer extends EventDeserializer<JobControlEvent> {

    public JobControlDeserializer() {
        super(JobControlEvent.class);
    }
}
