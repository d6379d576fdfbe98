package dev.foyer.protocol;

import java.util.HashMap;
import java.util.Map;

import dev.foyer.directory.Account;

/** The built-in attributes of an account by their admin API names, for claims mappings. */
final class BuiltInAttributes {

	private BuiltInAttributes() {
	}

	static Map<String, Object> of(Account account) {
		Map<String, Object> values = new HashMap<>();
		values.put("id", account.id());
		values.put("email", account.email());
		values.put("emailVerified", account.emailVerified());
		values.put("accountEnabled", account.accountEnabled());
		values.put("displayName", account.displayName());
		values.put("givenName", account.givenName());
		values.put("surname", account.surname());
		values.put("streetAddress", account.streetAddress());
		values.put("city", account.city());
		values.put("state", account.state());
		values.put("postalCode", account.postalCode());
		values.put("country", account.country());
		values.put("jobTitle", account.jobTitle());
		values.put("companyName", account.companyName());
		return values;
	}

}
