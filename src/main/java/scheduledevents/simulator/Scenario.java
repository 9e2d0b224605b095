package scheduledevents.simulator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * A scripted sequence of scheduled events (and optional faults) over scenario time. {@code speed} is an optional
 * default time scale: scenario second s plays at real time start + s / speed.
 */
public record Scenario(String name, String description, Double speed, List<ScenarioEvent> events,
                       List<ScenarioFault> faults) {

    /** Scenarios shipped as resources under {@code /scenarios/NAME.json}. */
    public static final List<String> BUILT_IN = List.of("demo", "freeze", "reboot-user", "host-maintenance",
            "redeploy", "user-redeploy", "canceled", "spot-preempt", "vmss-terminate", "host-failure", "fleet");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Scenario {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a scenario needs a 'name'");
        }
        if (speed != null && !(Double.isFinite(speed) && speed > 0)) {
            throw new IllegalArgumentException("'speed' must be a positive number");
        }
        description = description == null ? "" : description;
        events = events == null ? List.of() : List.copyOf(events);
        // Sorted by time so playback can hand faults out with a single cursor.
        faults = faults == null ? List.of()
                : faults.stream().sorted(Comparator.comparingDouble(ScenarioFault::at)).toList();
    }

    public double defaultSpeed() {
        return speed == null ? 1.0 : speed;
    }

    /** Scenario seconds until the last event has gone and the last fault has been scheduled. */
    public double lengthSeconds() {
        double end = 0;
        for (ScenarioEvent e : events) {
            end = Math.max(end, e.endSeconds());
        }
        for (ScenarioFault f : faults) {
            end = Math.max(end, f.at());
        }
        return end;
    }

    public static Scenario builtIn(String name) {
        if (!BUILT_IN.contains(name)) {
            throw new IllegalArgumentException("unknown scenario '" + name + "' (built-in: "
                    + String.join(", ", BUILT_IN) + ")");
        }
        try (InputStream in = Scenario.class.getResourceAsStream("/scenarios/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("built-in scenario resource missing: " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in scenario " + name, e);
        }
    }

    public static Scenario load(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** A built-in name if it is one, otherwise a file path: what {@code --scenario} accepts. */
    public static Scenario resolve(String nameOrPath) throws IOException {
        if (BUILT_IN.contains(nameOrPath)) {
            return builtIn(nameOrPath);
        }
        Path file = Path.of(nameOrPath);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no built-in scenario or file named '" + nameOrPath + "' (built-in: "
                    + String.join(", ", BUILT_IN) + ")");
        }
        return load(file);
    }

    /**
     * @param source names the input in error messages
     * @throws IllegalArgumentException with a one-line reason if the JSON is malformed or invalid
     */
    public static Scenario parse(String json, String source) {
        try {
            Scenario scenario = MAPPER.readValue(json, Scenario.class);
            if (scenario == null) {
                throw new IllegalArgumentException("scenario " + source + ": empty document");
            }
            return scenario;
        } catch (JsonProcessingException e) {
            // Our own validation errors arrive wrapped; show their message, not Jackson's long preamble.
            String reason = e.getCause() instanceof IllegalArgumentException invalid
                    ? invalid.getMessage() : e.getOriginalMessage().lines().findFirst().orElse("invalid JSON");
            JsonLocation where = e.getLocation();
            String line = where != null && where.getLineNr() > 0 ? " (line " + where.getLineNr() + ")" : "";
            throw new IllegalArgumentException("scenario " + source + ": " + reason + line + jsonPath(e));
        }
    }

    /** Where in the document the problem is, e.g. {@code at events[0].cancelat}, or "" if unknown. */
    private static String jsonPath(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return "";
        }
        StringBuilder path = new StringBuilder(" at ");
        for (JsonMappingException.Reference step : mapping.getPath()) {
            if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            } else {
                path.append(path.length() > 4 ? "." : "").append(step.getFieldName());
            }
        }
        return path.toString();
    }
}
