package scheduledevents.app;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.converter.DefaultTypeConverter;
import org.apache.camel.impl.engine.AbstractCamelContext;
import org.apache.camel.support.PluginHelper;

/**
 * The agent's type converters: Camel's, minus the Vert.x ones. The jar also holds the fleet responder (mode
 * --responder), whose HTTP server is Camel's platform-http on Vert.x; Camel loads every type converter loader it finds
 * on the class path (META-INF/services/org/apache/camel/TypeConverterLoader), and the Vert.x ones load Vert.x classes
 * into every agent (found by ResponderIsolationIT). The agent never converts from or to a Vert.x type, so it skips
 * them; the responder's own Camel main keeps them.
 */
final class AgentTypeConverters extends DefaultTypeConverter {
    /** Packages of the loaders that only the responder needs. */
    static final List<String> RESPONDER_ONLY = List.of("org.apache.camel.component.platform.http.vertx.",
            "org.apache.camel.component.vertx.");

    private AgentTypeConverters(CamelContext context, boolean loadTypeConverters) {
        super(context, PluginHelper.getPackageScanClassResolver(context), context.getInjector(), loadTypeConverters,
                false);
    }

    /** Puts them in place of the default ones, before the context is initialised (Camel main's createCamelContext). */
    static void install(CamelContext context) {
        AbstractCamelContext camel = (AbstractCamelContext) context;
        camel.setTypeConverterRegistry(new AgentTypeConverters(context,
                Boolean.TRUE.equals(camel.isLoadTypeConverters())));
    }

    @Override
    protected Collection<String> findTypeConverterLoaderClasses() throws IOException {
        Collection<String> names = super.findTypeConverterLoaderClasses();
        names.removeIf(name -> RESPONDER_ONLY.stream().anyMatch(name::startsWith));
        return names;
    }
}
