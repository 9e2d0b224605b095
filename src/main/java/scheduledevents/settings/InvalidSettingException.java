package scheduledevents.settings;

/** A setting that stops start-up; the message is one line that names the key and never its secret value. */
public class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String key, String problem) {
        super(oneLine("Invalid setting " + key + ": " + problem));
    }

    /**
     * Values come from files and the environment and may hold line breaks or terminal escapes: the message stays one
     * line, and no control character reaches the terminal or log it is printed to.
     */
    private static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
