package io.aegis.contracts.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.aegis.events.JobStatus;
import java.util.List;
import java.util.Locale;

/**
 * An RFC 9457 problem: the body of every error Aegis answers ({@code application/problem+json}).
 * {@code code} is stable and meant for programs; {@code title} and {@code detail} are for people.
 *
 * @param errors    for validation problems: which field is wrong and why
 * @param jobStatus for a request refused because of the job's state (e.g. cancelling a finished job): that state
 * @param poll      for a request refused for now (e.g. too many open streams): what to read instead
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String code, List<FieldError> errors,
                      JobStatus jobStatus, String poll) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem(typeOf(code), title, status, detail, code, List.of(), null, null);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, code, List.copyOf(fieldErrors), jobStatus, poll);
    }

    public Problem withJobStatus(JobStatus state) {
        return new Problem(type, title, status, detail, code, errors, state, poll);
    }

    public Problem withPoll(String uri) {
        return new Problem(type, title, status, detail, code, errors, jobStatus, uri);
    }

    /** A stable URN per code, e.g. {@code urn:aegis:problem:job-not-found}. */
    static String typeOf(String code) {
        return "urn:aegis:problem:" + code.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
