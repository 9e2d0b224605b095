package scheduledevents.responder.page;

import java.time.Duration;
import scheduledevents.settings.SettingsReader;

/**
 * The fleet page's settings ({@code responder.page.*}).
 *
 * @param session           how long a sign-in lasts
 * @param trustPlatformAuth whether the platform's sign-in header (X-MS-CLIENT-PRINCIPAL-NAME, set by Azure Container
 *                          Apps / App Service authentication with Microsoft Entra ID) names the user
 * @param refresh           time between two refreshes of the page's data
 */
public record PageSettings(Duration session, boolean trustPlatformAuth, Duration refresh) {

    public static PageSettings read(SettingsReader s) {
        return new PageSettings(Duration.ofHours(s.integer("responder.page.session-hours", 1, 24 * 30)),
                s.bool("responder.page.trust-platform-auth"), s.millis("responder.page.refresh", 1000));
    }
}
