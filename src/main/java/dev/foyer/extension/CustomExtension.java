package dev.foyer.extension;

import java.util.List;

/**
 * A custom authentication extension: a REST API Foyer calls during sign-in with Entra External ID's request body,
 * authenticated with a bearer token whose audience is {@code resourceId}. {@code continueOnError}: a failed call
 * lets the sign-in go on without the extension's claims (Graph's {@code fallbackToMicrosoftProviderOnError});
 * otherwise it ends the token request. {@code encryptionKey}: for a password submit extension, the PEM public key (or
 * certificate) the password is encrypted to, as Entra takes it on the extension's app registration.
 */
public record CustomExtension(String id, String tenantId, String odataType, String displayName, String description,
		String targetUrl, String resourceId, int timeoutMillis, int maximumRetries, boolean continueOnError,
		List<String> claims, String encryptionKey) {

	public static final String TOKEN_ISSUANCE_START = "#microsoft.graph.onTokenIssuanceStartCustomExtension";

	public static final String OTP_SEND = "#microsoft.graph.onOtpSendCustomExtension";

	public static final String ATTRIBUTE_COLLECTION_SUBMIT = "#microsoft.graph.onAttributeCollectionSubmitCustomExtension";

	public static final String ATTRIBUTE_COLLECTION_START = "#microsoft.graph.onAttributeCollectionStartCustomExtension";

	public static final String PASSWORD_SUBMIT = "#microsoft.graph.onPasswordSubmitCustomExtension";

	static final java.util.List<String> TYPES = java.util.List.of(TOKEN_ISSUANCE_START, OTP_SEND, ATTRIBUTE_COLLECTION_START,
			ATTRIBUTE_COLLECTION_SUBMIT, PASSWORD_SUBMIT);

}
