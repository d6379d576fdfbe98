package dev.foyer.extension;

import java.util.List;

/** Attaches an extension to an event, for every app of the tenant or for the apps (client ids) listed. */
public record EventListener(String id, String tenantId, String odataType, String extensionId,
		List<String> includeApplications) {

	public static final String TOKEN_ISSUANCE_START = "#microsoft.graph.onTokenIssuanceStartListener";

	static final String TOKEN_ISSUANCE_START_HANDLER = "#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler";

	public boolean appliesTo(String clientId) {
		return this.includeApplications.isEmpty() || this.includeApplications.contains(clientId);
	}

}
