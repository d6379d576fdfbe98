package dev.foyer.extension;

import java.util.List;

/**
 * Attaches an extension to an event, for every app of the tenant or for the apps (client ids) listed.
 * {@code migrationPropertyId}: for the password submit event, the boolean custom attribute that flags the accounts
 * still to migrate.
 */
public record EventListener(String id, String tenantId, String odataType, String extensionId,
		List<String> includeApplications, String migrationPropertyId) {

	public static final String TOKEN_ISSUANCE_START = "#microsoft.graph.onTokenIssuanceStartListener";

	static final String TOKEN_ISSUANCE_START_HANDLER = "#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler";

	public static final String EMAIL_OTP_SEND = "#microsoft.graph.onEmailOtpSendListener";

	static final String OTP_SEND_HANDLER = "#microsoft.graph.onOtpSendCustomExtensionHandler";

	public static final String ATTRIBUTE_COLLECTION_SUBMIT = "#microsoft.graph.onAttributeCollectionSubmitListener";

	static final String ATTRIBUTE_COLLECTION_SUBMIT_HANDLER = "#microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler";

	public static final String ATTRIBUTE_COLLECTION_START = "#microsoft.graph.onAttributeCollectionStartListener";

	static final String ATTRIBUTE_COLLECTION_START_HANDLER = "#microsoft.graph.onAttributeCollectionStartCustomExtensionHandler";

	public static final String PASSWORD_SUBMIT = "#microsoft.graph.onPasswordSubmitListener";

	static final String PASSWORD_MIGRATION_HANDLER = "#microsoft.graph.onPasswordMigrationCustomExtensionHandler";

	/** Each listener type, with its handler type and the extension type it calls. */
	static final java.util.Map<String, java.util.List<String>> TYPES = java.util.Map.of(
			TOKEN_ISSUANCE_START, java.util.List.of(TOKEN_ISSUANCE_START_HANDLER, CustomExtension.TOKEN_ISSUANCE_START),
			EMAIL_OTP_SEND, java.util.List.of(OTP_SEND_HANDLER, CustomExtension.OTP_SEND),
			ATTRIBUTE_COLLECTION_START, java.util.List.of(ATTRIBUTE_COLLECTION_START_HANDLER,
					CustomExtension.ATTRIBUTE_COLLECTION_START),
			ATTRIBUTE_COLLECTION_SUBMIT, java.util.List.of(ATTRIBUTE_COLLECTION_SUBMIT_HANDLER,
					CustomExtension.ATTRIBUTE_COLLECTION_SUBMIT),
			PASSWORD_SUBMIT, java.util.List.of(PASSWORD_MIGRATION_HANDLER, CustomExtension.PASSWORD_SUBMIT));

	/** The listener type that calls extensions of this type. */
	static String listenerTypeOf(String extensionType) {
		return TYPES.entrySet().stream()
			.filter(e -> e.getValue().get(1).equals(extensionType))
			.map(java.util.Map.Entry::getKey)
			.findFirst()
			.orElseThrow();
	}

	String handlerType() {
		return TYPES.get(this.odataType).get(0);
	}

	public boolean appliesTo(String clientId) {
		return this.includeApplications.isEmpty() || this.includeApplications.contains(clientId);
	}

}
