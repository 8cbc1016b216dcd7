package io.aegis.events;

import java.util.List;

/** The execution steps of the BLAST pipeline, in order. */
public final class Steps {

    public static final String VALIDATE = "validate";
    public static final String SPLIT = "split";
    public static final String SEARCH = "search";
    public static final String MERGE = "merge";
    public static final String FINALIZE = "finalize";

    public static final List<String> BLAST = List.of(VALIDATE, SPLIT, SEARCH, MERGE, FINALIZE);

    private Steps() {
    }
}
