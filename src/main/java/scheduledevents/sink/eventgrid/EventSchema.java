package scheduledevents.sink.eventgrid;

import java.util.Locale;

/** The input schema of the topic: what one published event looks like. */
public enum EventSchema {
    /** Event Grid's own schema: id, eventType, subject, eventTime, data, dataVersion. */
    EVENT_GRID,
    /** CloudEvents 1.0, sent as {@code application/cloudevents-batch+json}. */
    CLOUD_EVENTS;

    public static EventSchema parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        return switch (value) {
            case "eventgrid" -> EVENT_GRID;
            case "cloudevents", "cloudevent" -> CLOUD_EVENTS;
            default -> throw new IllegalArgumentException("must be eventgrid or cloudevents, got '"
                    + (text == null ? "" : text.trim()) + "'");
        };
    }
}
