package scheduledevents.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parsed command line. */
public record Options(String mode, Path config, Path routes, String scenario) {
    public static Options parse(List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        String mode = "";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--demo", "--once" -> {
                    if (!mode.isEmpty()) {
                        throw new IllegalArgumentException("choose one of --demo, --once, --simulate");
                    }
                    mode = a;
                }
                case "--config", "--routes", "--scenario" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    values.put(a, args.get(++i));
                }
                default -> throw new IllegalArgumentException("unknown argument '" + a + "' (see --help)");
            }
        }
        return new Options(mode, Path.of(values.getOrDefault("--config", "application.properties")),
                values.containsKey("--routes") ? Path.of(values.get("--routes")) : null,
                values.getOrDefault("--scenario", "demo"));
    }
}
