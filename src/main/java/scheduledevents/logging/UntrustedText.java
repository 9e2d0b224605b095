package scheduledevents.logging;

/**
 * Event fields come from the network: before one goes into a log line it is made single-line and short, so a
 * CR/LF in an EventId cannot forge log lines and a huge Description cannot flood the log.
 */
public final class UntrustedText {
    private static final int MAX_LOG_CHARS = 200;

    private UntrustedText() {
    }

    public static String forLog(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LOG_CHARS) + 8);
        int i = 0;
        for (; i < text.length() && out.length() < MAX_LOG_CHARS; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (i < text.length()) {
            out.append("...");
        }
        return out.toString();
    }
}
