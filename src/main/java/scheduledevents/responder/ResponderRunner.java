package scheduledevents.responder;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import scheduledevents.responder.demo.DemoArm;
import scheduledevents.responder.demo.FleetDemo;
import scheduledevents.settings.InvalidSettingException;

/**
 * The responder's start-up ({@code --responder [--config FILE] [--routes DIR]}): Camel main with the responder's
 * settings (responder/responder.properties in the working directory, if there, over the same file packaged in the
 * jar, under the environment) and its routes (responder/routes/*.yaml), served by Camel's platform-http on one port.
 * Only {@code Agent}'s --responder branch reaches this class: the agent never loads it, nor Vert.x.
 */
public final class ResponderRunner {
    /** This release's responder.properties, packaged by the build (pom.xml) as the defaults. */
    public static final String DEFAULTS = "scheduledevents/responder/responder.properties";
    static final Path DEFAULT_CONFIG = Path.of("responder", "responder.properties");
    static final Path DEFAULT_ROUTES = Path.of("responder", "routes");
    static final String ROUTES_PATTERN_KEY = "camel.main.routes-include-pattern";
    static final String DEFAULT_ROUTES_PATTERN = "file:responder/routes/*.yaml";

    private ResponderRunner() {
    }

    /** Runs until SIGTERM / Ctrl-C. Bad settings or arguments throw (exit status 2, one line). */
    public static int run(List<String> args, PrintStream err) {
        Path config = null;
        Path routes = null;
        boolean demo = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--demo" -> demo = true;
                case "--config", "--routes" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    Path value = Path.of(args.get(++i));
                    if (a.equals("--config")) {
                        config = value;
                    } else {
                        routes = value;
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument '" + a + "' with --responder (see --help)");
            }
        }
        if (demo) {
            return demo(config, routes, err);
        }
        return runMain(newMain(config, routes, Map.of(), ResponderParts.Factory.REAL), err);
    }

    /**
     * {@code --responder --demo}: the responder on an embedded database, fed by a small simulated fleet; its
     * approvals go to the demo's loopback stand-in of Azure with that stand-in's token (never to Azure, never to a
     * managed identity).
     */
    private static int demo(Path config, Path routes, PrintStream err) {
        Path dir;
        DemoArm arm;
        try {
            dir = FleetDemo.newFolder();
            arm = FleetDemo.newArm().start();
        } catch (IOException e) {
            err.println("scheduled-events-agent: cannot start the demo: " + e.getMessage());
            return 1;
        }
        Main main;
        try {
            main = newMain(config, routes, FleetDemo.overrides(dir, arm.url()),
                    (settings, metrics, clock) -> ResponderParts.real(settings, metrics, clock).withTokens(arm::token));
        } catch (RuntimeException e) {
            arm.close();
            throw e;
        }
        int port = main.configure().httpServer().getPort();
        return FleetDemo.run(dir, port, arm, err, whenStarted -> {
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterStart(BaseMainSupport started) {
                    whenStarted.run();
                }
            });
            return runMain(main, err);
        });
    }

    private static int runMain(Main main, PrintStream err) {
        try {
            main.run();
            return main.getExitCode();
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidSettingException setting) {
                    throw setting;
                }
            }
            err.println("scheduled-events-agent: responder failed to start: " + rootMessage(e));
            return 1;
        }
    }

    /**
     * Camel main set up as {@link #run} runs it, not started (in-process tests start it through here). The settings
     * are read and checked here, before Camel starts, so that a bad one is one line and exit status 2.
     *
     * @param config    the user's settings file; null = responder/responder.properties if it exists
     * @param routes    folder of YAML routes; null = camel.main.routes-include-pattern (responder/routes/)
     * @param overrides settings that win over everything (tests)
     */
    public static Main newMain(Path config, Path routes, Map<String, String> overrides,
            ResponderParts.Factory parts) {
        if (config != null && !Files.isRegularFile(config)) {
            throw new IllegalArgumentException("settings file " + config.toAbsolutePath() + " not found");
        }
        Path userFile = config != null ? config : Files.isRegularFile(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
        Function<String, String> lookup = lookup(userFile, overrides);
        ResponderSettings settings = ResponderSettings.read(lookup);
        // the routes are files in the working directory: say so in one line instead of Camel's NoSuchFileException
        Path routesDir = routes != null ? routes
                : DEFAULT_ROUTES_PATTERN.equals(lookup.apply(ROUTES_PATTERN_KEY)) ? DEFAULT_ROUTES : null;
        if (routesDir != null && !Files.isDirectory(routesDir)) {
            throw new IllegalArgumentException("routes folder " + routesDir.toAbsolutePath() + " not found: run from"
                    + " the project's folder or pass --routes DIR");
        }

        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(
                (userFile == null ? "" : "file:" + userFile.toAbsolutePath() + ",") + "classpath:" + DEFAULTS);
        // Camel's platform-http server (Vert.x) on the one port; a body over the limit is answered 413 by it
        main.configure().httpServer().withEnabled(true).withHost(settings.host()).withPort(settings.port())
                .withMaxBodySize(settings.maxBodySize());
        main.configure().addConfiguration(new ResponderConfiguration(settings, parts));
        if (routes != null) {
            main.configure().setRoutesIncludePattern("file:" + routes.toAbsolutePath() + "/*.yaml");
        }
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /**
     * A key's value as Camel's properties component gives it to the routes: an override, else the environment
     * variable (upper case, dots and dashes to underscores), else the user's file, else the packaged defaults.
     */
    static Function<String, String> lookup(Path userFile, Map<String, String> overrides) {
        Properties defaults = new Properties();
        try (InputStream in = ResponderRunner.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the jar (a build problem)");
            }
            defaults.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties user = new Properties();
        if (userFile != null) {
            try (Reader in = Files.newBufferedReader(userFile, StandardCharsets.UTF_8)) {
                user.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read settings file " + userFile.toAbsolutePath() + ": "
                        + e.getClass().getSimpleName());
            }
        }
        return key -> {
            if (overrides.containsKey(key)) {
                return overrides.get(key);
            }
            String env = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            if (env != null) {
                return env;
            }
            return user.getProperty(key, defaults.getProperty(key));
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
