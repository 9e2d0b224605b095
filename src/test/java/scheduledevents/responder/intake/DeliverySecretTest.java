package scheduledevents.responder.intake;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeliverySecretTest {
    private static final String SECRET = "s3cret-Ü-value";

    @Test
    void theSecretInTheHeaderMatches() {
        assertTrue(DeliverySecret.matches(SECRET, SECRET, null));
    }

    @Test
    void theSecretInTheQueryCodeMatches() {
        assertTrue(DeliverySecret.matches(SECRET, null, SECRET));
    }

    @Test
    void eitherPlaceMatchesWhenTheOtherIsWrong() {
        assertTrue(DeliverySecret.matches(SECRET, "wrong", SECRET));
        assertTrue(DeliverySecret.matches(SECRET, SECRET, "wrong"));
    }

    @Test
    void aWrongSecretDoesNotMatch() {
        assertFalse(DeliverySecret.matches(SECRET, "s3cret-Ü-valuf", null));
        assertFalse(DeliverySecret.matches(SECRET, SECRET.substring(0, 5), SECRET + "x"));
        assertFalse(DeliverySecret.matches(SECRET, SECRET.toUpperCase(), null), "the comparison is exact");
        assertFalse(DeliverySecret.matches(SECRET, " " + SECRET, null), "not trimmed");
    }

    @Test
    void noSecretGivenDoesNotMatch() {
        assertFalse(DeliverySecret.matches(SECRET, null, null));
        assertFalse(DeliverySecret.matches(SECRET, "", ""));
    }

    @Test
    void anEmptyOrMissingConfiguredSecretMatchesNothing() {
        assertFalse(DeliverySecret.matches("", "", ""));
        assertFalse(DeliverySecret.matches(null, null, null));
        assertFalse(DeliverySecret.matches(null, "anything", "anything"));
    }
}
