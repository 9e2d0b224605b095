package scheduledevents;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts the fleet responder in a class loader of its own. Its libraries (Vert.x, H2, PostgreSQL's driver, HikariCP,
 * Flyway: about 30 jars) are in {@code lib-responder/} beside the jar, not on the jar's class path: the agent's class
 * path is the agent's, so the agent neither loads nor opens them (Camel looks for resources in every jar of the class
 * path, and each open jar keeps its directory in memory). The responder's own classes ({@code
 * scheduledevents.responder.*}, in this jar) are defined by this loader, child first, so that they see those
 * libraries; everything else (Camel, the agent's shared parts) comes from the agent's loader, shared.
 */
final class ResponderLoader extends URLClassLoader {
    private static final String OWN = "scheduledevents.responder.";

    private ResponderLoader(URL[] urls, ClassLoader parent) {
        super("responder", urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(OWN)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /** Runs {@code ResponderRunner.run(args, err)} with the responder's libraries; its exit status. */
    static int run(List<String> args, PrintStream err) {
        ClassLoader agent = ResponderLoader.class.getClassLoader();
        ClassLoader loader = agent;
        if (!visible(agent)) {
            // the packaged jar: lib-responder/ beside it (in the IDE and the tests the class path has it all)
            loader = new ResponderLoader(urls(), agent);
        }
        Thread.currentThread().setContextClassLoader(loader);
        try {
            return (int) Class.forName("scheduledevents.responder.ResponderRunner", true, loader)
                    .getMethod("run", List.class, PrintStream.class).invoke(null, args, err);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime; // a bad setting or argument: one line, exit status 2 (Agent)
            }
            throw new IllegalStateException("the responder failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the responder's classes are missing from the jar: " + e);
        }
    }

    private static boolean visible(ClassLoader loader) {
        try {
            Class.forName("io.vertx.core.Vertx", false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static URL[] urls() {
        Path jar;
        try {
            jar = Path.of(ResponderLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the jar is", e);
        }
        Path libs = jar.resolveSibling("lib-responder");
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> jars = Files.list(libs)) {
            urls.add(jar.toUri().toURL());
            for (Path lib : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(lib.toUri().toURL());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the responder's libraries are missing: " + libs.toAbsolutePath()
                    + " (the build makes it beside the jar; the container image has it too)");
        }
        return urls.toArray(URL[]::new);
    }
}
