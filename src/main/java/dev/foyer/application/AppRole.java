package dev.foyer.application;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.foyer.web.FieldChecks;

/**
 * A role an application defines, as in Entra: its {@code value} is what tokens carry in {@code roles};
 * {@code allowedMemberTypes} says whether people ({@code User}, directly or through a group) and/or service
 * applications ({@code Application}) may hold it.
 */
public record AppRole(String id, String value, String displayName, String description, List<String> allowedMemberTypes,
		Boolean isEnabled) {

	static final int MAX_ROLES = 100;

	private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.:/-]{1,120}");

	private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{36}");

	public boolean enabled() {
		return this.isEnabled == null || this.isEnabled;
	}

	public boolean allows(String memberType) {
		return this.allowedMemberTypes.contains(memberType);
	}

	/** Validates an app's roles; missing ids are generated. */
	static List<AppRole> check(FieldChecks checks, List<AppRole> given) {
		if (given.size() > MAX_ROLES) {
			checks.problem("appRoles", "at most " + MAX_ROLES + " roles");
			return List.of();
		}
		List<AppRole> accepted = new ArrayList<>();
		Set<String> values = new HashSet<>();
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < given.size(); i++) {
			AppRole role = given.get(i);
			String field = "appRoles[" + i + "]";
			if (role == null || role.value() == null || !VALUE.matcher(role.value()).matches()) {
				checks.problem(field + ".value", "must be 1 to 120 characters of letters, digits and _ . : / - (no spaces)");
				continue;
			}
			if (!values.add(role.value())) {
				checks.problem(field + ".value", "is used twice");
				continue;
			}
			String id = role.id() == null ? UUID.randomUUID().toString() : role.id();
			if (!ID.matcher(id).matches() || !ids.add(id)) {
				checks.problem(field + ".id", "must be a unique UUID (or left out)");
				continue;
			}
			String name = checks.text(field + ".displayName", role.displayName(), 100, true);
			String description = checks.text(field + ".description", role.description(), 1000, false);
			List<String> types = role.allowedMemberTypes() == null ? List.of() : role.allowedMemberTypes();
			if (types.isEmpty() || !List.of("User", "Application").containsAll(types)) {
				checks.problem(field + ".allowedMemberTypes", "must list User, Application or both");
				continue;
			}
			accepted.add(new AppRole(id, role.value(), name, description, List.copyOf(new java.util.LinkedHashSet<>(types)),
					role.enabled()));
		}
		return List.copyOf(accepted);
	}

}
