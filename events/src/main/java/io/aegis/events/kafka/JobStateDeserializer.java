package io.aegis.events.kafka;

import io.aegis.events.JobStateEvent;

public class JobStateDeserializer extends EventDeserializer<JobStateEvent> {

    public JobStateDeserializer() {
        super(JobStateEvent.class);
    }
}
