package scheduledevents.responder.fleet;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import scheduledevents.responder.intake.FleetReport;
import scheduledevents.responder.intake.ReportSource;
import scheduledevents.responder.intake.VmRef;

/**
 * The fleet's state in SQL: joins reports into fleet events (one per EventId, case-insensitive), keeps their
 * history and writes the notification outbox in the same transaction as each status change.
 *
 * <p>Concurrency: a report is first inserted into its own row with {@code ON CONFLICT DO NOTHING} (a duplicate
 * stops there, without a lock); per-VM state lives in per-VM rows; the hot fleet-event row is read without a lock
 * and locked ({@code SELECT ... FOR UPDATE}) only when the report may change its status, then the decision is
 * re-made on the locked row and the update is a compare-and-set on (status, occurrence). Unique keys on status
 * changes and outbox rows make a second replica's attempt a no-op. A serialization failure or deadlock (SQLState
 * 40001 / 40P01) retries the whole delivery a few times.
 *
 * <p>Every text is untrusted: bound as a parameter, NUL characters replaced (PostgreSQL refuses them) and capped.
 */
public final class FleetStore {
    static final int MAX_KEY = 512;
    static final int MAX_NAME = 512;
    static final int MAX_RESOURCE_ID = 1024;
    static final int MAX_GROUP = 256;
    static final int MAX_SUBSCRIPTION = 128;
    static final int MAX_TYPE = 128;
    static final int MAX_DESCRIPTION = 4096;
    static final int MAX_REASON = 512;
    static final int MAX_OWNER = 128;
    static final int MAX_USER = 128;
    static final int MAX_MESSAGE = 2048;
    static final int MAX_LIMIT = 1000;
    static final String CUT = "...[cut]";
    private static final int ATTEMPTS = 6;
    /** Facts known to be committed (a source seen, a VM list merged), so that they are not written again. */
    private static final int KNOWN_MAX = 50_000;
    private static final long PRIME = (1L << 61) - 1;

    private final DataSource dataSource;
    private final Clock clock;
    private final NotifyRules rules;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private volatile Fingerprint lastFingerprint;
    private final long hashBase = 2 + Math.floorMod(new SecureRandom().nextLong(), PRIME - 4);

    public FleetStore(DataSource dataSource, Clock clock, NotifyRules rules) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rules = rules == null ? NotifyRules.none() : rules;
    }

    // ---------------------------------------------------------------------------------------------------- apply

    /**
     * Stores one delivery's reports in ONE transaction: committed when this returns, nothing when it throws.
     *
     * @throws FleetStoreException when the database fails (the delivery is to be answered 500 and retried)
     */
    public ApplyResult apply(List<FleetReport> reports) {
        if (reports == null || reports.isEmpty()) {
            return ApplyResult.NONE;
        }
        return inTransaction("storing a delivery of " + reports.size() + " report(s)", c -> {
            Instant now = clock.instant();
            List<String> learned = new ArrayList<>();
            ApplyResult result = ApplyResult.NONE;
            for (FleetReport report : inLockOrder(reports)) {
                result = result.plus(applyOne(c, report, now, learned));
            }
            return new Committed<>(result, learned);
        });
    }

    /**
     * The delivery's reports grouped by fleet event (stable: each event's reports keep their order), so that every
     * transaction locks fleet-event rows in one order and two deliveries of the same events cannot deadlock on them.
     */
    private static List<FleetReport> inLockOrder(List<FleetReport> reports) {
        if (reports.size() < 2) {
            return reports;
        }
        List<FleetReport> sorted = new ArrayList<>(reports);
        sorted.sort(Comparator.comparing(FleetReport::eventKey));
        return sorted;
    }

    private ApplyResult applyOne(Connection c, FleetReport r, Instant now, List<String> learned) throws SQLException {
        String status = StatusRules.canonical(r.eventStatus());
        if (status == null || r.source() == null) {
            return new ApplyResult(1, 0, 0, 0); // the parser lets none of these through; nothing to join
        }
        String key = text(r.eventKey(), MAX_KEY);
        String source = r.source().label();
        VmRef reporter = r.source() == ReportSource.PLATFORM ? null : r.reporter();
        String reporterKey = reporterKey(r, reporter);
        int occurrence = Math.max(1, r.occurrence());
        Instant observed = r.observedAt() == null ? Instant.EPOCH : r.observedAt();

        try (PreparedStatement ps = c.prepareStatement("insert into fleet_report (event_key, source, reporter, status,"
                + " occurrence, observed_at, received_at, delivery_id) values (?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict do nothing")) {
            ps.setString(1, key);
            ps.setString(2, source);
            ps.setString(3, reporterKey);
            ps.setString(4, status);
            ps.setInt(5, occurrence);
            setInstant(ps, 6, observed);
            setInstant(ps, 7, now);
            ps.setString(8, text(r.deliveryId(), MAX_KEY));
            if (ps.executeUpdate() == 0) {
                return new ApplyResult(1, 1, 0, 0);
            }
        }

        int changes = 0;
        int queued = 0;
        Snapshot snapshot = read(c, key, false);
        boolean created = false;
        if (snapshot == null) {
            created = insertEvent(c, key, r, status, occurrence, observed, now);
            if (created) {
                changes = 1;
                queued = recordChange(c, key, text(r.eventType(), MAX_TYPE), status, occurrence, source,
                        reporter == null ? null : text(reporter.name(), MAX_NAME), now);
            } else {
                snapshot = read(c, key, false); // another transaction created it and has committed
            }
        }

        String sourceFact = "s|" + key + "|" + source;
        if (!known.contains(sourceFact)) {
            try (PreparedStatement ps = c.prepareStatement("insert into fleet_source (event_key, source, first_seen, vm)"
                    + " values (?, ?, ?, ?) on conflict do nothing")) {
                ps.setString(1, key);
                ps.setString(2, source);
                setInstant(ps, 3, now);
                ps.setString(4, reporter == null ? null : text(reporter.name(), MAX_NAME));
                ps.executeUpdate();
            }
            learned.add(sourceFact);
        }

        mergeVms(c, key, r.vms(), reporter, learned);
        if (reporter != null) {
            recordReporter(c, key, r.vms(), reporter, status, occurrence, r.observedAt());
        }

        if (!created && snapshot != null) {
            if (snapshot.lacksWhat(r)) {
                fillFields(c, key, r);
            }
            if (StatusRules.mayChange(snapshot.state(), r)) {
                int[] done = lockAndChange(c, key, r, source, reporter, now);
                changes += done[0];
                queued += done[1];
            }
        }
        return new ApplyResult(1, 0, changes, queued);
    }

    /**
     * Who a report is from, in {@code fleet_report.reporter} (part of what makes a duplicate): the reporting VM's key
     * for an agent or the seed script; for the platform topic, the resource the notification was published on (its
     * resource id, lower case), since Azure publishes one per VM or scale set of an event and two VMs' notifications
     * of one status may carry the same time. '' when neither is known (V1's comment, "'' for the platform topic",
     * predates that).
     */
    private static String reporterKey(FleetReport r, VmRef reporter) {
        if (r.source() == ReportSource.PLATFORM) {
            return r.publishedOn() == null || r.publishedOn().isBlank() ? ""
                    : text(lower(r.publishedOn()), MAX_NAME);
        }
        return reporter == null ? "" : text(reporter.key(), MAX_NAME);
    }

    private boolean insertEvent(Connection c, String key, FleetReport r, String status, int occurrence,
            Instant observed, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into fleet_event (event_key, event_id, event_type,"
                + " status, occurrence, status_observed_at, occurrence_since, not_before, duration_seconds,"
                + " description, event_source, resource_type, first_seen) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict do nothing")) {
            ps.setString(1, key);
            ps.setString(2, text(r.eventId().trim(), MAX_KEY));
            ps.setString(3, text(r.eventType(), MAX_TYPE));
            ps.setString(4, status);
            ps.setInt(5, occurrence);
            setInstant(ps, 6, observed);
            setInstant(ps, 7, occurrence > 1 ? observed : null);
            setInstant(ps, 8, r.notBefore());
            setInteger(ps, 9, r.durationInSeconds());
            ps.setString(10, text(r.description(), MAX_DESCRIPTION));
            ps.setString(11, text(r.eventSource(), MAX_TYPE));
            ps.setString(12, text(r.resourceType(), MAX_TYPE));
            setInstant(ps, 13, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** Fills the fleet event's fields that no report gave yet (COALESCE: a known value is never overwritten). */
    private void fillFields(Connection c, String key, FleetReport r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update fleet_event set event_type = coalesce(event_type, ?),"
                + " not_before = coalesce(not_before, ?), duration_seconds = coalesce(duration_seconds, ?),"
                + " description = coalesce(description, ?), event_source = coalesce(event_source, ?),"
                + " resource_type = coalesce(resource_type, ?) where event_key = ?")) {
            ps.setString(1, text(r.eventType(), MAX_TYPE));
            setInstant(ps, 2, r.notBefore());
            setInteger(ps, 3, r.durationInSeconds());
            ps.setString(4, text(r.description(), MAX_DESCRIPTION));
            ps.setString(5, text(r.eventSource(), MAX_TYPE));
            ps.setString(6, text(r.resourceType(), MAX_TYPE));
            ps.setString(7, key);
            ps.executeUpdate();
        }
    }

    /** Returns {status changes, outbox rows}. */
    private int[] lockAndChange(Connection c, String key, FleetReport r, String source, VmRef reporter, Instant now)
            throws SQLException {
        for (int round = 0; round < 3; round++) {
            Snapshot locked = read(c, key, true);
            if (locked == null) {
                return new int[] {0, 0};
            }
            Instant lastCancel = null;
            if (StatusRules.CANCELED.equals(StatusRules.canonical(locked.status))) {
                lastCancel = lastCancelObserved(c, key);
            }
            StatusRules.Change change = StatusRules.decide(locked.state(), r, lastCancel);
            if (change == null) {
                return new int[] {0, 0};
            }
            Instant observed = r.observedAt() == null ? Instant.EPOCH : r.observedAt();
            String sql = change.revived()
                    ? "update fleet_event set status = ?, occurrence = ?, status_observed_at = ?,"
                            + " occurrence_since = ?, not_before = coalesce(?, not_before),"
                            + " duration_seconds = coalesce(?, duration_seconds)"
                            + " where event_key = ? and status = ? and occurrence = ?"
                    : "update fleet_event set status = ?, occurrence = ?, status_observed_at = ?"
                            + " where event_key = ? and status = ? and occurrence = ?";
            int updated;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setString(i++, change.status());
                ps.setInt(i++, change.occurrence());
                setInstant(ps, i++, observed);
                if (change.revived()) {
                    setInstant(ps, i++, observed);
                    setInstant(ps, i++, r.notBefore());
                    setInteger(ps, i++, r.durationInSeconds());
                }
                ps.setString(i++, key);
                ps.setString(i++, locked.status);
                ps.setInt(i, locked.occurrence);
                updated = ps.executeUpdate();
            }
            if (updated == 1) {
                String type = locked.eventType != null ? locked.eventType : text(r.eventType(), MAX_TYPE);
                int queued = recordChange(c, key, type, change.status(), change.occurrence(), source,
                        reporter == null ? null : text(reporter.name(), MAX_NAME), now);
                return new int[] {1, queued};
            }
            // the row moved between the read and the update (a database without FOR UPDATE re-reads): decide again
        }
        return new int[] {0, 0};
    }

    private static Instant lastCancelObserved(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select max(observed_at) from fleet_report where event_key = ? and status = ?")) {
            ps.setString(1, key);
            ps.setString(2, StatusRules.CANCELED);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? instant(rs, 1) : null;
            }
        }
    }

    /** The status change's history row and its outbox rows; nothing when another transaction made it already. */
    private int recordChange(Connection c, String key, String type, String status, int occurrence, String source,
            String vm, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into fleet_status_change (event_key, status,"
                + " occurrence, changed_at, source, vm) values (?, ?, ?, ?, ?, ?) on conflict do nothing")) {
            ps.setString(1, key);
            ps.setString(2, status);
            ps.setInt(3, occurrence);
            setInstant(ps, 4, now);
            ps.setString(5, source);
            ps.setString(6, vm);
            if (ps.executeUpdate() == 0) {
                return 0;
            }
        }
        int queued = 0;
        for (String channel : rules.channelsFor(type, status)) {
            try (PreparedStatement ps = c.prepareStatement("insert into fleet_outbox (event_key, status, occurrence,"
                    + " channel, created_at, next_attempt_at, attempts) values (?, ?, ?, ?, ?, ?, 0)"
                    + " on conflict do nothing")) {
                ps.setString(1, key);
                ps.setString(2, status);
                ps.setInt(3, occurrence);
                ps.setString(4, channel);
                setInstant(ps, 5, now);
                setInstant(ps, 6, now);
                queued += ps.executeUpdate();
            }
        }
        return queued;
    }

    /**
     * Merges the report's Resources into the event's VM rows once per distinct list (by fingerprint): the same list
     * from 1,000 agents costs one insert that conflicts, or nothing once it is known to be committed.
     */
    private void mergeVms(Connection c, String key, List<VmRef> vms, VmRef reporter, List<String> learned)
            throws SQLException {
        if (vms.isEmpty()) {
            return;
        }
        String fact = "v|" + key + "|" + fingerprint(vms, reporter);
        if (known.contains(fact)) {
            return;
        }
        learned.add(fact);
        try (PreparedStatement ps = c.prepareStatement(
                "insert into fleet_vm_set (event_key, fingerprint) values (?, ?) on conflict do nothing")) {
            ps.setString(1, key);
            ps.setString(2, fact.substring(fact.lastIndexOf('|') + 1));
            if (ps.executeUpdate() == 0) {
                return;
            }
        }
        TreeMap<String, VmRef> byKey = new TreeMap<>(); // one order for every transaction: no lock cycles
        for (VmRef vm : vms) {
            byKey.putIfAbsent(text(vm.key(), MAX_NAME), vm);
        }
        try (PreparedStatement insert = c.prepareStatement("insert into fleet_vm (event_key, vm_key, name,"
                + " resource_id, resource_group, subscription_id, scale_set_id, status_rank, occurrence)"
                + " values (?, ?, ?, ?, ?, ?, ?, 0, 0) on conflict do nothing")) {
            for (var e : byKey.entrySet()) {
                bindVm(insert, key, e.getKey(), e.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        boolean anyDetail = false;
        // a row whose scale set is unknown is written only when this list knows it (the last parameter)
        try (PreparedStatement fill = c.prepareStatement("update fleet_vm set"
                + " resource_id = coalesce(resource_id, ?), resource_group = coalesce(resource_group, ?),"
                + " subscription_id = coalesce(subscription_id, ?), scale_set_id = coalesce(scale_set_id, ?)"
                + " where event_key = ? and vm_key = ?"
                + " and (resource_id is null or resource_group is null or subscription_id is null"
                + " or (scale_set_id is null and cast(? as varchar(1024)) is not null))")) {
            for (var e : byKey.entrySet()) {
                VmRef vm = e.getValue();
                if (vm.resourceId() == null && vm.resourceGroup() == null && vm.subscriptionId() == null
                        && vm.scaleSetId() == null) {
                    continue;
                }
                String scaleSet = text(vm.scaleSetId(), MAX_RESOURCE_ID);
                fill.setString(1, text(vm.resourceId(), MAX_RESOURCE_ID));
                fill.setString(2, text(vm.resourceGroup(), MAX_GROUP));
                fill.setString(3, text(vm.subscriptionId(), MAX_SUBSCRIPTION));
                fill.setString(4, scaleSet);
                fill.setString(5, key);
                fill.setString(6, e.getKey());
                fill.setString(7, scaleSet);
                fill.addBatch();
                anyDetail = true;
            }
            if (anyDetail) {
                fill.executeBatch();
            }
        }
    }

    private static void bindVm(PreparedStatement ps, String key, String vmKey, VmRef vm) throws SQLException {
        ps.setString(1, key);
        ps.setString(2, vmKey);
        ps.setString(3, text(vm.name(), MAX_NAME));
        ps.setString(4, text(vm.resourceId(), MAX_RESOURCE_ID));
        ps.setString(5, text(vm.resourceGroup(), MAX_GROUP));
        ps.setString(6, text(vm.subscriptionId(), MAX_SUBSCRIPTION));
        ps.setString(7, text(vm.scaleSetId(), MAX_RESOURCE_ID));
    }

    /** The reporting VM's own last status: its own row, so reports of different VMs never wait for each other. */
    private void recordReporter(Connection c, String key, List<VmRef> vms, VmRef reporter, String status,
            int occurrence, Instant observed) throws SQLException {
        String vmKey = text(reporter.key(), MAX_NAME);
        boolean listed = false;
        for (VmRef vm : vms) {
            // equalsIgnoreCase first: no lower-case copy of 1,000 names per report
            if (vm.name().equalsIgnoreCase(reporter.name()) && text(vm.key(), MAX_NAME).equals(vmKey)) {
                listed = true;
                break;
            }
        }
        if (!listed) {
            try (PreparedStatement ps = c.prepareStatement("insert into fleet_vm (event_key, vm_key, name,"
                    + " resource_id, resource_group, subscription_id, scale_set_id, status_rank, occurrence)"
                    + " values (?, ?, ?, ?, ?, ?, ?, 0, 0) on conflict do nothing")) {
                bindVm(ps, key, vmKey, reporter);
                ps.executeUpdate();
            }
        }
        int rank = StatusRules.rank(status);
        // its own details (resource id, group, subscription) where still unknown, in the same statement
        try (PreparedStatement ps = c.prepareStatement("update fleet_vm set status = ?, status_rank = ?,"
                + " occurrence = ?, reported_at = ?, resource_id = coalesce(resource_id, ?),"
                + " resource_group = coalesce(resource_group, ?), subscription_id = coalesce(subscription_id, ?)"
                + " where event_key = ? and vm_key = ? and (occurrence < ? or (occurrence = ? and status_rank < ?))")) {
            ps.setString(1, status);
            ps.setInt(2, rank);
            ps.setInt(3, occurrence);
            setInstant(ps, 4, observed);
            ps.setString(5, text(reporter.resourceId(), MAX_RESOURCE_ID));
            ps.setString(6, text(reporter.resourceGroup(), MAX_GROUP));
            ps.setString(7, text(reporter.subscriptionId(), MAX_SUBSCRIPTION));
            ps.setString(8, key);
            ps.setString(9, vmKey);
            ps.setInt(10, occurrence);
            ps.setInt(11, occurrence);
            ps.setInt(12, rank);
            ps.executeUpdate();
        }
    }

    /**
     * A fingerprint of a Resources list, cheap enough to take for every report (1,000 VMs each): a polynomial hash
     * modulo the prime 2^61-1 with this store's random base (so that no sender can craft two lists that collide),
     * plus the list's size. Not stable across processes, and need not be: it only saves merging a list again, and
     * merging again is harmless (inserts that conflict, COALESCE updates). The reporting VM's own entry counts by
     * its name only: an agent knows its own resource id and not the others', so each of 1,000 agents sends the same
     * names with a different entry detailed; its details reach its row through {@link #recordReporter} instead.
     */
    String fingerprint(List<VmRef> vms, VmRef reporter) {
        // the parser hands every report of one list the same List object: hash it once, not once per report
        Fingerprint last = lastFingerprint;
        if (last != null && last.vms == vms && (!last.detailed || last.reporter == reporter)) {
            return last.value;
        }
        long h = 0;
        boolean detailed = false;
        for (VmRef vm : vms) {
            // the reporter's own entry counts as one without details, as every other agent sends it
            boolean own = reporter != null && vm.name().equalsIgnoreCase(reporter.name());
            detailed |= vm.resourceId() != null || vm.resourceGroup() != null || vm.subscriptionId() != null
                    || vm.scaleSetId() != null;
            h = feed(h, vm.name());
            h = feed(h, own ? null : vm.resourceId());
            h = feed(h, own ? null : vm.resourceGroup());
            h = feed(h, own ? null : vm.subscriptionId());
            if (vm.scaleSetId() != null) {
                // only when known: a list without scale sets hashes as before
                h = feed(h, own ? null : vm.scaleSetId());
            }
        }
        String value = Long.toHexString(h) + "-" + vms.size();
        lastFingerprint = new Fingerprint(vms, reporter, detailed, value);
        return value;
    }

    /** The last list hashed; when it has no details, its fingerprint does not depend on the reporter. */
    private record Fingerprint(List<VmRef> vms, VmRef reporter, boolean detailed, String value) {
    }

    private long feed(long h, String part) {
        if (part == null) {
            return step(h, 0x10002);
        }
        for (int i = 0; i < part.length(); i++) {
            h = step(h, part.charAt(i) + 1);
        }
        return step(h, 0x10001); // end of a part: "ab"+"c" and "a"+"bc" differ
    }

    private long step(long h, long value) {
        long r = mulMod(h, hashBase) + value;
        return r >= PRIME ? r - PRIME : r;
    }

    /** a * b mod 2^61-1 for a, b < 2^61-1. */
    static long mulMod(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        long r = (lo & PRIME) + ((lo >>> 61) | (hi << 3));
        return r >= PRIME ? r - PRIME : r;
    }

    /** The fleet event row as the status rules and the field fill need it. */
    private record Snapshot(String status, int occurrence, Instant occurrenceSince, String eventType,
            boolean hasNotBefore, boolean hasDuration, boolean hasDescription, boolean hasEventSource,
            boolean hasResourceType) {
        StatusRules.State state() {
            return new StatusRules.State(status, occurrence, occurrenceSince);
        }

        boolean lacksWhat(FleetReport r) {
            return (eventType == null && r.eventType() != null) || (!hasNotBefore && r.notBefore() != null)
                    || (!hasDuration && r.durationInSeconds() != null)
                    || (!hasDescription && r.description() != null)
                    || (!hasEventSource && r.eventSource() != null)
                    || (!hasResourceType && r.resourceType() != null);
        }
    }

    private static Snapshot read(Connection c, String key, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select status, occurrence, occurrence_since, event_type,"
                + " not_before, duration_seconds, description, event_source, resource_type from fleet_event"
                + " where event_key = ?" + (lock ? " for update" : ""))) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Snapshot(rs.getString(1), rs.getInt(2), instant(rs, 3), rs.getString(4),
                        rs.getObject(5) != null, rs.getObject(6) != null, rs.getString(7) != null,
                        rs.getString(8) != null, rs.getString(9) != null);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- queries

    /** Fleet events matching the query, newest NotBefore first (events without one last), without History. */
    public List<FleetEvent> events(FleetQuery query) {
        FleetQuery q = query == null ? FleetQuery.all() : query;
        return read("listing fleet events", c -> {
            StringBuilder sql = new StringBuilder("select e.event_key from fleet_event e where 1 = 1");
            List<String> params = new ArrayList<>();
            if (present(q.status())) {
                sql.append(" and lower(e.status) = ?");
                params.add(lower(q.status()));
            }
            if (present(q.type())) {
                sql.append(" and lower(e.event_type) = ?");
                params.add(lower(q.type()));
            }
            if (present(q.resourceGroup())) {
                sql.append(" and exists (select 1 from fleet_vm g where g.event_key = e.event_key"
                        + " and lower(g.resource_group) = ?)");
                params.add(lower(q.resourceGroup()));
            }
            if (present(q.vm())) {
                sql.append(" and exists (select 1 from fleet_vm v where v.event_key = e.event_key"
                        + " and v.vm_key like ? escape '!')");
                params.add("%" + likeEscaped(lower(q.vm())) + "%");
            }
            sql.append(" order by e.not_before desc nulls last, e.first_seen desc, e.event_key limit ?");
            int limit = q.limit() <= 0 ? FleetQuery.DEFAULT_LIMIT : Math.min(q.limit(), MAX_LIMIT);
            List<String> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (String p : params) {
                    ps.setString(i++, p);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            List<FleetEvent> out = new ArrayList<>(keys.size());
            for (String key : keys) {
                FleetEvent e = load(c, key, false);
                if (e != null) {
                    out.add(e);
                }
            }
            return out;
        });
    }

    /** One fleet event by EventId (case-insensitive), with its History. */
    public Optional<FleetEvent> event(String eventId) {
        if (eventId == null || eventId.isBlank()) {
            return Optional.empty();
        }
        String key = text(eventId.trim().toLowerCase(Locale.ROOT), MAX_KEY);
        return Optional.ofNullable(read("reading a fleet event", c -> load(c, key, true)));
    }

    private static FleetEvent load(Connection c, String key, boolean withHistory) throws SQLException {
        String eventId;
        String type;
        String status;
        Instant notBefore;
        Integer duration;
        String description;
        String eventSource;
        String resourceType;
        int occurrence;
        Instant firstSeen;
        try (PreparedStatement ps = c.prepareStatement("select event_id, event_type, status, not_before,"
                + " duration_seconds, description, event_source, resource_type, occurrence, first_seen"
                + " from fleet_event where event_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                eventId = rs.getString(1);
                type = rs.getString(2);
                status = rs.getString(3);
                notBefore = instant(rs, 4);
                int d = rs.getInt(5);
                duration = rs.wasNull() ? null : d;
                description = rs.getString(6);
                eventSource = rs.getString(7);
                resourceType = rs.getString(8);
                occurrence = rs.getInt(9);
                firstSeen = instant(rs, 10);
            }
        }
        List<FleetEvent.Vm> vms = new ArrayList<>();
        List<String> reportedBy = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select name, resource_id, resource_group, subscription_id,"
                + " status, reported_at, scale_set_id from fleet_vm where event_key = ? order by vm_key")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    FleetEvent.Vm vm = new FleetEvent.Vm(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), iso(instant(rs, 6)), rs.getString(7));
                    vms.add(vm);
                    if (vm.status() != null) {
                        reportedBy.add(vm.name());
                    }
                }
            }
        }
        Comparator<String> byName = Comparator.comparing((String s) -> s.toLowerCase(Locale.ROOT))
                .thenComparing(Comparator.naturalOrder());
        vms.sort(Comparator.comparing(FleetEvent.Vm::name, byName));
        reportedBy.sort(byName);
        List<String> sources = new ArrayList<>();
        List<FleetEvent.HistoryEntry> history = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select source, first_seen, vm from fleet_source where event_key = ? order by source")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sources.add(rs.getString(1));
                    history.add(new FleetEvent.HistoryEntry(iso(instant(rs, 2)), "source", null, rs.getString(1),
                            rs.getString(3), null, null));
                }
            }
        }
        Instant lastSeen = firstSeen;
        try (PreparedStatement ps = c.prepareStatement(
                "select max(received_at) from fleet_report where event_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && instant(rs, 1) != null) {
                    lastSeen = instant(rs, 1);
                }
            }
        }
        List<Attempt> attempts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select by_user, attempted_at, outcome, message, occurrence"
                + " from fleet_approval where event_key = ? order by attempted_at, id")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant at = instant(rs, 2);
                    attempts.add(new Attempt(new FleetEvent.Approval(rs.getString(1), iso(at), rs.getString(3),
                            rs.getString(4)), at, rs.getInt(5)));
                }
            }
        }
        FleetEvent.Approval approval = currentApproval(attempts, occurrence);
        if (withHistory) {
            try (PreparedStatement ps = c.prepareStatement("select changed_at, status, occurrence, source, vm"
                    + " from fleet_status_change where event_key = ? order by id")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int occ = rs.getInt(3);
                        history.add(new FleetEvent.HistoryEntry(iso(instant(rs, 1)), "status", rs.getString(2),
                                rs.getString(4), rs.getString(5), null, occ > 1 ? "occurrence " + occ : null));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select sent_at, status, occurrence, channel"
                    + " from fleet_outbox where event_key = ? and sent_at is not null order by sent_at, id")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        history.add(new FleetEvent.HistoryEntry(iso(instant(rs, 1)), "notified", rs.getString(2),
                                null, null, null, rs.getString(4)));
                    }
                }
            }
            for (Attempt a : attempts) {
                history.add(new FleetEvent.HistoryEntry(iso(a.at()), "approval", a.approval().outcome(), null, null,
                        a.approval().by(), a.approval().message()));
            }
            // oldest first; at one instant: the source, then the status change it caused, then the notification
            List<String> order = List.of("source", "status", "notified", "approval");
            history.sort(Comparator.comparing(FleetEvent.HistoryEntry::at)
                    .thenComparing(h -> order.indexOf(h.what())));
        }
        return new FleetEvent(eventId, type, status, iso(notBefore), duration, description, eventSource,
                resourceType, occurrence, List.copyOf(vms), List.copyOf(reportedBy), List.copyOf(sources),
                iso(firstSeen), iso(lastSeen), approval, withHistory ? List.copyOf(history) : null);
    }

    /** One stored approval attempt. */
    private record Attempt(FleetEvent.Approval approval, Instant at, int occurrence) {
    }

    /**
     * The occurrence's approval as the event shows it: the attempt that succeeded (a later refusal or failure does not
     * hide who released it), else the latest attempt; null when nobody tried in this occurrence.
     */
    private static FleetEvent.Approval currentApproval(List<Attempt> attempts, int occurrence) {
        FleetEvent.Approval latest = null;
        for (Attempt a : attempts) {
            if (a.occurrence() != occurrence) {
                continue;
            }
            if (a.approval().approved()) {
                return a.approval();
            }
            latest = a.approval();
        }
        return latest;
    }

    // ---------------------------------------------------------------------------------------------------- approvals

    /**
     * Records an attempt to approve the fleet event {@code eventId} (case-insensitive) in its occurrence
     * {@code occurrence}: it becomes the event's Approval (unless one already succeeded) and a History entry.
     *
     * @throws FleetStoreException when the database fails
     */
    public void recordApproval(String eventId, int occurrence, String by, Instant at, String outcome, String message) {
        String key = text(Objects.requireNonNull(eventId, "eventId").trim().toLowerCase(Locale.ROOT), MAX_KEY);
        inTransaction("recording an approval", c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into fleet_approval (event_key, occurrence,"
                    + " by_user, attempted_at, outcome, message) values (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, key);
                ps.setInt(2, occurrence);
                ps.setString(3, text(by == null ? "" : by, MAX_USER));
                setInstant(ps, 4, Objects.requireNonNull(at, "at"));
                ps.setString(5, text(Objects.requireNonNull(outcome, "outcome"), 16));
                ps.setString(6, text(message == null ? "" : message, MAX_MESSAGE));
                ps.executeUpdate();
            }
            return new Committed<>(null, List.of());
        });
    }

    // ---------------------------------------------------------------------------------------------------- outbox

    /**
     * Claims up to {@code limit} due notifications for {@code owner} for {@code lease}: not sent, not dead, due, and
     * free or with an expired lease. Rows another transaction is claiming are skipped ({@code SKIP LOCKED}), so two
     * replicas never claim one row at once. An item's {@code attempts} is the number of claims before this one (the
     * claim counts as an attempt, so a replica killed mid-send still uses one up).
     */
    public List<OutboxItem> claim(String owner, int limit, Duration lease) {
        String who = text(Objects.requireNonNull(owner, "owner"), MAX_OWNER);
        if (limit <= 0) {
            return List.of();
        }
        return inTransaction("claiming notifications", c -> {
            Instant now = clock.instant();
            List<OutboxItem> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, channel, event_key, status, occurrence,"
                    + " attempts, created_at from fleet_outbox where sent_at is null and dead_at is null"
                    + " and next_attempt_at <= ? and (claimed_until is null or claimed_until <= ?)"
                    + " order by next_attempt_at, id limit ? for update skip locked")) {
                setInstant(ps, 1, now);
                setInstant(ps, 2, now);
                ps.setInt(3, Math.min(limit, MAX_LIMIT));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(new OutboxItem(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getInt(5), rs.getInt(6), instant(rs, 7)));
                    }
                }
            }
            if (!items.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("update fleet_outbox set claimed_by = ?,"
                        + " claimed_until = ?, attempts = attempts + 1 where id = ?")) {
                    for (OutboxItem item : items) {
                        ps.setString(1, who);
                        setInstant(ps, 2, now.plus(lease));
                        ps.setLong(3, item.id());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return new Committed<>(List.copyOf(items), List.of());
        });
    }

    /** The notification went out: never claimed again; the event's History says "notified". */
    public void sent(long id) {
        update("marking a notification sent", "update fleet_outbox set sent_at = ?, claimed_by = null,"
                + " claimed_until = null where id = ? and sent_at is null", id, null, null);
    }

    /** The send failed for now: due again at {@code nextAttempt}. */
    public void failed(long id, String safeReason, Instant nextAttempt) {
        update("marking a notification failed", "update fleet_outbox set next_attempt_at = ?, last_error = ?,"
                + " claimed_by = null, claimed_until = null where id = ? and sent_at is null and dead_at is null",
                id, safeReason, Objects.requireNonNull(nextAttempt, "nextAttempt"));
    }

    /** Refused for good (or attempts exhausted): never due again; counted by {@link #deadNotifications()}. */
    public void dead(long id, String safeReason) {
        update("marking a notification dead", "update fleet_outbox set dead_at = ?, last_error = ?,"
                + " claimed_by = null, claimed_until = null where id = ? and sent_at is null and dead_at is null",
                id, safeReason, null);
    }

    /** Notifications owed: not sent, not dead (for health and metrics). */
    public long pendingNotifications() {
        return count("counting pending notifications",
                "select count(*) from fleet_outbox where sent_at is null and dead_at is null");
    }

    /** Notifications given up on. */
    public long deadNotifications() {
        return count("counting dead notifications", "select count(*) from fleet_outbox where dead_at is not null");
    }

    private void update(String what, String sql, long id, String reason, Instant nextAttempt) {
        inTransaction(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (nextAttempt != null) {
                    setInstant(ps, i++, nextAttempt);
                } else {
                    setInstant(ps, i++, clock.instant());
                }
                if (sql.contains("last_error")) {
                    ps.setString(i++, text(reason, MAX_REASON));
                }
                ps.setLong(i, id);
                ps.executeUpdate();
            }
            return new Committed<>(null, List.of());
        });
    }

    private long count(String what, String sql) {
        Long n = read(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
        return n == null ? 0 : n;
    }

    // ---------------------------------------------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface Work<T> {
        Committed<T> run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Reading<T> {
        T run(Connection c) throws SQLException;
    }

    /** A transaction's result and the facts it makes known once committed. */
    private record Committed<T>(T value, List<String> learned) {
    }

    private <T> T inTransaction(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                Committed<T> done;
                c.setAutoCommit(false);
                try {
                    done = work.run(c);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    rollback(c);
                    throw e;
                }
                remember(done.learned());
                return done.value();
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && retryable(e)) {
                    pause(attempt);
                    continue;
                }
                throw new FleetStoreException("fleet database: " + what + " failed: "
                        + FleetDatabase.describe(e, null), e);
            }
        }
    }

    private <T> T read(String what, Reading<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new FleetStoreException("fleet database: " + what + " failed: " + FleetDatabase.describe(e, null), e);
        }
    }

    private void remember(List<String> learned) {
        if (learned.isEmpty()) {
            return;
        }
        if (known.size() > KNOWN_MAX) {
            known.clear(); // a cache of facts, not state: forgetting costs one insert that conflicts
        }
        known.addAll(learned);
    }

    /** Serialization failure, deadlock (PostgreSQL and H2) or H2's lock timeout: the transaction may simply run again. */
    static boolean retryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.equals("40001") || state.equals("40P01") || state.equals("HYT00")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep((long) (5 * attempt + Math.random() * 10 * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the pool discards it; the original failure is what is reported
        }
    }

    /** Untrusted text as stored: NUL (refused by PostgreSQL) replaced, capped with a marker; null stays null. */
    static String text(String value, int max) {
        if (value == null) {
            return null;
        }
        String s = value.indexOf('\0') >= 0 ? value.replace('\0', '\uFFFD') : value;
        if (s.length() <= max) {
            return s;
        }
        int end = max - CUT.length();
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + CUT;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String lower(String s) {
        return s.trim().toLowerCase(Locale.ROOT);
    }

    private static String likeEscaped(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static void setInstant(PreparedStatement ps, int i, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        }
    }

    private static void setInteger(PreparedStatement ps, int i, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, value);
        }
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String iso(Instant at) {
        return at == null ? null : at.toString();
    }
}
