package io.aegis.artifact.domain;

import io.aegis.pipelines.PipelineDefinition;
import io.aegis.pipelines.PipelineDefinition.Column;
import io.aegis.pipelines.Pipelines;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hit columns of one job as its own pipeline declared them, for typing its hit pages
 * ({@link io.aegis.pipelines.HitValues}).
 *
 * <p>This service cannot read a job's pipeline definition: its events name no pipeline, job-service
 * knows only the name, and an operator's pipeline is defined only in the folder the gateway and the
 * worker read (and may change after the job ran). So the worker records each column's type in {@code hits.json} as it merges the hits, from
 * the definition it ran, and the hit load keeps the names and types on the finalization
 * ({@code hit_columns}, {@code hit_types}, tab-separated). Hits merged before types were recorded
 * have names only: each of their columns takes the type the built-in pipelines declare for its
 * name (a string when none does); a job with no names at all has BLAST's columns.
 */
public final class JobHitColumns {

    private final List<Column> blast;
    private final Map<String, String> builtInTypes = new HashMap<>();

    /** @param builtIn the pipelines this jar ships ({@code Pipelines.load(Optional.empty())}) */
    public JobHitColumns(Pipelines builtIn) {
        this.blast = builtIn.find("blast").map(PipelineDefinition::columns).orElse(List.of());
        builtIn.all().forEach(p -> p.columns().forEach(c -> builtInTypes.putIfAbsent(c.name(), c.type())));
    }

    /**
     * @param names the finalization's {@code hit_columns}, or null
     * @param types the finalization's {@code hit_types}, or null when none were recorded
     */
    public List<Column> of(String names, String types) {
        if (names == null) {
            return blast;
        }
        String[] named = names.split("\t", -1);
        String[] typed = types == null ? null : types.split("\t", -1);
        if (typed != null && typed.length != named.length) {
            typed = null;
        }
        List<Column> columns = new ArrayList<>(named.length);
        for (int i = 0; i < named.length; i++) {
            columns.add(new Column(named[i], typed != null ? typed[i] : builtInTypes.get(named[i])));
        }
        return List.copyOf(columns);
    }
}
