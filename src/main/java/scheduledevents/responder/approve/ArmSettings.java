package scheduledevents.responder.approve;

import java.net.URI;
import java.time.Duration;
import scheduledevents.settings.SettingsReader;

/**
 * How the responder reaches Azure Resource Manager to approve (acknowledge) a scheduled event
 * ({@code responder.arm.*}): with a token of its managed identity.
 *
 * @param url        ARM's base URL, https://management.azure.com unless a sovereign cloud (or a test's loopback)
 * @param scope      the token's scope
 * @param clientId   a user-assigned identity's client id; empty = the system-assigned identity
 * @param apiVersion api-version of the acknowledge call
 * @param timeout    for each call (token and acknowledge)
 */
public record ArmSettings(URI url, String scope, String clientId, String apiVersion, Duration timeout) {

    public static ArmSettings read(SettingsReader s) {
        return new ArmSettings(s.httpUrl("responder.arm.url"), s.nonEmpty("responder.arm.scope"),
                s.text("responder.arm.client-id"), s.nonEmpty("responder.arm.api-version"),
                s.millis("responder.arm.timeout", 100));
    }
}
