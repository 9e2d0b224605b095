package scheduledevents.sink.eventgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.messaging.eventgrid.EventGridPublisherClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import scheduledevents.SettableClock;


/** The SAS token made without the Azure SDK is the one the SDK makes (the SDK is used here, in tests only). */
class SasTokenTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));

    @Test
    void equalsTheSdksTokenForTheSameEndpointKeyAndExpiry() {
        List<String> endpoints = List.of("https://mytopic.westeurope-1.eventgrid.azure.net/api/events",
                "https://127.0.0.1:8443/api/events", "https://my-domain.eastus-1.eventgrid.azure.net/api/events");
        // morning and afternoon, one and two digits everywhere, midnight and noon
        List<String> expiries = List.of("2026-11-25T16:16:02Z", "2026-01-05T03:04:05Z", "2026-12-31T23:59:59Z",
                "2027-07-01T00:00:00Z", "2027-07-01T12:00:00.999Z");
        for (String endpoint : endpoints) {
            for (String expiry : expiries) {
                Instant at = Instant.parse(expiry);
                assertEquals(EventGridPublisherClient.generateSas(endpoint, new AzureKeyCredential(KEY),
                                OffsetDateTime.ofInstant(at, ZoneOffset.UTC)),
                        SasToken.generate(endpoint, KEY, at), endpoint + " " + expiry);
            }
        }
    }

    @Test
    void theExpiryIsEnglishWhateverTheJvmsLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            String token = SasToken.generate("https://t/api/events", KEY, Instant.parse("2026-11-25T16:16:02Z"));
            assertTrue(token.contains("&e=11%2F25%2F2026+4%3A16%3A2+PM&s="), token);
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aKeyThatIsNotBase64IsRefusedWithoutShowingIt() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> SasToken.generate("https://t/api/events", "not-base64-key!", Instant.now()));
        assertFalse(failure.getMessage().contains("not-base64-key"), failure.getMessage());
    }

    @Test
    void theTokenIsKeptUntilLessThanATenthOfItsValidityIsLeft() {
        SettableClock clock = SettableClock.at("2026-11-25T16:00:00Z");
        SasToken sas = new SasToken("https://t/api/events", Duration.ofMinutes(100).toMillis(), clock);

        String first = sas.current(KEY);
        assertTrue(first.contains("e=11%2F25%2F2026+5%3A40%3A0+PM"), "valid 100 minutes: " + first);
        clock.advance(Duration.ofMinutes(89));
        assertEquals(first, sas.current(KEY), "11 minutes left: kept");
        clock.advance(Duration.ofMinutes(1));
        String second = sas.current(KEY);
        assertNotEquals(first, second, "10 minutes left: renewed");
        assertTrue(second.contains("e=11%2F25%2F2026+7%3A10%3A0+PM"), second);
    }
}
