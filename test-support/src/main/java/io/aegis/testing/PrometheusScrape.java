package io.aegis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a service's {@code /q/metrics} in the Prometheus text format, read the way a test
 * asks about it: the value of a series picked by its name and some of its labels.
 */
public final class PrometheusScrape {

    /** One line of a scrape: {@code name{label="value",...} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String text;
    private final List<Sample> samples;

    private PrometheusScrape(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    /** Scrapes {@code url} (a 200 answer in the text format, or an error naming the status). */
    public static PrometheusScrape of(URL url) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(url.toURI()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new AssertionError("GET " + url + " answered " + answer.statusCode());
            }
            return parse(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Scrapes {@code uri}. */
    public static PrometheusScrape of(URI uri) {
        try {
            return of(uri.toURL());
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Reads a scrape's text. */
    public static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            // an exemplar (OpenMetrics: ` # {trace_id="…",span_id="…"} value timestamp`) follows some samples
            int exemplar = line.indexOf(" # {");
            Matcher m = LINE.matcher((exemplar < 0 ? line : line.substring(0, exemplar)).strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("Not a Prometheus sample: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
                }
            }
            samples.add(new Sample(m.group(1), Map.copyOf(labels), number(m.group(4))));
        }
        return new PrometheusScrape(text, List.copyOf(samples));
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** Every sample named {@code name} whose labels include {@code labels} (name, value, name, value…). */
    public List<Sample> samples(String name, String... labels) {
        Map<String, String> wanted = pairs(labels);
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(wanted.entrySet())).toList();
    }

    /** The value of the one series so named and labelled; empty when there is none. */
    public Optional<Double> value(String name, String... labels) {
        List<Sample> found = samples(name, labels);
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " series match " + name + pairs(labels) + ": " + found);
        }
        return found.stream().findFirst().map(Sample::value);
    }

    /** As {@link #value}, with 0 for a series not there yet (a counter before its first event). */
    public double valueOrZero(String name, String... labels) {
        return value(name, labels).orElse(0.0);
    }

    /** The sum of every series so named and labelled (a counter across the labels not given). */
    public double sum(String name, String... labels) {
        return samples(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** The scrape as it was answered, for a failure's message. */
    public String text() {
        return text;
    }

    private static Map<String, String> pairs(String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return wanted;
    }
}
