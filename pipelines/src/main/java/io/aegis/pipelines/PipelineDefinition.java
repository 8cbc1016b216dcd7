package io.aegis.pipelines;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.aegis.sequences.SequenceType;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline as data: the parameters it accepts (types, ranges, choices, the command-line flag
 * each becomes), the steps it runs with the command of its search step, and the columns of the
 * hits it produces. Every pipeline is a batched search: the queries are split into batches, each
 * batch is searched by one run of the search step's command, and the hits are merged in query order.
 *
 * @param query    the alphabet the queries must have when no chosen parameter value says otherwise;
 *                 null when any will do
 * @param database the type of database the pipeline searches when no chosen value says otherwise
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PipelineDefinition(String name, String title, String description, List<ParameterSpec> parameters,
                                 List<Column> columns, List<StepDefinition> steps, SequenceType query,
                                 SequenceType database) {

    public PipelineDefinition {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        columns = columns == null ? List.of() : List.copyOf(columns);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** A column of the tabular hits; {@code type} is {@code string}, {@code integer} or {@code number}. */
    public record Column(String name, String type) {
    }

    public List<String> stepKeys() {
        return steps.stream().map(StepDefinition::key).toList();
    }

    public Optional<StepDefinition> step(String key) {
        return steps.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /**
     * The programs the search step may run: its command's first token, or every choice of the
     * parameter that token names (BLAST's {@code {program}}).
     */
    @JsonIgnore
    public List<String> programs() {
        String first = step("search").map(s -> s.command().isEmpty() ? null : s.command().getFirst()).orElse(null);
        if (first == null) {
            return List.of();
        }
        if (first.startsWith("{") && first.endsWith("}")) {
            String name = first.substring(1, first.length() - 1);
            return parameters.stream().filter(p -> p.name().equals(name))
                    .flatMap(p -> p.choices().stream().map(ParameterSpec.Choice::value)).distinct().toList();
        }
        return List.of(first);
    }

    /** Names of every parameter, each once, in the order they are declared. */
    @JsonIgnore
    public List<String> parameterNames() {
        return parameters.stream().map(ParameterSpec::name).distinct().toList();
    }
}
