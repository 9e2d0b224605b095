package scheduledevents.responder;

import java.time.Clock;

/**
 * The parser, the store and the notifier the routes call, built from the checked settings; {@link #close} releases
 * what they hold (the database pool). The real ones are made by {@link Factory#REAL}; tests give their own.
 */
public record ResponderParts(Intake intake, Fleet fleet, Notifier notifier, AutoCloseable resources) {

    /** Builds the parts once the settings are checked. */
    @FunctionalInterface
    public interface Factory {
        ResponderParts create(ResponderSettings settings, ResponderMetrics metrics, Clock clock) throws Exception;

        /**
         * The real DeliveryParser, FleetDatabase + FleetStore and FleetNotifier. They are written on their own
         * branches: until they are wired here, the responder refuses to start with one line.
         */
        Factory REAL = (settings, metrics, clock) -> {
            throw new IllegalStateException("the responder's parser, store and notifier are not wired yet");
        };
    }

    public void close() throws Exception {
        if (resources != null) {
            resources.close();
        }
    }
}
