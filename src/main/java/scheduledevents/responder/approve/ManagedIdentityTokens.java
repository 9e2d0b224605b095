package scheduledevents.responder.approve;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import java.time.Duration;

/**
 * Tokens of the responder's managed identity, from azure-identity's {@code ManagedIdentityCredential} (which caches
 * them until shortly before they expire). Where it asks is azure-identity's choice from the environment: Azure
 * Container Apps and App Service set {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER} (GET with
 * {@code api-version=2019-08-01}, {@code resource}, {@code client_id} for a user-assigned identity, header
 * {@code X-IDENTITY-HEADER}); on a VM it is the instance metadata service. Built on first use, so a responder that
 * never approves never asks.
 */
public final class ManagedIdentityTokens implements ArmApprover.Tokens {
    private final String scope;
    private final String clientId;
    private final Duration timeout;
    private volatile TokenCredential credential;

    public ManagedIdentityTokens(ArmSettings settings) {
        this.scope = settings.scope();
        this.clientId = settings.clientId() == null || settings.clientId().isBlank() ? null : settings.clientId().trim();
        this.timeout = settings.timeout();
    }

    @Override
    public String token() throws ArmApprover.TokenException {
        try {
            AccessToken token = credential().getToken(new TokenRequestContext().addScopes(scope)).block(timeout);
            if (token == null || token.getToken() == null || token.getToken().isBlank()) {
                throw new ArmApprover.TokenException("no managed identity token (the identity endpoint gave none)");
            }
            return token.getToken();
        } catch (IllegalStateException e) {
            // Reactor's "Timeout on blocking read": azure-identity retries a failing endpoint for about half a minute
            if (String.valueOf(e.getMessage()).contains("Timeout")) {
                throw new ArmApprover.TokenException("no managed identity token (no answer within "
                        + timeout.toMillis() + " ms)");
            }
            throw new ArmApprover.TokenException("no managed identity token (" + reason(e) + ")");
        } catch (RuntimeException e) {
            throw new ArmApprover.TokenException("no managed identity token (" + reason(e) + ")");
        }
    }

    private TokenCredential credential() {
        TokenCredential c = credential;
        if (c == null) {
            synchronized (this) {
                if (credential == null) {
                    ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder();
                    if (clientId != null) {
                        builder.clientId(clientId);
                    }
                    credential = builder.build();
                }
                c = credential;
            }
        }
        return c;
    }

    /** The innermost cause's message (azure-identity's outer one says only "see inner exception"), cleaned. */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String outer = e.getMessage();
        String text = message == null || message.isBlank() ? (outer == null ? e.getClass().getSimpleName() : outer)
                : message;
        return ArmApprover.clean(text);
    }
}
