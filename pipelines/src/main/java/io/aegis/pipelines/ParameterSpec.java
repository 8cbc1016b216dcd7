package io.aegis.pipelines;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.aegis.sequences.SequenceType;
import java.util.List;
import java.util.Map;

/**
 * One parameter a pipeline accepts. A name may be declared more than once with different
 * {@code when} conditions (BLAST's {@code word_size} has other bounds for blastn than for the
 * protein programs); the declaration whose condition holds applies.
 *
 * @param type         {@code choice}, {@code integer} or {@code number}
 * @param defaultValue used when the parameter is not given (and it applies); null for none
 * @param required     the parameter must be given when it applies and has no default
 * @param min          smallest value allowed (numbers), inclusive unless {@code exclusiveMin}
 * @param flag         the command-line option the value follows, e.g. {@code -evalue}; null when the
 *                     value is only used by name in a command (e.g. {@code {program}})
 * @param when         the parameter applies only when each named (unconditional) parameter has one
 *                     of the listed values; empty means always
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ParameterSpec(String name, Type type, String description,
                            @JsonProperty("default") Object defaultValue, boolean required,
                            Double min, boolean exclusiveMin, Double max, List<Choice> choices, String flag,
                            Map<String, List<String>> when) {

    public enum Type {
        @JsonProperty("choice") CHOICE,
        @JsonProperty("integer") INTEGER,
        @JsonProperty("number") NUMBER
    }

    /**
     * One value of a choice; choosing it may set the alphabet the queries must have and the type
     * of database searched (BLAST's {@code program}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Choice(String value, String description, SequenceType query, SequenceType database) {
    }

    public ParameterSpec {
        choices = choices == null ? List.of() : List.copyOf(choices);
        when = when == null ? Map.of() : Map.copyOf(when);
    }

    /** Whether this declaration applies, given the values of the unconditional parameters. */
    public boolean appliesTo(Map<String, Object> values) {
        return when.entrySet().stream().allMatch(condition -> {
            Object value = values.get(condition.getKey());
            return value != null && condition.getValue().contains(value.toString());
        });
    }
}
