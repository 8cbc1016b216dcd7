package io.aegis.pipelines;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;

/**
 * One step of a pipeline. Only the search step has a command: a template whose tokens are used
 * as they are, except placeholders: {@code {<parameter>}} (its value), {@code {batch}},
 * {@code {database}}, {@code {out}}, {@code {archive}}, {@code {columns}} and, as a whole token,
 * {@code {flags}} (every given parameter that has a flag, as flag and value).
 *
 * <p>A search that keeps the tool's own archive of its results has a {@code format} command too: the
 * search writes the archive ({@code {archive}}), and the format command turns it into the tabular hits
 * ({@code {out}}) the merge reads. The archive is kept with the job, so every other format the tool
 * offers can be made from it later without searching again. Without a format command the search
 * writes the tabular hits itself and nothing is archived.
 *
 * @param timeout the longest one run of the step's command may take (ISO-8601, e.g. {@code PT6H});
 *                null for the worker's default
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StepDefinition(String key, String title, String description, List<String> command,
                             List<String> format, List<String> produces, Duration timeout) {

    public StepDefinition {
        command = command == null ? List.of() : List.copyOf(command);
        format = format == null ? List.of() : List.copyOf(format);
        produces = produces == null ? List.of() : List.copyOf(produces);
    }

    /** Whether the step keeps the tool's archive and formats the tabular hits from it. */
    public boolean archives() {
        return !format.isEmpty();
    }
}
