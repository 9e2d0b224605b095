package scheduledevents.respond;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import scheduledevents.logging.UntrustedText;

/**
 * A hook's output (stdout and stderr together), read to its end so the hook never blocks on a full pipe, but kept
 * only in part: the first {@value #MAX_LINES} lines, up to {@value #MAX_LINE_CHARS} characters each, go to the log;
 * the rest is counted and thrown away as it arrives. Memory stays a few KiB however much the hook writes, with or
 * without newlines (a line read whole is what let one hook run the agent out of memory).
 */
final class HookOutput {
    static final int MAX_LINES = 100;
    static final int MAX_LINE_CHARS = 200;
    // Bytes kept of a line: enough for MAX_LINE_CHARS characters of UTF-8 (at most 3 bytes a char, 4 a pair)
    private static final int MAX_LINE_BYTES = 1024;

    private final Consumer<String> log;
    private final byte[] line = new byte[MAX_LINE_BYTES];
    private int kept;
    private long lineBytes;
    private long lines;
    private long bytes;
    private boolean cut;

    private HookOutput(Consumer<String> log) {
        this.log = log;
    }

    /** Reads {@code output} to its end; each logged line, then a note if anything was left out, goes to {@code log}. */
    static void drain(InputStream output, Consumer<String> log) throws IOException {
        HookOutput reader = new HookOutput(log);
        try {
            reader.read(output);
        } finally {
            reader.finish();
        }
    }

    private void read(InputStream output) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n = output.read(buffer); n >= 0; n = output.read(buffer)) {
            bytes += n;
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    endLine();
                } else {
                    lineBytes++;
                    if (kept < MAX_LINE_BYTES) {
                        line[kept++] = b;
                    }
                }
            }
        }
    }

    private void finish() {
        if (lineBytes > 0) {
            endLine(); // a last line without a newline
        }
        if (cut) {
            log.accept(bytes + " bytes of output in " + lines + " lines, more than is logged (the first " + MAX_LINES
                    + " lines, up to " + MAX_LINE_CHARS + " characters each): the rest was discarded");
        }
    }

    private void endLine() {
        lines++;
        if (lines > MAX_LINES) {
            cut = true;
        } else {
            int length = kept > 0 && line[kept - 1] == '\r' && lineBytes == kept ? kept - 1 : kept;
            String text = new String(line, 0, length, StandardCharsets.UTF_8);
            boolean shortened = lineBytes > kept || text.length() > MAX_LINE_CHARS;
            if (text.length() > MAX_LINE_CHARS) {
                int end = Character.isHighSurrogate(text.charAt(MAX_LINE_CHARS - 1)) ? MAX_LINE_CHARS - 1
                        : MAX_LINE_CHARS;
                text = text.substring(0, end);
            }
            String logged = UntrustedText.forLog(text);
            log.accept(shortened && !logged.endsWith("...") ? logged + "..." : logged);
            cut |= shortened;
        }
        kept = 0;
        lineBytes = 0;
    }
}
