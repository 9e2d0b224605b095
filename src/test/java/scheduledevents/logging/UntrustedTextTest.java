package scheduledevents.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UntrustedTextTest {

    @Test
    void escapesCrLfAndTab() {
        assertEquals("e3\\r\\nBcc: attacker@example.com\\tx", UntrustedText.forLog("e3\r\nBcc: attacker@example.com\tx"));
    }

    @Test
    void escapesOtherControlCharactersAndUnicodeLineSeparators() {
        assertEquals("a\\u0000b\\u001b[31mc\\u007fd\\u2028e\\u2029f\\u0085g",
                UntrustedText.forLog("a\u0000b\u001b[31mc\u007fd\u2028e\u2029f\u0085g"));
    }

    @Test
    void leavesOrdinaryTextAndHtmlAlone() {
        // HTML is escaped by whoever renders HTML; a log line only needs to stay one line
        assertEquals("<script>alert(1)</script> Ünïcödé", UntrustedText.forLog("<script>alert(1)</script> Ünïcödé"));
    }

    @Test
    void showsNullAsNull() {
        assertEquals("null", UntrustedText.forLog(null));
    }

    @Test
    void keepsTextOfExactlyTheLimit() {
        String text = "x".repeat(200);
        assertEquals(text, UntrustedText.forLog(text));
    }

    @Test
    void truncatesLongTextAndMarksIt() {
        String out = UntrustedText.forLog("y".repeat(100_000));
        assertEquals("y".repeat(200) + "...", out);
    }

    @Test
    void marksTruncationEvenWhenEscapesFillTheLimit() {
        // 150 line feeds escape to 300 characters: the log shows part of them, and must say that it is only part
        String out = UntrustedText.forLog("\n".repeat(150));
        assertTrue(out.endsWith("..."), out);
        assertTrue(out.length() < 220, "still short: " + out.length());
    }

    @Test
    void staysOneLineAndShortWhateverTheInput() {
        StringBuilder hostile = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            hostile.append(c);
        }
        String out = UntrustedText.forLog(hostile.toString());
        assertFalse(out.contains("\n") || out.contains("\r") || out.contains("\u2028") || out.contains("\u2029"));
        assertTrue(out.length() < 220, "length " + out.length());
        assertTrue(out.endsWith("..."));
    }
}
