package scheduledevents.sink.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import scheduledevents.delivery.PermanentDeliveryException;
import scheduledevents.logging.UntrustedText;

/**
 * Tells the shared delivery policy what an SMTP failure means: a 5xx reply (user unknown, relaying denied, login
 * refused, message refused) will not get better by retrying and is a {@link PermanentDeliveryException} that says
 * what to fix; a 4xx reply (mailbox busy, greylisting, rate limit), a refused or timed-out connection or a TLS problem
 * is a {@link RetryableMailException} and the record is retried with backoff. Neither message holds a credential.
 */
public final class SmtpFailures {
    private final String server;
    private final String prefix;

    public SmtpFailures(MailSettings settings) {
        this(settings, "agent");
    }

    /** @param prefix the settings' prefix that the advice names ({@code agent}, {@code responder}) */
    public SmtpFailures(MailSettings settings, String prefix) {
        this.server = settings.protocol() + "://" + settings.host() + ":" + settings.port();
        this.prefix = prefix;
    }

    /** A failure that retrying may fix. */
    public static class RetryableMailException extends RuntimeException {
        public RetryableMailException(String message) {
            super(message);
        }
    }

    /**
     * The mail route's doCatch: throws the classified failure. A retry starts again from the record as queued, and a
     * dead letter holds it (the sink template keeps it), whatever the body was when the mail failed.
     */
    public void rethrow(Exchange exchange) {
        throw classify(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    public RuntimeException classify(Throwable failure) {
        if (failure instanceof PermanentDeliveryException permanent) {
            return permanent;
        }
        List<Throwable> chain = chain(failure);
        int code = 0;
        String reply = "";
        for (Throwable t : chain) {
            int c = codeOf(t);
            if (c >= 400 && c < 600 && (code == 0 || c < code)) {
                // a 4xx anywhere (one recipient greylisted) makes the whole mail worth retrying
                code = c;
                reply = replyOf(t);
            }
        }
        if (code >= 500) {
            boolean login = chain.stream().anyMatch(AuthenticationFailedException.class::isInstance);
            String p = prefix + ".mail.";
            String fix = login ? "check " + p + "username and " + prefix.toUpperCase(java.util.Locale.ROOT)
                    + "_MAIL_PASSWORD"
                    : chain.stream().anyMatch(SMTPAddressFailedException.class::isInstance)
                    ? "check the addresses in " + p + "to and " + p + "cc"
                    : chain.stream().anyMatch(SMTPSenderFailedException.class::isInstance)
                    ? "check " + p + "from (the relay must allow this sender)"
                    : "check the relay's rules for " + p + "from and " + p + "to";
            return new PermanentDeliveryException("SMTP server " + server + " refused the mail for good ("
                    + UntrustedText.forLog(reply) + "): " + fix);
        }
        if (code >= 400) {
            return new RetryableMailException("SMTP server " + server + " deferred the mail ("
                    + UntrustedText.forLog(reply) + ")");
        }
        if (chain.stream().anyMatch(MailConnectException.class::isInstance)
                || chain.stream().anyMatch(java.net.ConnectException.class::isInstance)) {
            return new RetryableMailException("cannot connect to SMTP server " + server + " ("
                    + rootName(chain) + ")");
        }
        return new RetryableMailException("mail to " + server + " failed: " + rootName(chain) + " "
                + UntrustedText.forLog(String.valueOf(failure == null ? "" : failure.getMessage())));
    }

    private static int codeOf(Throwable t) {
        if (t instanceof SMTPSendFailedException e) {
            return e.getReturnCode();
        }
        if (t instanceof SMTPAddressFailedException e) {
            return e.getReturnCode();
        }
        if (t instanceof SMTPSenderFailedException e) {
            return e.getReturnCode();
        }
        if (t instanceof AuthenticationFailedException e) {
            return leadingCode(e.getMessage());
        }
        return 0;
    }

    private static String replyOf(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage().strip();
        return message.length() > 160 ? message.substring(0, 160) + "..." : message;
    }

    static int leadingCode(String message) {
        if (message == null || message.length() < 3) {
            return 0;
        }
        String head = message.strip();
        if (head.length() >= 3 && head.substring(0, 3).chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(head.substring(0, 3));
        }
        return 0;
    }

    private static String rootName(List<Throwable> chain) {
        Throwable root = chain.isEmpty() ? null : chain.get(chain.size() - 1);
        return root == null ? "unknown" : root.getClass().getSimpleName();
    }

    /** The failure, its causes and JavaMail's "next" exceptions, each once. */
    static List<Throwable> chain(Throwable failure) {
        List<Throwable> out = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        List<Throwable> todo = new ArrayList<>();
        if (failure != null) {
            todo.add(failure);
        }
        while (!todo.isEmpty() && out.size() < 20) {
            Throwable t = todo.remove(0);
            if (t == null || seen.put(t, true) != null) {
                continue;
            }
            out.add(t);
            todo.add(t.getCause());
            if (t instanceof MessagingException m) {
                todo.add(m.getNextException());
            }
        }
        return out;
    }
}
