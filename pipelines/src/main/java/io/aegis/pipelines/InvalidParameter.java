package io.aegis.pipelines;

/** A parameter that cannot be used; {@code field} names it as a client sent it, e.g. {@code params.evalue}. */
public final class InvalidParameter extends IllegalArgumentException {

    private final String field;

    public InvalidParameter(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
