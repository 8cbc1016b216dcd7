package io.aegis.worker.service;

/** A step that cannot go on; {@code code} becomes the job's error code. */
public class StepFailure extends RuntimeException {

    private final String code;

    public StepFailure(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
