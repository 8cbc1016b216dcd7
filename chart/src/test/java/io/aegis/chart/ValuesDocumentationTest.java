package io.aegis.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** values.yaml is the operator's manual: every value is explained where it is set. */
class ValuesDocumentationTest {

    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_./-]+):.*$");
    /** Maps whose entries are one value's content (a quantity per resource, an annotation per key). */
    private static final Set<String> VALUE_MAPS = Set.of("resources", "seedResources", "requests", "limits", "seccompProfile", "annotations");

    @Test
    void everyValueIsDocumentedWhereItIsSet() throws IOException {
        List<String> lines = Files.readAllLines(HelmChart.file("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        Deque<String[]> parents = new ArrayDeque<>(); // {indent, key}
        String previous = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher key = KEY.matcher(line);
            if (key.matches()) {
                int indent = key.group(1).length();
                while (!parents.isEmpty() && Integer.parseInt(parents.peek()[0]) >= indent) {
                    parents.pop();
                }
                boolean inValue = !parents.isEmpty() && VALUE_MAPS.contains(parents.peek()[1]);
                if (!inValue && !previous.startsWith("#")) {
                    undocumented.add((i + 1) + ": " + line);
                }
                parents.push(new String[] {String.valueOf(indent), key.group(2)});
            }
            if (!line.isBlank()) {
                previous = line.strip();
            }
        }
        assertThat(undocumented).as("keys of values.yaml without a comment right above them").isEmpty();
    }
}
