package io.aegis.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a {@code @QuarkusTest} at a {@link RedisServer} of its own, reachable as {@link #server()}. */
public class RedisServerResource implements QuarkusTestResourceLifecycleManager {

    private static RedisServer server;

    public static synchronized RedisServer server() {
        return server;
    }

    @Override
    public synchronized Map<String, String> start() {
        server = RedisServer.start();
        return Map.of("aegis.redis.url", server.url());
    }

    @Override
    public synchronized void stop() {
        server.close();
    }
}
