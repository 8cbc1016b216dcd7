package io.aegis.chart;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A way an operator installs the chart: its values, and what it names outside the release (the
 * Secrets it created, the addresses of its own Kafka and PostgreSQL). A reference to anything else
 * must be satisfied by the render itself.
 */
enum Scenario {

    /** values.yaml with the least a production install names (external Kafka, PostgreSQL, Redis; existing Secrets). */
    PRODUCTION(List.of(HelmChart.testValues("production.yaml")), Map.of(),
            Set.of("lab-db-app", "aegis-redis", "aegis-identity", "aegis-internal"),
            Set.of("lab-kafka-bootstrap.kafka:9092", "lab-db-rw.databases:5432")),

    /** values-dev.yaml: Kafka, PostgreSQL and Redis in the release, generated credentials. */
    DEV(List.of(HelmChart.file("values-dev.yaml")), Map.of(), Set.of(), Set.of()),

    /** Production with SCRAM over TLS to Kafka, an Ingress with TLS, the gateway behind the ingress controller, autoscaling. */
    KAFKA_SASL_TLS(List.of(HelmChart.testValues("production.yaml"), HelmChart.testValues("kafka-sasl-tls.yaml")), Map.of(),
            Set.of("lab-db-app", "aegis-redis", "aegis-identity", "aegis-internal", "aegis-kafka-user", "lab-cluster-ca-cert", "aegis-tls", "lab-registry"),
            Set.of("lab-kafka-bootstrap.kafka:9093", "lab-db-rw.databases:5432")),

    /** Production with tools as child processes of the worker and no pod logs: no Role at all. */
    LOCAL_EXECUTOR(List.of(HelmChart.testValues("production.yaml"), HelmChart.testValues("local-executor.yaml")), Map.of(),
            Set.of("lab-db-app", "aegis-redis", "aegis-identity", "aegis-internal"),
            Set.of("lab-kafka-bootstrap.kafka:9092", "lab-db-rw.databases:5432"));

    private final List<Path> valuesFiles;
    private final Map<String, String> sets;
    private final Set<String> externalSecrets;
    private final Set<String> externalAddresses;

    Scenario(List<Path> valuesFiles, Map<String, String> sets, Set<String> externalSecrets, Set<String> externalAddresses) {
        this.valuesFiles = valuesFiles;
        this.sets = sets;
        this.externalSecrets = externalSecrets;
        this.externalAddresses = externalAddresses;
    }

    List<Path> valuesFiles() {
        return valuesFiles;
    }

    Map<String, String> sets() {
        return sets;
    }

    /** Secrets the operator created before installing. */
    Set<String> externalSecrets() {
        return externalSecrets;
    }

    /** host:port of services outside the release (Kafka bootstrap, PostgreSQL). */
    Set<String> externalAddresses() {
        return externalAddresses;
    }
}
