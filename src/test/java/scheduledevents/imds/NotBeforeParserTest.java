package scheduledevents.imds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NotBeforeParserTest {

    @Test
    void parsesRfc1123WithCorrectWeekday() {
        assertEquals(Instant.parse("2026-04-11T22:26:58Z"), NotBeforeParser.parse("Sat, 11 Apr 2026 22:26:58 GMT"));
    }

    @Test
    void rejectsADayThatDoesNotExistInsteadOfRollingItOver() {
        assertThrows(DateTimeParseException.class, () -> NotBeforeParser.parse("Sat, 31 Feb 2026 10:00:00 GMT"));
    }

    @Test
    void ignoresWrongWeekdayInRfc1123() {
        assertEquals(Instant.parse("2026-04-11T22:26:58Z"), NotBeforeParser.parse("Mon, 11 Apr 2026 22:26:58 GMT"));
    }

    @Test
    void parsesRfc1123WithoutWeekday() {
        assertEquals(Instant.parse("2026-04-11T22:26:58Z"), NotBeforeParser.parse("11 Apr 2026 22:26:58 GMT"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Tue, 1 Dec 2026 09:00:00 GMT  | 2026-12-01T09:00:00Z",
            "Tue, 01 Dec 2026 09:00:00 GMT | 2026-12-01T09:00:00Z",
            "Tue, 17 Nov 2026 09:10:30 UTC | 2026-11-17T09:10:30Z",
            "Tue, 17 Nov 2026 09:10:30 +0000 | 2026-11-17T09:10:30Z",
            "'  Tue, 17 Nov 2026 09:10:30 GMT  ' | 2026-11-17T09:10:30Z"})
    void parsesRfc1123Variants(String text, String expected) {
        assertEquals(Instant.parse(expected), NotBeforeParser.parse(text));
    }

    @Test
    void parsesIso8601WithZ() {
        assertEquals(Instant.parse("2026-11-25T17:05:00Z"), NotBeforeParser.parse("2026-11-25T17:05:00Z"));
    }

    @Test
    void parsesIso8601WithOffsetAsThatInstant() {
        assertEquals(Instant.parse("2026-11-25T17:05:00Z"), NotBeforeParser.parse("2026-11-25T18:05:00+01:00"));
    }

    @Test
    void readsIso8601WithoutOffsetAsUtc() {
        assertEquals(Instant.parse("2026-11-25T17:05:00Z"), NotBeforeParser.parse("2026-11-25T17:05:00"));
    }

    @Test
    void parsesIso8601WithFractionalSeconds() {
        assertEquals(Instant.parse("2026-11-25T17:05:00.250Z"), NotBeforeParser.parse("2026-11-25T17:05:00.250Z"));
    }

    @Test
    void readsEmptyAsNoStartTime() {
        assertNull(NotBeforeParser.parse(""));
        assertNull(NotBeforeParser.parse("   "));
        assertNull(NotBeforeParser.parse(null));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
            "next tuesday",
            "garbage",
            "Mon, 11 Apr 2026 22:26:58 PST",
            "Mon, 11 Foo 2026 22:26:58 GMT",
            "Mon, 11 Apr 2026 GMT",
            "2026-13-45T25:00:00Z",
            "2026-11-25",
            "2026-11-25 17:05:00",
            "1700000000"})
    void throwsDateTimeParseExceptionForGarbage(String text) {
        assertThrows(DateTimeParseException.class, () -> NotBeforeParser.parse(text));
    }
}
