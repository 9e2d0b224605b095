package scheduledevents.sink.eventgrid;

import java.util.Locale;

/**
 * How the producer authenticates. The first three are upstream camel-azure-eventgrid's values, with the same
 * meaning; the last two are this component's additions. {@link #parse} also takes the agent's spelling
 * ({@code agent.eventgrid.auth}: {@code key}, {@code sas}, {@code managed-identity}).
 */
public enum CredentialType {
    /** Header {@code aeg-sas-key} with {@code accessKey}. */
    ACCESS_KEY,
    /** Microsoft Entra token from azure-identity's DefaultAzureCredential (environment, workload or managed identity, CLI...). */
    AZURE_IDENTITY,
    /** Microsoft Entra token from the {@code tokenCredential} object. */
    TOKEN_CREDENTIAL,
    /** Header {@code aeg-sas-token}: a shared access signature made from {@code accessKey}, renewed before it expires. */
    SHARED_ACCESS_SIGNATURE,
    /** Microsoft Entra token from this machine's managed identity only (IMDS); no secret on the machine. */
    MANAGED_IDENTITY;

    public static CredentialType parse(String text) {
        String value = text == null ? "" : text.trim();
        switch (value.toLowerCase(Locale.ROOT)) {
            case "key", "access-key" -> {
                return ACCESS_KEY;
            }
            case "sas" -> {
                return SHARED_ACCESS_SIGNATURE;
            }
            case "managed-identity" -> {
                return MANAGED_IDENTITY;
            }
            default -> {
                for (CredentialType type : values()) {
                    if (type.name().equalsIgnoreCase(value)) {
                        return type;
                    }
                }
                throw new IllegalArgumentException("must be key, sas or managed-identity (or one of ACCESS_KEY, "
                        + "AZURE_IDENTITY, TOKEN_CREDENTIAL, SHARED_ACCESS_SIGNATURE, MANAGED_IDENTITY), got '"
                        + value + "'");
            }
        }
    }

    /** True when the credential is made from {@code accessKey}. */
    public boolean usesAccessKey() {
        return this == ACCESS_KEY || this == SHARED_ACCESS_SIGNATURE;
    }
}
