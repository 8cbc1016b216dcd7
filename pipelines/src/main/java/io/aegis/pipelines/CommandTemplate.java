package io.aegis.pipelines;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a step's command template into the argument list of one run. No shell is involved: each
 * token stays one argument, whatever a value contains.
 */
public final class CommandTemplate {

    /** The token that stands for every flagged parameter, as flag and value. */
    public static final String FLAGS = "{flags}";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");

    /**
     * @param values what each placeholder stands for
     * @throws IllegalArgumentException when the template names a placeholder {@code values} lacks
     */
    public static List<String> expand(List<String> template, Map<String, String> values, List<String> flags) {
        List<String> command = new ArrayList<>(template.size() + flags.size());
        for (String token : template) {
            if (token.equals(FLAGS)) {
                command.addAll(flags);
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(token);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) {
                    throw new IllegalArgumentException("Nothing to put in place of {" + m.group(1) + "} in '" + token + "'");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            command.add(out.toString());
        }
        return command;
    }

    /** Every placeholder a template names, {@code flags} included. */
    public static Set<String> placeholders(List<String> template) {
        Set<String> names = new TreeSet<>();
        for (String token : template) {
            Matcher m = PLACEHOLDER.matcher(token);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private CommandTemplate() {
    }
}
