package dev.foyer.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.foyer.web.ApiException;
import dev.foyer.web.FieldChecks;

import tools.jackson.databind.JsonNode;

/**
 * Entra's claims mapping policy definition, read into Foyer's claims mapping, so that an admin pastes an existing
 * policy: {@code {"ClaimsMappingPolicy": {"Version": 1, "IncludeBasicClaimSet": "true", "ClaimsSchema": [{"Source":
 * "user" | "CustomClaimsProvider", "ID": ..., "JwtClaimType": ...}]}}}. Each entry goes into the ID and the access
 * token, as Entra issues the mapped claims in the tokens of the app.
 */
final class ClaimsMappingPolicy {

	/** Entra's user attribute IDs (lower case) and the Foyer attributes they read. */
	private static final Map<String, String> USER_ATTRIBUTES = Map.ofEntries(Map.entry("objectid", "id"),
			Map.entry("mail", "email"), Map.entry("userprincipalname", "email"), Map.entry("displayname", "displayName"),
			Map.entry("givenname", "givenName"), Map.entry("surname", "surname"), Map.entry("streetaddress", "streetAddress"),
			Map.entry("city", "city"), Map.entry("state", "state"), Map.entry("postalcode", "postalCode"),
			Map.entry("country", "country"), Map.entry("jobtitle", "jobTitle"), Map.entry("companyname", "companyName"),
			Map.entry("accountenabled", "accountEnabled"));

	private ClaimsMappingPolicy() {
	}

	/** The mapping entries of a policy, before {@link ClaimMapping#check}; problems go to {@code checks}. */
	static List<ClaimMapping> read(FieldChecks checks, JsonNode body) {
		JsonNode policy = body == null ? null : body.get("ClaimsMappingPolicy");
		if (policy == null || !policy.isObject()) {
			throw ApiException.invalid("ClaimsMappingPolicy", "is required: {\"ClaimsMappingPolicy\": {\"Version\": 1, ...}}");
		}
		JsonNode version = policy.get("Version");
		if (version == null || !version.isIntegralNumber() || version.asInt() != 1) {
			checks.problem("ClaimsMappingPolicy.Version", "must be 1");
		}
		JsonNode basic = policy.get("IncludeBasicClaimSet");
		if (basic != null && !("true".equalsIgnoreCase(basic.asString("")) || basic.isBoolean() && basic.asBoolean())) {
			checks.problem("ClaimsMappingPolicy.IncludeBasicClaimSet",
					"must be \"true\": Foyer always issues the basic claims (sub, email and name by scope)");
		}
		JsonNode schema = policy.get("ClaimsSchema");
		List<ClaimMapping> entries = new ArrayList<>();
		if (schema == null || !schema.isArray()) {
			checks.problem("ClaimsMappingPolicy.ClaimsSchema", "must be a list of {\"Source\", \"ID\", \"JwtClaimType\"}");
			return entries;
		}
		for (int i = 0; i < schema.size(); i++) {
			JsonNode entry = schema.get(i);
			String field = "ClaimsMappingPolicy.ClaimsSchema[" + i + "]";
			String source = entry.path("Source").asString(null);
			String id = entry.path("ID").asString(null);
			String claim = entry.path("JwtClaimType").asString(null);
			if (source == null || id == null || claim == null) {
				checks.problem(field, "needs Source, ID and JwtClaimType (other forms, such as transformations, are not supported)");
				continue;
			}
			String from = switch (source.toLowerCase(Locale.ROOT)) {
				case "user" -> USER_ATTRIBUTES.getOrDefault(id.toLowerCase(Locale.ROOT), directoryExtension(id));
				case "customclaimsprovider" -> ClaimMapping.CUSTOM_CLAIMS_PROVIDER + id;
				default -> null;
			};
			if (from == null) {
				checks.problem(field + ".Source", "must be user or CustomClaimsProvider");
				continue;
			}
			entries.add(new ClaimMapping(from, claim, true, true));
		}
		return entries;
	}

	/** {@code extension_<appId>_loyaltyTier}, Entra's name for a directory extension attribute, is {@code loyaltyTier}. */
	private static String directoryExtension(String id) {
		if (id.startsWith("extension_")) {
			int separator = id.indexOf('_', "extension_".length());
			return separator < 0 ? id : id.substring(separator + 1);
		}
		return id;
	}

}
