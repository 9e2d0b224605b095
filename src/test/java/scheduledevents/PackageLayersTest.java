package scheduledevents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of src/main/java depend downwards only: each may use the packages listed for it here and no other
 * (README "The pipeline"). An import or fully qualified name of another agent package that is not listed fails, so
 * a helper cannot slip back into a feature package and no cycle can form.
 */
class PackageLayersTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Set<String> BOTTOM = Set.of("logging", "durable", "record");
    private static final Set<String> SINK = Set.of("logging", "settings", "record", "observability", "delivery",
            "notification");

    /** Package (without "scheduledevents.", "" for the root) -> the agent packages it may use. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("logging", Set.of()),
            Map.entry("durable", Set.of()),
            Map.entry("record", Set.of()),
            Map.entry("settings", Set.of("logging")),
            Map.entry("observability", Set.of("logging", "record")),
            Map.entry("imds", Set.of("logging", "settings", "record", "observability")),
            Map.entry("transitions", Set.of("logging", "durable", "settings", "record", "observability", "imds")),
            Map.entry("delivery", Set.of("logging", "durable", "settings", "record", "observability")),
            Map.entry("notification", Set.of("logging", "settings", "record")),
            Map.entry("sink.log", SINK),
            Map.entry("sink.eventgrid", SINK),
            Map.entry("sink.mail", SINK),
            Map.entry("sink.webhook", SINK),
            Map.entry("respond", Set.of("logging", "durable", "settings", "record", "observability", "imds")),
            Map.entry("simulator", Set.of()),
            Map.entry("app", Set.of("logging", "durable", "record", "settings", "observability", "imds",
                    "transitions", "delivery", "notification", "sink.log", "sink.eventgrid", "sink.mail",
                    "sink.webhook", "respond", "simulator")),
            // the fleet responder (--responder): it may use the agent's shared parts; no agent package uses it
            Map.entry("responder.intake", Set.of("logging", "settings", "record", "imds")),
            Map.entry("responder.fleet", Set.of("logging", "settings", "record", "responder.intake")),
            Map.entry("responder.notify", Set.of("logging", "settings", "record", "notification", "sink.mail",
                    "sink.webhook", "responder.fleet", "responder.intake")),
            Map.entry("responder.api", Set.of("logging", "responder.fleet", "responder.intake")),
            Map.entry("responder.approve", Set.of("logging", "settings", "record", "responder.fleet",
                    "responder.intake")),
            Map.entry("responder.page", Set.of("logging", "settings", "responder.fleet", "responder.api")),
            Map.entry("responder.demo", Set.of("simulator")),
            Map.entry("responder", Set.of("logging", "settings", "record", "observability", "notification",
                    "sink.mail", "sink.webhook", "responder.intake", "responder.fleet", "responder.notify",
                    "responder.api", "responder.approve", "responder.page", "responder.demo")),
            Map.entry("", Set.of("app", "settings", "simulator", "responder")));

    private static final Pattern PACKAGE =
            Pattern.compile("^package scheduledevents((?:\\.[a-z]+)*);", Pattern.MULTILINE);
    /** An import, static import or fully qualified use: the package is the lower-case part before the class. */
    private static final Pattern REFERENCE = Pattern.compile("\\bscheduledevents((?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]\\w*");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\n]*", Pattern.DOTALL);

    @Test
    void everyMainClassUsesOnlyThePackagesBelowIt() throws IOException {
        List<String> wrong = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(MAIN)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        for (Path source : sources) {
            wrong.addAll(check(MAIN.relativize(source).toString(), Files.readString(source)));
        }
        assertTrue(sources.size() > 50, "read " + sources.size() + " files: run from the project folder");
        assertEquals(List.of(), wrong, "imports that point up or sideways (see ALLOWED)");
    }

    @Test
    void anUpwardImportIsFound() {
        assertEquals(List.of("logging/X.java (logging) uses scheduledevents.app.AgentRunner"),
                check("logging/X.java", "package scheduledevents.logging;\nimport scheduledevents.app.AgentRunner;\n"
                        + "// scheduledevents.app.Options in a comment is no dependency\nclass X {}\n"));
        assertEquals(List.of("sink/mail/X.java (sink.mail) uses scheduledevents.sink.webhook.WebhookSender"),
                check("sink/mail/X.java", "package scheduledevents.sink.mail;\n"
                        + "class X { Object o = scheduledevents.sink.webhook.WebhookSender.class; }\n"));
        assertTrue(BOTTOM.stream().allMatch(p -> ALLOWED.get(p).isEmpty()));
    }

    private static List<String> check(String file, String text) {
        Matcher declared = PACKAGE.matcher(text);
        if (!declared.find()) {
            return List.of(file + " has no scheduledevents package");
        }
        String pkg = declared.group(1).isEmpty() ? "" : declared.group(1).substring(1);
        Set<String> allowed = ALLOWED.get(pkg);
        if (allowed == null) {
            return List.of(file + ": package '" + pkg + "' is not in PackageLayersTest.ALLOWED");
        }
        List<String> wrong = new ArrayList<>();
        String code = COMMENT.matcher(text).replaceAll("");
        for (String line : code.split("\n")) {
            Matcher use = REFERENCE.matcher(line);
            while (use.find()) {
                String target = use.group(1).isEmpty() ? "" : use.group(1).substring(1);
                if (!target.equals(pkg) && !allowed.contains(target)) {
                    wrong.add(file + " (" + pkg + ") uses " + use.group());
                }
            }
        }
        return wrong;
    }
}
