package scheduledevents.responder.fleet;

/**
 * Filters of {@code GET /api/events}; a null filter matches everything. Matching is case-insensitive and exact,
 * except {@code vm}, which matches a VM's name containing it.
 *
 * @param limit at most this many events, newest NotBefore first
 */
public record FleetQuery(String status, String type, String resourceGroup, String vm, int limit) {
    public static final int DEFAULT_LIMIT = 200;

    public static FleetQuery all() {
        return new FleetQuery(null, null, null, null, DEFAULT_LIMIT);
    }
}
