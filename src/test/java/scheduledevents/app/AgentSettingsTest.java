package scheduledevents.app;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import scheduledevents.Fixtures;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.TestSettings;
import scheduledevents.transitions.Scope;

class AgentSettingsTest {
    @TempDir
    Path stateDir;

    /** Settings as given over the shipped application.properties, and the state dir always a temporary one. */
    private AgentSettings read(Map<String, String> given) {
        Map<String, String> values = new HashMap<>(given);
        values.putIfAbsent("agent.state.dir", stateDir.toString());
        return AgentSettings.read(TestSettings.with(values));
    }

    private InvalidSettingException rejected(String key, String value) {
        return assertThrows(InvalidSettingException.class, () -> read(Map.of(key, value)), key + "=" + value);
    }

    private static void assertNamesKeyOnOneLine(InvalidSettingException e, String key) {
        String message = e.getMessage();
        assertTrue(message.startsWith("Invalid setting " + key + ": "), message);
        assertFalse(message.contains("\n") || message.contains("\r"), "not one line: " + message);
    }

    @Test
    void aRetiredKeyThatIsStillSetIsNamedWithItsEnvironmentVariableAndWhatReplacedIt() {
        assertEquals(List.of(), AgentSettings.retiredKeysInUse(Map.<String, String>of()::get));
        List<String> warnings = AgentSettings.retiredKeysInUse(Map.of("agent.sink.queue.poll-delay", "100")::get);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("agent.sink.queue.poll-delay (AGENT_SINK_QUEUE_POLL_DELAY) is no longer"
                + " read"), warnings.get(0));
        assertTrue(warnings.get(0).contains("agent.sink.queue.fallback-poll"), warnings.get(0));
        // the retired key is not a setting any more: application.properties does not list it
        assertFalse(TestSettings.shipped().containsKey("agent.sink.queue.poll-delay"));
    }

    @Test
    void aKeyWithNoValueAnywhereIsTheAgentsBugNotTheUsers() {
        // every key is in the packaged application.properties: one the code reads without it is a programming error
        Map<String, String> values = TestSettings.shipped();
        values.put("agent.state.dir", stateDir.toString());
        values.remove("agent.health.down-after");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AgentSettings.read(values::get));
        assertTrue(e.getMessage().contains("agent.health.down-after"), e.getMessage());
    }

    @Test
    void theRetryDelaysAreKeptNotJustChecked() {
        AgentSettings s = read(Map.of("agent.sink.retry.initial-delay", "50", "agent.sink.retry.max-delay", "200"));
        assertEquals(Duration.ofMillis(50), s.sinkRetryInitialDelay());
        assertEquals(Duration.ofMillis(200), s.sinkRetryMaxDelay());
    }

    @Test
    void shippedApplicationPropertiesAreValid() throws Exception {
        Properties shipped = new Properties();
        try (Reader in = Files.newBufferedReader(Fixtures.PROJECT_ROOT.resolve("application.properties"),
                StandardCharsets.UTF_8)) {
            shipped.load(in);
        }
        Map<String, String> values = new HashMap<>();
        shipped.stringPropertyNames().forEach(k -> values.put(k, shipped.getProperty(k)));
        values.put("agent.state.dir", stateDir.toString());
        assertDoesNotThrow(() -> AgentSettings.read(values::get));
        assertDoesNotThrow(() -> AgentSettings.readEventGrid(TestSettings.with(Map.of("agent.eventgrid.endpoint",
                "https://t.westeurope-1.eventgrid.azure.net/api/events", "agent.eventgrid.key", "k"))));
    }

    @Test
    void readsOverridesTrimmedAndSinksLowerCasedWithoutDuplicates() {
        AgentSettings s = read(Map.of("agent.poll.interval", " 250 ", "agent.scope", " ALL ",
                "agent.sinks", "LOG, log ,,Log", "agent.vm.name", " myvm ", "agent.imds.url", "https://imds.test:8443"));
        assertEquals(Duration.ofMillis(250), s.pollInterval());
        assertEquals(Scope.ALL, s.scope());
        assertEquals(List.of("log"), s.sinks());
        assertEquals("myvm", s.vmName());
        assertEquals(URI.create("https://imds.test:8443"), s.imdsUrl());
    }

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "agent.poll.interval | -1",
            "agent.poll.interval | 0",
            "agent.poll.interval | 9",
            "agent.poll.interval | abc",
            "agent.poll.interval | 1.5",
            "agent.poll.interval | 1s",
            "agent.poll.interval | ''",
            "agent.imds.url | ftp://x",
            "agent.imds.url | not a url",
            "agent.imds.url | http://",
            "agent.imds.url | http:///no-host",
            "agent.imds.url | 169.254.169.254",
            "agent.imds.url | ''",
            "agent.imds.max-requests-per-second | 6",
            "agent.imds.max-requests-per-second | 0",
            "agent.imds.max-requests-per-second | four",
            "agent.imds.timeout | 0",
            "agent.imds.connect-timeout | -5",
            "agent.imds.first-request-timeout | x",
            "agent.imds.backoff.max | 0",
            "agent.imds.api-version | ''",
            "agent.canceled.missing-documents | 0",
            "agent.canceled.missing-documents | three",
            "agent.scope | everything",
            "agent.scope | this_vm",
            "agent.scope | ''",
            "agent.sinks | ''",
            "agent.sinks | ' , , '",
            "agent.sink.max-age | 0",
            "agent.sink.retry.initial-delay | x",
            "agent.sink.retry.max-delay | 0",
            "agent.sink.queue.fallback-poll | 0",
            "agent.health.port | 70000",
            "agent.health.port | -1",
            "agent.health.port | http",
            "agent.health.down-after | 0"})
    void badValueIsRejectedNamingTheKeyOnOneLine(String key, String value) {
        assertNamesKeyOnOneLine(rejected(key, value), key);
    }

    static Stream<Arguments> valuesWithLineBreaks() {
        return Stream.of(
                Arguments.of("agent.poll.interval", "10\n00"),
                Arguments.of("agent.imds.url", "ftp://x\nInjected: line"),
                Arguments.of("agent.scope", "all\r\nx"),
                Arguments.of("agent.imds.max-requests-per-second", "4\n4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesWithLineBreaks")
    void badValueWithLineBreakStillGivesOneLineMessage(String key, String value) {
        assertNamesKeyOnOneLine(rejected(key, value), key);
    }

    /** The IMDS URL is checked at start (scheme, host, port, no credentials, no query) and never repeated. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http://169.254.169.254:99999 | port 99999 is outside 1-65535",
            "http://169.254.169.254:65536 | port 65536 is outside 1-65535",
            "http://169.254.169.254:0 | port 0 is outside 1-65535",
            "http://admin:S3CRET@169.254.169.254 | user info",
            "http://169.254.169.254/?code=S3CRET | query",
            "http://169.254.169.254/#S3CRET | query",
            "ftp://admin:S3CRET@169.254.169.254 | must be an http:// or https:// URL",
            "http://169.254.169.254/S3CRET here | is not a valid URL",
            "http://imds_S3CRET/ | host",
            "http://169.254.169.254:S3CRET/ | port",
            "http:S3CRET | host"})
    void imdsUrlIsCheckedAtStartWithoutRepeatingIt(String url, String problem) {
        InvalidSettingException e = rejected("agent.imds.url", url);
        assertNamesKeyOnOneLine(e, "agent.imds.url");
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("S3CRET"), e.getMessage());
    }

    @Test
    void imdsUrlWithAnyPortInRangeIsAccepted() {
        assertEquals(65535, read(Map.of("agent.imds.url", "http://127.0.0.1:65535")).imdsUrl().getPort());
        assertEquals(1, read(Map.of("agent.imds.url", "http://127.0.0.1:1/")).imdsUrl().getPort());
    }

    @Test
    void aNumberThatIsNotASecretIsStillQuoted() {
        InvalidSettingException e = rejected("agent.poll.interval", "-5");
        assertEquals("Invalid setting agent.poll.interval: must be at least 10 ms, got '-5'", e.getMessage());
    }

    @Test
    void aControlCharacterInAValueCannotReachTheTerminal() {
        InvalidSettingException e = rejected("agent.scope", "all\u001b[2J");
        assertNamesKeyOnOneLine(e, "agent.scope");
        assertFalse(e.getMessage().chars().anyMatch(Character::isISOControl), e.getMessage());
    }

    @Test
    void maxRequestsPerSecondAboveImdsLimitSaysTheRange() {
        InvalidSettingException e = rejected("agent.imds.max-requests-per-second", "6");
        assertTrue(e.getMessage().contains("between 1 and 5"), e.getMessage());
    }

    @Test
    void stateDirUnderARegularFileIsRejectedNamingTheKey() throws Exception {
        Path file = Files.writeString(stateDir.resolve("a-file"), "x");
        InvalidSettingException e = rejected("agent.state.dir", file.resolve("state").toString());
        assertNamesKeyOnOneLine(e, "agent.state.dir");
        assertTrue(e.getMessage().contains(file.resolve("state").toString()), e.getMessage());
    }

    @Test
    void emptyStateDirIsRejectedNamingTheKey() {
        assertNamesKeyOnOneLine(rejected("agent.state.dir", ""), "agent.state.dir");
    }

    @Test
    void stateDirThatIsNotAPathIsRejectedNamingTheKey() {
        assertNamesKeyOnOneLine(rejected("agent.state.dir", "bad\u0000dir"), "agent.state.dir");
    }

    @Test
    void checkSinksAcceptsKnownSinks() {
        assertDoesNotThrow(() -> AgentSettings.checkSinks(List.of("log"), List.of("event-grid", "log")));
    }

    @Test
    void checkSinksRejectsUnknownSinkNamingItAndListingKnownOnes() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> AgentSettings.checkSinks(List.of("log", "mail"), List.of("event-grid", "log")));
        assertNamesKeyOnOneLine(e, "agent.sinks");
        assertTrue(e.getMessage().contains("'mail'"), e.getMessage());
        assertTrue(e.getMessage().contains("event-grid, log"), e.getMessage());
    }
}
