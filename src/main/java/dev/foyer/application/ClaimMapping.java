package dev.foyer.application;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import dev.foyer.web.FieldChecks;

/**
 * One entry of an application's claims mapping: the attribute {@code source} (built-in or custom) is released as
 * claim {@code claim} in the ID token, the access token, or both.
 */
public record ClaimMapping(String source, String claim, Boolean idToken, Boolean accessToken) {

	static final int MAX_ENTRIES = 50;

	/**
	 * The source prefix of a claim that a custom authentication extension provides ({@code customClaimsProvider:DateOfBirth}),
	 * Entra's {@code "Source": "CustomClaimsProvider"}.
	 */
	public static final String CUSTOM_CLAIMS_PROVIDER = "customClaimsProvider:";

	private static final Pattern CLAIM = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,63}");

	/** Claims that the protocol owns: no mapping may set them. */
	static final Set<String> RESERVED = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "auth_time", "nonce", "acr",
			"amr", "azp", "at_hash", "c_hash", "sid", "scope", "client_id", "cnf", "typ", "roles", "groups",
			// the standard claims Foyer releases by scope: a mapping must not counterfeit them
			"email", "email_verified", "name", "given_name", "family_name", "updated_at", "phone_number",
			"phone_number_verified", "preferred_username");

	public boolean inIdToken() {
		return this.idToken == null || this.idToken;
	}

	public boolean inAccessToken() {
		return Boolean.TRUE.equals(this.accessToken);
	}

	/** Validates a mapping; {@code knownSource} says whether an attribute name exists in the tenant. */
	static List<ClaimMapping> check(FieldChecks checks, List<ClaimMapping> given, Predicate<String> knownSource) {
		if (given.size() > MAX_ENTRIES) {
			checks.problem("claimsMapping", "at most " + MAX_ENTRIES + " entries");
			return List.of();
		}
		List<ClaimMapping> accepted = new ArrayList<>();
		Set<String> claims = new HashSet<>();
		for (int i = 0; i < given.size(); i++) {
			ClaimMapping entry = given.get(i);
			String field = "claimsMapping[" + i + "]";
			if (entry == null || entry.source() == null || !knownSource.test(entry.source())) {
				checks.problem(field + ".source", "is not a built-in or declared attribute of this tenant");
				continue;
			}
			if (entry.claim() == null || !CLAIM.matcher(entry.claim()).matches()) {
				checks.problem(field + ".claim", "must be 1 to 64 characters of letters, digits and _ . : -");
				continue;
			}
			if (RESERVED.contains(entry.claim())) {
				checks.problem(field + ".claim", "'" + entry.claim() + "' is set by the protocol and cannot be mapped");
				continue;
			}
			if (!claims.add(entry.claim())) {
				checks.problem(field + ".claim", "is mapped twice");
				continue;
			}
			if (!entry.inIdToken() && !entry.inAccessToken()) {
				checks.problem(field, "goes into neither token");
				continue;
			}
			accepted.add(new ClaimMapping(entry.source(), entry.claim(), entry.inIdToken(), entry.inAccessToken()));
		}
		return List.copyOf(accepted);
	}

}
