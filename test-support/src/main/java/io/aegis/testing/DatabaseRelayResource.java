package io.aegis.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest}'s datasource at the machine's PostgreSQL (127.0.0.1:5432) through a
 * {@link TcpRelay}, reachable as {@link #relay()}: it passes everything until a test
 * {@linkplain TcpRelay#cut() cuts} it, and then the service, and only the service, has lost its
 * database. The services build both datasource URLs, reactive and JDBC, from {@code aegis.db.host}
 * and {@code aegis.db.port}, which this sets.
 *
 * <p>Declared with {@code scope = TestResourceScope.GLOBAL}, so every test class of the module runs
 * through the same relay in the same application and none boots one of its own for it.
 */
public class DatabaseRelayResource implements QuarkusTestResourceLifecycleManager {

    private static TcpRelay relay;

    public static synchronized TcpRelay relay() {
        return relay;
    }

    @Override
    public synchronized Map<String, String> start() {
        relay = TcpRelay.to("127.0.0.1", 5432);
        return Map.of("aegis.db.host", "127.0.0.1", "aegis.db.port", Integer.toString(relay.port()));
    }

    @Override
    public synchronized void stop() {
        relay.close();
    }
}
