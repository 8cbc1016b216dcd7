package io.aegis.stack;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The environment each service of a {@link LocalStack} starts with, written once for the end-to-end
 * suite and the benchmarks. ({@code ./aegis up} writes the developer's stack's in its
 * {@code start_service}, with Kafka's SASL settings, which these stacks do not use.) Every service
 * finds the others and the store, and vouches for its callers with the internal key; each secret goes
 * only to the services that need it: the database's to job-service and artifact-service, Redis's to
 * the gateway and log-stream-service, the token secret and the provider to the gateway. Kafka is for
 * all but the gateway, which uses none. {@code settings} go to every service last, so a stack can set
 * any other key (limits, intervals, the worker's slots).
 *
 * @param ports the port of every service, started or not (a benchmark may stand in for one)
 * @param kafka the broker's bootstrap servers
 * @param redisUrl the stack's Redis, its password in it; null where no service of the stack needs it
 * @param database the PostgreSQL database of job-service and artifact-service
 * @param internalKey the key the services sign and check each other's identities with
 * @param tokenSecret the HS256 key of the gateway's own tokens; null for none
 * @param issuer the OpenID Connect provider whose tokens the gateway takes; null for none
 * @param store the store's root, shared by the services
 * @param databasesSource the folder of FASTA files the worker builds its databases from
 * @param users the users the gateway knows
 * @param admins those of them who may register databases; none when empty
 * @param instance the name of log-stream-service's replica (its consumer groups)
 * @param managementPorts the port of each service's metrics ({@code /q/metrics}); a service without one
 *                        takes any free port
 */
public record ServiceEnvironment(Map<Service, Integer> ports, String kafka, String redisUrl, Database database,
                                 String internalKey, String tokenSecret, URI issuer, Path store, Path databasesSource,
                                 List<String> users, List<String> admins, String instance,
                                 Map<String, String> settings, Map<Service, Integer> managementPorts) {

    /** A PostgreSQL database and the role the services sign in as. */
    public record Database(String host, int port, String name, String user, String password) {

        /**
         * The database {@code name} on the server the test suites use: {@code AEGIS_DB_HOST},
         * {@code AEGIS_DB_PORT}, {@code AEGIS_DB_USER} and {@code AEGIS_DB_PASSWORD}, as
         * {@code ./aegis} sets them, else the local defaults.
         */
        public static Database fromEnvironment(String name) {
            Map<String, String> env = System.getenv();
            return new Database(env.getOrDefault("AEGIS_DB_HOST", "127.0.0.1"),
                    Integer.parseInt(env.getOrDefault("AEGIS_DB_PORT", "5432")), name,
                    env.getOrDefault("AEGIS_DB_USER", "aegis"), env.getOrDefault("AEGIS_DB_PASSWORD", "aegis"));
        }
    }

    /** An environment whose services serve their metrics on any free port. */
    public ServiceEnvironment(Map<Service, Integer> ports, String kafka, String redisUrl, Database database,
                              String internalKey, String tokenSecret, URI issuer, Path store, Path databasesSource,
                              List<String> users, List<String> admins, String instance, Map<String, String> settings) {
        this(ports, kafka, redisUrl, database, internalKey, tokenSecret, issuer, store, databasesSource, users, admins,
                instance, settings, Map.of());
    }

    public ServiceEnvironment {
        ports = Map.copyOf(ports);
        managementPorts = Map.copyOf(managementPorts);
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(internalKey, "internalKey");
        users = List.copyOf(users);
        admins = List.copyOf(admins);
        settings = Map.copyOf(settings);
    }

    /** The environment {@code service} starts with. */
    public Map<String, String> of(Service service) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port(service)));
        // its metrics (/q/metrics) on a port of the stack's: never 9080–9084, which ./aegis up's stack uses
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPorts.getOrDefault(service, 0)));
        if (service != Service.GATEWAY) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        }
        env.put("AEGIS_STORE_ROOT", store.toString());
        env.put("AEGIS_DATABASES_SOURCE_DIR", databasesSource.toString());
        env.put("AEGIS_SERVICES_JOB", url(Service.JOB));
        env.put("AEGIS_SERVICES_WORKER", url(Service.WORKER));
        env.put("AEGIS_SERVICES_ARTIFACT", url(Service.ARTIFACT));
        env.put("AEGIS_SERVICES_LOG_STREAM", url(Service.LOG_STREAM));
        env.put("AEGIS_INTERNAL_KEY", internalKey);
        switch (service) {
            case JOB, ARTIFACT -> {
                env.put("AEGIS_DB_HOST", database.host());
                env.put("AEGIS_DB_PORT", Integer.toString(database.port()));
                env.put("AEGIS_DB_NAME", database.name());
                // the services take no default password outside dev and tests
                env.put("AEGIS_DB_USER", database.user());
                env.put("AEGIS_DB_PASSWORD", database.password());
            }
            case LOG_STREAM -> {
                putIfSet(env, "AEGIS_REDIS_URL", redisUrl);
                env.put("AEGIS_LOG_STREAM_INSTANCE", instance);
            }
            case GATEWAY -> {
                putIfSet(env, "AEGIS_REDIS_URL", redisUrl);
                putIfSet(env, "AEGIS_IDENTITY_TOKEN_SECRET", tokenSecret);
                putIfSet(env, "AEGIS_IDENTITY_OIDC_ISSUER", issuer == null ? null : issuer.toString());
                env.put("AEGIS_IDENTITY_USERS", String.join(",", users));
                if (!admins.isEmpty()) {
                    env.put("AEGIS_IDENTITY_ADMINS", String.join(",", admins));
                }
            }
            case WORKER -> {
                // the worker needs nothing more than every service has
            }
        }
        env.putAll(settings);
        return env;
    }

    public int port(Service service) {
        Integer port = ports.get(service);
        if (port == null) {
            throw new IllegalArgumentException("No port for " + service);
        }
        return port;
    }

    /** Where {@code service}'s metrics are scraped ({@code /q/metrics} on its management port). */
    public String metricsUrl(Service service) {
        Integer port = managementPorts.get(service);
        if (port == null) {
            throw new IllegalArgumentException("No management port for " + service);
        }
        return "http://127.0.0.1:" + port + "/q/metrics";
    }

    /** Where the other services reach {@code service}: on the loopback interface. */
    public String url(Service service) {
        return "http://127.0.0.1:" + port(service);
    }

    private static void putIfSet(Map<String, String> env, String key, String value) {
        if (value != null) {
            env.put(key, value);
        }
    }
}
