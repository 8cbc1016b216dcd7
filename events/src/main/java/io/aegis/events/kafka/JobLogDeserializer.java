package io.aegis.events.kafka;

import io.aegis.events.JobLogEvent;

public class JobLogDeserializer extends EventDeserializer<JobLogEvent> {

    public JobLogDeserializer() {
        super(JobLogEvent.class);
    }
}
