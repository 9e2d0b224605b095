package scheduledevents.responder;

import io.vertx.core.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.RoutePolicySupport;

/**
 * The intake route's policy (bean {@code formPostAsJson}, responder/routes/10-intake.yaml): a delivery posted as
 * {@code application/x-www-form-urlencoded} is read as the JSON it is.
 *
 * <p>The blog post's seed script publishes with {@code curl -X POST -d "$event"}, and curl's {@code -d} labels the
 * body form-urlencoded; users migrating point that script at the responder unchanged. Camel's platform-http never
 * hands a form post's raw body to a route: by default the body is a Map of the decoded form fields (the JSON became
 * a field name, {@code +} a space; the parse step failed, 500), with {@code populateBodyWithForm=false} it is empty
 * (400), and Vert.x itself answers 400 to a body that is not valid form encoding (a {@code %} in a Description). No
 * endpoint option changes that. So a Vert.x handler placed before the route's own (the body handler included)
 * relabels such a request {@code application/json} on this path only: the body is then kept byte for byte, never
 * form-decoded, and the parser reads it like any Event Grid delivery (it looks at the content type only to tell
 * CloudEvents). The secret check, the 413 limit and everything after are unchanged. ({@code SeedScriptIT})
 */
public class FormPostAsJson extends RoutePolicySupport {
    private static final String FORM = "application/x-www-form-urlencoded";

    private volatile io.vertx.ext.web.Route relabel;

    @Override
    public void onStart(Route route) {
        // the route's consumer has registered its path on the router by now; the handler goes before its handlers
        String path = ((PlatformHttpEndpoint) route.getEndpoint()).getPath();
        relabel = mainRouter(route).route(path).order(-1).handler(ctx -> {
            String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (type != null && type.trim().toLowerCase(Locale.ROOT).startsWith(FORM)) {
                ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
            }
            ctx.next();
        });
    }

    @Override
    public void onStop(Route route) {
        io.vertx.ext.web.Route handler = relabel;
        relabel = null;
        if (handler != null) {
            handler.remove();
        }
    }

    /** The router of the server the routes are on (by type: its name in the registry depends on the port). */
    private static VertxPlatformHttpRouter mainRouter(Route route) {
        List<VertxPlatformHttpRouter> routers = route.getCamelContext().getRegistry()
                .findByType(VertxPlatformHttpRouter.class).stream()
                .filter(VertxPlatformHttpRouter::isMainServer).toList();
        if (routers.size() != 1) {
            throw new IllegalStateException("expected one platform-http server, found " + routers.size()
                    + ": cannot accept form posts");
        }
        return routers.get(0);
    }
}
