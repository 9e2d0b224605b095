package scheduledevents.config;

/** A setting that stops start-up; the message is one line that names the key and never its secret value. */
public class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String key, String problem) {
        // values come from files and the environment and may hold line breaks: keep the message one line
        super(("Invalid setting " + key + ": " + problem).replace("\r", "\\r").replace("\n", "\\n"));
    }
}
