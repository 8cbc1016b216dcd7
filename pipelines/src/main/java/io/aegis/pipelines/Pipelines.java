package io.aegis.pipelines;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The pipelines a deployment offers: the built-in ones shipped in this jar ({@code blast}) and
 * every {@code <name>.json} of an optional folder, so an operator adds a pipeline by adding a file.
 * The gateway and the worker read the same definitions and so apply the same rules.
 */
public final class Pipelines {

    /** The steps every pipeline runs, in order (pipelines are batched searches). */
    public static final List<String> STEPS = List.of("validate", "split", "search", "merge", "finalize");
    /** Placeholders the worker fills in for each batch, beside the parameters. */
    public static final Set<String> RUN_PLACEHOLDERS = Set.of("batch", "database", "out", "archive", "columns", "flags");

    private static final List<String> BUILT_IN = List.of("blast");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
            .build();

    private final Map<String, PipelineDefinition> byName;

    private Pipelines(Map<String, PipelineDefinition> byName) {
        this.byName = byName;
    }

    /** The built-in pipelines and those defined in {@code dir}, when given. */
    public static Pipelines load(Optional<Path> dir) {
        Map<String, PipelineDefinition> byName = new LinkedHashMap<>();
        for (String name : BUILT_IN) {
            try (InputStream in = Pipelines.class.getResourceAsStream(name + ".json")) {
                add(byName, read(in, name + ".json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (dir.isPresent() && Files.isDirectory(dir.get())) {
            try (Stream<Path> files = Files.list(dir.get())) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        add(byName, read(in, file.toString()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the pipelines in " + dir.get(), e);
            }
        }
        return new Pipelines(Map.copyOf(byName));
    }

    private static void add(Map<String, PipelineDefinition> byName, PipelineDefinition definition) {
        if (byName.putIfAbsent(definition.name(), definition) != null) {
            throw new IllegalArgumentException("Pipeline " + definition.name() + " is defined twice");
        }
    }

    public Optional<PipelineDefinition> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public List<PipelineDefinition> all() {
        return byName.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    public List<String> names() {
        return all().stream().map(PipelineDefinition::name).toList();
    }

    /** A definition read and checked; {@code source} names it in errors. */
    public static PipelineDefinition read(InputStream json, String source) {
        PipelineDefinition definition;
        try {
            definition = JSON.readValue(json, PipelineDefinition.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("Pipeline definition " + source + " cannot be read: " + e.getMessage(), e);
        }
        List<String> problems = problems(definition);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Pipeline definition " + source + " is not valid: "
                    + String.join("; ", problems));
        }
        return definition;
    }

    /** What is wrong with a definition, so a bad file is refused at start, not at a user's submit. */
    static List<String> problems(PipelineDefinition d) {
        List<String> problems = new ArrayList<>();
        if (d.name() == null || !NAME.matcher(d.name()).matches()) {
            problems.add("name must be lower-case letters, digits and '-', starting with a letter");
        }
        if (!d.stepKeys().equals(STEPS)) {
            problems.add("steps must be " + String.join(", ", STEPS) + " in that order");
        }
        Set<String> unconditional = new HashSet<>();
        for (ParameterSpec p : d.parameters()) {
            if (p.name() == null || p.type() == null) {
                problems.add("every parameter needs a name and a type");
                continue;
            }
            if (p.when().isEmpty() && !unconditional.add(p.name())) {
                problems.add("parameter " + p.name() + " is declared twice without a condition");
            }
            if (p.type() == ParameterSpec.Type.CHOICE && p.choices().isEmpty()) {
                problems.add("choice parameter " + p.name() + " has no choices");
            }
            if (p.defaultValue() != null) {
                try {
                    ParameterRules.convert(p, p.defaultValue());
                } catch (InvalidParameter e) {
                    problems.add("default of " + p.name() + ": " + e.getMessage());
                }
            }
        }
        for (ParameterSpec p : d.parameters()) {
            for (String on : p.when().keySet()) {
                if (!unconditional.contains(on)) {
                    problems.add("parameter " + p.name() + " depends on " + on + ", which is not an unconditional parameter");
                }
            }
        }
        if (d.columns().isEmpty() || d.columns().stream().noneMatch(c -> c.name().equals("qseqid"))
                || !d.columns().getFirst().name().equals("qseqid")) {
            problems.add("columns must start with qseqid (the query each hit belongs to)");
        }
        d.step("search").ifPresent(search -> {
            if (search.command().isEmpty()) {
                problems.add("the search step needs a command");
            }
            Set<String> named = CommandTemplate.placeholders(search.command());
            Set<String> formatNamed = CommandTemplate.placeholders(search.format());
            if (search.archives() && !(named.contains("archive") && formatNamed.containsAll(Set.of("archive", "out")))) {
                problems.add("a search with a format command writes {archive}, which the format command reads to write {out}");
            }
            if (!search.archives() && !named.contains("out")) {
                problems.add("the search command must write its hits to {out}");
            }
            Set<String> directNamed = CommandTemplate.placeholders(search.direct());
            if (!search.direct().isEmpty() && (!search.archives() || !directNamed.contains("out")
                    || directNamed.contains("archive"))) {
                problems.add("a direct command is the archiving search writing its hits to {out} itself, with no {archive}");
            }
            for (String placeholder : formatNamed) {
                if (!Set.of("archive", "out", "columns").contains(placeholder)) {
                    problems.add("the format command names {" + placeholder + "}; it may name {archive}, {out} and {columns}");
                }
            }
            Set<String> searchNamed = new HashSet<>(named);
            searchNamed.addAll(directNamed);
            for (String placeholder : searchNamed) {
                boolean alwaysSet = d.parameters().stream().anyMatch(p -> p.name().equals(placeholder)
                        && p.when().isEmpty() && (p.defaultValue() != null || p.required()));
                if (!RUN_PLACEHOLDERS.contains(placeholder) && !alwaysSet) {
                    problems.add("the search command names {" + placeholder + "}, which is neither a parameter that "
                            + "always has a value nor one of " + String.join(", ", RUN_PLACEHOLDERS.stream().sorted().toList()));
                }
            }
        });
        return problems;
    }

    /** The definitions as JSON, as the catalog lists them: names of types and alphabets in lower case. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(all());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
