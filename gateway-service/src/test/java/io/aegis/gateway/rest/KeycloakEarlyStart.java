package io.aegis.gateway.rest;

import java.util.Optional;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Starts the tests' Keycloak as soon as the test plan is known, when a class of the plan signs in
 * with it (registered in {@code META-INF/services}): Keycloak takes about half a minute to start, and
 * the classes that run before the first one that needs it hide that time, instead of waiting it out.
 */
public class KeycloakEarlyStart implements TestExecutionListener {

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        boolean needed = plan.getRoots().stream()
                .flatMap(root -> plan.getDescendants(root).stream())
                .map(TestIdentifier::getSource)
                .flatMap(Optional::stream)
                .filter(ClassSource.class::isInstance)
                .map(source -> ((ClassSource) source).getJavaClass())
                .anyMatch(KeycloakResource::usedBy);
        if (needed) {
            KeycloakResource.startInBackground();
        }
    }
}
