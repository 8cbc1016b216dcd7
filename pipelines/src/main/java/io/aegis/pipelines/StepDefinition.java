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
 * <p>Such a search may also have a {@code direct} command: the search writing the tabular hits itself
 * ({@code {out}}), with no archive. The worker runs it for a search too small to be worth archiving
 * (see {@code aegis.worker.archive-min-search-space}): formatting an archive costs a second tool run per
 * batch, as much as a small search itself, and the archive is only read when someone asks for one of
 * the tool's other formats. Then the archive is made when it is first asked for, by running the
 * archiving command once more on the job's input.
 *
 * @param timeout the longest one run of the step's command may take (ISO-8601, e.g. {@code PT6H});
 *                null for the worker's default
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StepDefinition(String key, String title, String description, List<String> command,
                             List<String> format, List<String> direct, List<String> produces, Duration timeout) {

    public StepDefinition {
        command = command == null ? List.of() : List.copyOf(command);
        format = format == null ? List.of() : List.copyOf(format);
        direct = direct == null ? List.of() : List.copyOf(direct);
        produces = produces == null ? List.of() : List.copyOf(produces);
    }

    /** Whether the step keeps the tool's archive and formats the tabular hits from it. */
    public boolean archives() {
        return !format.isEmpty();
    }

    /**
     * Whether a search of this size keeps the tool's archive: always for a step that archives and has no
     * direct command; otherwise only from {@code minSearchSpace} on.
     *
     * @param searchSpace the query residues times the database's residues
     */
    public boolean archives(long searchSpace, long minSearchSpace) {
        return archives() && (direct.isEmpty() || searchSpace >= minSearchSpace);
    }

    /** Whether a search that keeps an archive or not ({@code archives}) runs the direct command. */
    public boolean searchesDirectly(boolean archives) {
        return !archives && !direct.isEmpty();
    }
}
