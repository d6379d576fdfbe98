package dev.foyer.application;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An app registration: an OAuth client of one tenant. */
public record Application(String id, String tenantId, String clientId, String displayName, @JsonIgnore AppType appType,
		List<String> redirectUris, List<String> postLogoutRedirectUris, Instant createdAt, Instant updatedAt) {

	@JsonProperty("type")
	public String type() {
		return this.appType.wireName();
	}

}
