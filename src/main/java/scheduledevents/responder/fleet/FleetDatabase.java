package scheduledevents.responder.fleet;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import scheduledevents.logging.UntrustedText;

/**
 * The fleet database: a HikariCP pool on the configured JDBC URL (PostgreSQL in production) or, when the URL is
 * empty, on an embedded H2 file database in the data folder (so that {@code --responder} runs with nothing
 * installed), migrated by Flyway from {@value #MIGRATIONS} (one SQL set for both) before it is handed out.
 */
public final class FleetDatabase implements AutoCloseable {
    public static final String MIGRATIONS = "classpath:scheduledevents/responder/db/migration";
    /** How long a caller waits for a connection before the delivery fails (and Event Grid retries it). */
    private static final long CONNECTION_TIMEOUT_MS = 5_000;
    private static final int POOL_SIZE = 10;

    private final HikariDataSource dataSource;
    private final String safeUrl;

    private FleetDatabase(HikariDataSource dataSource, String safeUrl) {
        this.dataSource = dataSource;
        this.safeUrl = safeUrl;
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @param url      JDBC URL; null or blank = embedded H2 at {@code dataDir/fleet}
     * @param user     may be null or blank (H2 then uses "sa")
     * @param password may be null; never logged or put in a message
     * @param dataDir  the responder's data folder (created when missing); used only for the embedded database
     * @throws FleetStoreException when the database cannot be reached or migrated
     */
    public static FleetDatabase open(String url, String user, String password, Path dataDir) {
        boolean embedded = url == null || url.isBlank();
        String jdbcUrl = embedded ? embeddedUrl(dataDir) : url.trim();
        String safe = safeUrl(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setPoolName("fleet");
        config.setJdbcUrl(jdbcUrl);
        if (user != null && !user.isBlank()) {
            config.setUsername(user);
        } else if (embedded) {
            config.setUsername("sa");
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setAutoCommit(true);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        HikariDataSource pool;
        try {
            if (embedded) {
                Files.createDirectories(dataDir);
            }
            pool = new HikariDataSource(config);
        } catch (Exception e) {
            throw new FleetStoreException("cannot open the fleet database " + safe + ": " + describe(e, password), e);
        }
        try {
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
        } catch (Exception e) {
            pool.close();
            throw new FleetStoreException("cannot migrate the fleet database " + safe + ": " + describe(e, password),
                    e);
        }
        return new FleetDatabase(pool, safe);
    }

    /** The embedded default: H2 in PostgreSQL mode, so that one SQL set serves both. */
    static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("fleet")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000";
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The URL without credentials or parameters, for log lines and messages. */
    public String safeUrl() {
        return safeUrl;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /**
     * A JDBC URL fit for a log line: no user info ({@code //user:pw@host}), nothing after {@code ?} or {@code ;}
     * (PostgreSQL's {@code password=}, H2's settings).
     */
    public static String safeUrl(String jdbcUrl) {
        if (jdbcUrl == null) {
            return "(none)";
        }
        String s = jdbcUrl;
        int cut = indexOfAny(s, '?', ';');
        if (cut >= 0) {
            s = s.substring(0, cut);
        }
        int scheme = s.indexOf("//");
        if (scheme >= 0) {
            int at = s.indexOf('@', scheme + 2);
            int slash = s.indexOf('/', scheme + 2);
            if (at >= 0 && (slash < 0 || at < slash)) {
                s = s.substring(0, scheme + 2) + s.substring(at + 1);
            }
        }
        return UntrustedText.forLog(s);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /**
     * One safe line about a database failure: the SQLState and the driver's message, single-line and short, with the
     * password (should a driver ever echo it) blanked.
     */
    static String describe(Throwable e, String password) {
        Throwable root = e;
        SQLException sql = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && sql == null) {
                sql = s;
            }
            root = t;
            if (t.getCause() == t) {
                break;
            }
        }
        Throwable shown = sql != null ? sql : root;
        String message = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        if (password != null && password.length() >= 3) {
            message = message.replace(password, "***");
        }
        message = message.replaceAll("(?i)(password=)[^&;\\s]*", "$1***");
        String state = sql != null && sql.getSQLState() != null ? "SQLState " + sql.getSQLState() + ": " : "";
        return state + UntrustedText.forLog(message);
    }
}
