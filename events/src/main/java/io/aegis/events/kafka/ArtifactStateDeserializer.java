package io.aegis.events.kafka;

import io.aegis.events.ArtifactStateEvent;

public class ArtifactStateDeserializer extends EventDeserializer<ArtifactStateEvent> {

    public ArtifactStateDeserializer() {
        super(ArtifactStateEvent.class);
    }
}
