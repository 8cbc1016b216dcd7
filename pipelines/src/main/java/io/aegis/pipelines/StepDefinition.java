package io.aegis.pipelines;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;

/**
 * One step of a pipeline. Only the search step has a command: a template whose tokens are used
 * as they are, except placeholders: {@code {<parameter>}} (its value), {@code {batch}},
 * {@code {database}}, {@code {out}}, {@code {columns}} and, as a whole token, {@code {flags}}
 * (every given parameter that has a flag, as flag and value).
 *
 * @param timeout the longest one run of the step's command may take (ISO-8601, e.g. {@code PT6H});
 *                null for the worker's default
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StepDefinition(String key, String title, String description, List<String> command,
                             List<String> produces, Duration timeout) {

    public StepDefinition {
        command = command == null ? List.of() : List.copyOf(command);
        produces = produces == null ? List.of() : List.copyOf(produces);
    }
}
