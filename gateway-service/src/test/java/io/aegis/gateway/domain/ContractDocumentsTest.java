package io.aegis.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContractDocumentsTest {

    @Test
    void theAsyncApiDocumentAndEachSchemaAreOpen() {
        assertThat(ContractDocuments.isOpen("/api/v1/asyncapi.yaml")).isTrue();
        assertThat(ContractDocuments.isOpen("/api/v1/schemas/aegis.job.state.json")).isTrue();
    }

    @Test
    void nothingElseUnderTheApiIs() {
        assertThat(ContractDocuments.isOpen("/api/v1/jobs")).isFalse();
        assertThat(ContractDocuments.isOpen("/api/v1/asyncapi.yaml/x")).isFalse();
        assertThat(ContractDocuments.isOpen("/api/v1/schemas/a/b")).isFalse();
        assertThat(ContractDocuments.isOpen("/api/v1/schemasx")).isFalse();
        assertThat(ContractDocuments.isOpen("/api/v2/asyncapi.yaml")).isFalse();
    }
}
