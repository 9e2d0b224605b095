package scheduledevents.notification;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import scheduledevents.logging.UntrustedText;
import scheduledevents.settings.InvalidSettingException;

/**
 * Mustache templates read from files outside the jar ({@code agent.templates.dir}, next to {@code routes/}), so
 * that operators change wording without recompiling. {@code {{name}}} inserts a value escaped for the template's
 * kind ({@link Escaping}): HTML for mail bodies, JSON strings for webhook bodies. Event fields are untrusted: a
 * template must not insert them with the unescaped {@code {{{name}}}} form.
 */
public final class Templates {
    /** How {@code {{name}}} escapes a value. */
    public enum Escaping {
        /** Plain text (mail's text/plain part): as it is. */
        TEXT,
        /** HTML text and attribute values: &amp; &lt; &gt; &quot; &#39; and friends. */
        HTML,
        /** Inside a JSON string literal. */
        JSON,
        /** Inside a JSON string that Slack reads as mrkdwn: &amp;, &lt;, &gt; as entities, then JSON. */
        SLACK_JSON
    }

    private Templates() {
    }

    /** One compiled template file. */
    public static final class Template {
        private final Mustache mustache;

        private Template(Mustache mustache) {
            this.mustache = mustache;
        }

        public String render(Map<String, Object> view) {
            StringWriter out = new StringWriter();
            try {
                mustache.execute(out, view).flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString();
        }
    }

    /**
     * Reads and compiles {@code file}; a missing or broken template is reported as an invalid {@code key}.
     */
    public static Template load(String key, Path file, Escaping escaping) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidSettingException(key, "template " + file + " not found (working directory "
                    + Path.of("").toAbsolutePath() + ")");
        }
        Path dir = file.toAbsolutePath().getParent();
        DefaultMustacheFactory factory = new DefaultMustacheFactory(dir.toFile()) {
            @Override
            public void encode(String value, Writer writer) {
                try {
                    writer.write(escape(value, escaping));
                } catch (IOException e) {
                    throw new MustacheException("cannot write", e);
                }
            }
        };
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new Template(factory.compile(reader, file.getFileName().toString()));
        } catch (IOException | MustacheException e) {
            throw new InvalidSettingException(key, "cannot read template " + file + ": "
                    + scheduledevents.logging.UntrustedText.forLog(e.getMessage()));
        }
    }

    static String escape(String value, Escaping escaping) {
        return switch (escaping) {
            case TEXT -> value;
            case HTML -> html(value);
            case JSON -> json(value);
            case SLACK_JSON -> json(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
        };
    }

    static String html(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '`' -> out.append("&#96;");
                case '=' -> out.append("&#61;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String json(String value) {
        // Jackson escapes quotes, backslashes and control characters; < > & are escaped too, so that a value
        // cannot close a <script> or start markup in a receiver that embeds the JSON in HTML
        String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(value));
        return quoted.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }
}
