package scheduledevents.config;

/** A setting that stops start-up; the message is one line that names the key and never its secret value. */
public class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String key, String problem) {
        super("Invalid setting " + key + ": " + problem);
    }
}
