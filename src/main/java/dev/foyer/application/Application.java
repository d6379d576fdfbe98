package dev.foyer.application;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.foyer.tenant.TokenPolicy;

/**
 * An app registration: an OAuth client of one tenant. {@code tokenPolicy} holds only what the app overrides of its
 * tenant's; {@code jwks} the public keys it signs private_key_jwt client assertions with, if any;
 * {@code backchannelLogoutUri} where a web app hears that a session it signed in through has ended, if anywhere;
 * {@code tokensValidAfter} the moment before which its tokens were revoked ({@link Applications#revokeTokens}), if any.
 */
public record Application(String id, String tenantId, String clientId, String displayName, @JsonIgnore AppType appType,
		List<String> redirectUris, List<String> postLogoutRedirectUris,
		@JsonInclude(JsonInclude.Include.NON_NULL) String backchannelLogoutUri, TokenPolicy tokenPolicy,
		@JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> jwks, List<ClaimMapping> claimsMapping,
		String userFlowId, String groupsClaim, List<AppRole> appRoles,
		@JsonInclude(JsonInclude.Include.NON_NULL) Instant tokensValidAfter, Instant createdAt, Instant updatedAt) {

	/** The values of {@code groupsClaim}: no groups claim, the groups' ids, or their display names. */
	public static final java.util.List<String> GROUPS_CLAIMS = java.util.List.of("none", "ids", "names");

	/**
	 * Whether a token of this app issued at {@code issuedAt} was revoked. A JWT's {@code iat} is in whole seconds, so
	 * a token issued in the second of the revocation counts as revoked too, even when issued just after it: the app
	 * asks for another a second later, rather than a token issued just before the revocation going on working.
	 */
	public boolean revoked(Instant issuedAt) {
		return this.tokensValidAfter != null && (issuedAt == null || issuedAt.isBefore(this.tokensValidAfter));
	}

	@JsonProperty("type")
	public String type() {
		return this.appType.wireName();
	}

}
