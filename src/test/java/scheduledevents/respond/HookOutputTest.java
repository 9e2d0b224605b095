package scheduledevents.respond;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookOutputTest {
    private final List<String> logged = new ArrayList<>();

    @Test
    void linesAreLoggedOneByOneMadeSingleLine() throws IOException {
        HookOutput.drain(stream("draining lb\r\nwaiting\tfor connections\n\nlast line without newline"), logged::add);
        assertEquals(List.of("draining lb", "waiting\\tfor connections", "", "last line without newline"), logged);
    }

    @Test
    void aHugeLineWithoutNewlineIsReadToItsEndButOnlyItsBeginningIsKept() throws IOException {
        // 300 MB of 'a' and no newline: what ran the agent out of memory when it was read as one String
        long size = 300_000_000L;
        HookOutput.drain(new Repeating((byte) 'a', size), logged::add);
        assertEquals(2, logged.size(), logged.toString());
        assertEquals("a".repeat(HookOutput.MAX_LINE_CHARS) + "...", logged.get(0));
        assertEquals("300000000 bytes of output in 1 lines, more than is logged (the first 100 lines, up to 200 "
                + "characters each): the rest was discarded", logged.get(1));
    }

    @Test
    void onlyTheFirstLinesAreLoggedAndTheRestCounted() throws IOException {
        StringBuilder output = new StringBuilder();
        for (int i = 1; i <= 250; i++) {
            output.append("line ").append(i).append('\n');
        }
        HookOutput.drain(stream(output.toString()), logged::add);
        assertEquals(HookOutput.MAX_LINES + 1, logged.size());
        assertEquals("line 100", logged.get(HookOutput.MAX_LINES - 1));
        assertTrue(logged.get(HookOutput.MAX_LINES).startsWith(output.length() + " bytes of output in 250 lines, "),
                logged.get(HookOutput.MAX_LINES));
    }

    @Test
    void aLineOfManyByteCharactersIsCutBetweenCharacters() throws IOException {
        String rockets = "\ud83d\ude80".repeat(1_000);
        HookOutput.drain(stream(rockets + "\nnext\n"), logged::add);
        assertEquals(rockets.substring(0, HookOutput.MAX_LINE_CHARS) + "...", logged.get(0));
        assertEquals("next", logged.get(1));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code size} times the same byte, made as it is read: nothing of that size is ever in memory. */
    private static final class Repeating extends InputStream {
        private final byte value;
        private long left;

        Repeating(byte value, long size) {
            this.value = value;
            this.left = size;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return value;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, value);
            left -= n;
            return n;
        }
    }
}
