package scheduledevents.sink.mail;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.junit.jupiter.api.Test;
import scheduledevents.delivery.PermanentDeliveryException;

/** What an SMTP relay's refusal means for the record: dead-lettered at once (permanent), or retried. */
class SmtpFailuresTest {
    @Test
    void smtpRepliesAreClassified() {
        SmtpFailures failures = new SmtpFailures(MailComposerTest.read(MailComposerTest.settings()));
        InternetAddress to = new InternetAddress();
        RuntimeException userUnknown = failures.classify(new SendFailedException("Invalid Addresses",
                new SMTPAddressFailedException(to, "RCPT TO", 550, "550 5.1.1 user unknown")));
        assertInstanceOf(PermanentDeliveryException.class, userUnknown);
        assertTrue(userUnknown.getMessage().contains("check the addresses in agent.mail.to"), userUnknown.getMessage());
        assertInstanceOf(PermanentDeliveryException.class, failures.classify(
                new AuthenticationFailedException("535 5.7.8 Authentication credentials invalid")));
        assertInstanceOf(PermanentDeliveryException.class, failures.classify(
                new SMTPSendFailedException("DATA", 554, "554 message refused", null, null, null, null)));
        assertInstanceOf(SmtpFailures.RetryableMailException.class, failures.classify(
                new SMTPSendFailedException("MAIL FROM", 451, "451 try again later", null, null, null, null)));
        assertInstanceOf(SmtpFailures.RetryableMailException.class, failures.classify(
                new MailConnectException(new org.eclipse.angus.mail.util.SocketConnectException("refused",
                        new ConnectException("Connection refused"), "smtp.example.com", 587, 1000))));
        assertInstanceOf(SmtpFailures.RetryableMailException.class, failures.classify(
                new MessagingException("STARTTLS is required but host does not support STARTTLS")));
    }
}
