package scheduledevents.responder.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import scheduledevents.responder.intake.FleetReport;
import scheduledevents.responder.intake.ReportSource;

class StatusRulesTest {
    private static final Instant CANCEL = Instant.parse("2026-12-01T10:00:00Z");

    private static FleetReport report(String status, int occurrence, Instant observedAt) {
        return new FleetReport(ReportSource.PLATFORM, null, "e", "Freeze", status, null, null, null, null, null,
                List.of(), null, occurrence, observedAt);
    }

    private static StatusRules.State state(String status, int occurrence, Instant since) {
        return new StatusRules.State(status, occurrence, since);
    }

    @Test
    void statusesOnlyMoveForward() {
        StatusRules.State scheduled = state("Scheduled", 1, null);
        assertEquals(new StatusRules.Change("Started", 1, false),
                StatusRules.decide(scheduled, report("started", 1, CANCEL), null));
        assertEquals(new StatusRules.Change("Canceled", 1, false),
                StatusRules.decide(scheduled, report("Canceled", 1, CANCEL), null));
        assertNull(StatusRules.decide(state("Started", 1, null), report("Scheduled", 1, CANCEL), null));
        assertNull(StatusRules.decide(state("Completed", 1, null), report("Scheduled", 9, CANCEL.plusSeconds(9)),
                CANCEL));
        assertNull(StatusRules.decide(scheduled, report("Paused", 1, CANCEL), null), "unknown: no move");
        assertFalse(StatusRules.mayChange(state("Started", 1, null), report("Started", 1, CANCEL)));
        assertTrue(StatusRules.mayChange(state("Started", 1, null), report("Completed", 1, CANCEL)));
    }

    @Test
    void canceledIsRevivedOnlyByALaterObservationOrALaterOccurrence() {
        StatusRules.State canceled = state("Canceled", 1, null);
        assertEquals(new StatusRules.Change("Scheduled", 2, true),
                StatusRules.decide(canceled, report("Scheduled", 1, CANCEL.plusSeconds(1)), CANCEL));
        assertNull(StatusRules.decide(canceled, report("Scheduled", 1, CANCEL), CANCEL), "not later");
        assertNull(StatusRules.decide(canceled, report("Scheduled", 1, CANCEL.minusSeconds(1)), CANCEL));
        assertEquals(new StatusRules.Change("Started", 3, true),
                StatusRules.decide(state("Canceled", 2, CANCEL), report("Started", 3, CANCEL.minusSeconds(5)),
                        CANCEL));
        assertNull(StatusRules.decide(canceled, report("Completed", 1, CANCEL.plusSeconds(1)), CANCEL));
        // an old occurrence's Canceled observed before the revival cannot cancel the new occurrence
        assertNull(StatusRules.decide(state("Scheduled", 2, CANCEL), report("Canceled", 1, CANCEL.minusSeconds(1)),
                null));
        assertEquals(new StatusRules.Change("Canceled", 2, false), StatusRules.decide(state("Scheduled", 2, CANCEL),
                report("Canceled", 1, CANCEL.plusSeconds(1)), null), "the platform has no Occurrence: time tells");
    }

    @Test
    void notifyRulesMatchCaseInsensitivelyAndRefuseUnknownChannels() {
        NotifyRules rules = NotifyRules.parse(" webhook , MAIL", "freeze", "");
        assertEquals(Set.of("mail", "webhook"), rules.channels());
        assertEquals(List.of("mail", "webhook"), rules.channelsFor("FREEZE", "Started"));
        assertEquals(List.of(), rules.channelsFor("Reboot", "Started"));
        assertEquals(List.of(), rules.channelsFor(null, "Started"));
        assertEquals(List.of(), NotifyRules.parse("", null, null).channelsFor("Freeze", "Started"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> NotifyRules.parse("mail,sms\r\n", null, null));
        assertEquals("unknown notification channel (use mail, webhook): sms", bad.getMessage());
    }

    @Test
    void theFingerprintsModularMultiplicationIsExact() {
        Random random = new Random(7);
        BigInteger p = BigInteger.valueOf((1L << 61) - 1);
        for (int i = 0; i < 10_000; i++) {
            long a = Math.floorMod(random.nextLong(), (1L << 61) - 1);
            long b = Math.floorMod(random.nextLong(), (1L << 61) - 1);
            long expected = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(p).longValueExact();
            assertEquals(expected, FleetStore.mulMod(a, b) % ((1L << 61) - 1), a + " * " + b);
        }
    }

    @Test
    void storedTextIsCappedWithAMarkerAndWithoutNul() {
        assertNull(FleetStore.text(null, 10));
        assertEquals("a\uFFFDb", FleetStore.text("a\u0000b", 10));
        String capped = FleetStore.text("x".repeat(50), 20);
        assertEquals(20, capped.length());
        assertTrue(capped.endsWith(FleetStore.CUT));
        String emoji = "ab\uD83D\uDE00".repeat(10);
        String cut = FleetStore.text(emoji, 13);
        assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - FleetStore.CUT.length() - 1)));
    }
}
